import type { ColumnType } from 'kysely';

/** The column shapes every area's tables share: the tenant and mode, moments, JSON. */

export type Mode = 'live' | 'test';
/** A moment as queries return it: ISO 8601 in UTC to the millisecond (db/connect.ts momentOf). Written as a Date or such a string. */
export type Moment = string;
export type CreatedAt = ColumnType<Moment, Date | Moment | undefined, never>;
export type Timestamp = ColumnType<Moment, Date | Moment | undefined, Date | Moment>;
export type MaybeMoment = ColumnType<Moment | null, Date | Moment | null | undefined, Date | Moment | null>;
export type Json<T> = ColumnType<T, string | undefined, string>;

export interface ModeScoped {
  org_id: number;
  mode: Mode;
}
