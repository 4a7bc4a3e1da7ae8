import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Principal } from '../access/principal.js';
import type { BulkUpload, RowError } from '../bulk.js';
import { AppError } from '../errors.js';
import { inTenant } from '../tenant.js';
import { inTransaction } from '../transactions.js';
import { getCycle } from './cycles.js';
import * as repo from './record-repo.js';
import { applyRecordChange, holdOpenCycle, type RecordChange } from './records.js';

/** A row of a talent-record upload: the person, by user_id or email, and the fields of the PATCH. */
export interface BulkRecordInput extends RecordChange {
  user_id?: number | undefined;
  email?: string | undefined;
}

export interface BulkRecordResult {
  updated: number;
  unchanged: number;
  failed: number;
  errors: RowError[];
}

type Row = BulkUpload<BulkRecordInput>['rows'][number];

const rowError = (row: number, field: string, error: RowError['error'], message: string): RowError => ({
  row,
  field,
  error,
  message,
});

/** The people the rows name by email, as ids (one query for the whole upload). */
async function idsByEmail(trx: Transaction<DB>, p: Principal, rows: Row[]) {
  const emails = [...new Set(rows.flatMap((r) => (r.input.email ? [r.input.email.toLowerCase()] : [])))];
  if (emails.length === 0) return new Map<string, number>();
  const found = await trx
    .selectFrom('users')
    .select(['id', sql<string>`lower(email)`.as('email')])
    .where(inTenant(p))
    .where(sql<boolean>`lower(email) in (${sql.join(emails)})`)
    .execute();
  return new Map(found.map((u) => [u.email, Number(u.id)]));
}

/**
 * Each row's talent record among those the caller sees in the cycle, or its row error: a person named
 * twice, by neither or both of user_id and email, or whose record the caller may not see ("no record",
 * never "not yours": a hidden record does not exist for them).
 */
async function targetsOf(trx: Transaction<DB>, p: Principal, cycleId: number, rows: Row[]) {
  const byEmail = await idsByEmail(trx, p, rows);
  const userOf = (r: Row) => r.input.user_id ?? byEmail.get(r.input.email?.toLowerCase() ?? '');
  const userIds = [...new Set(rows.flatMap((r) => userOf(r) ?? []))];
  const visible =
    userIds.length === 0
      ? []
      : await repo.selectRecords(trx, p, cycleId).where('r.user_id', 'in', userIds).execute();
  const recordOf = new Map(visible.map((r) => [r.user_id, r]));
  const firstRow = new Map<number, number>();
  return rows.map(({ row, input }) => {
    const field = input.user_id !== undefined ? 'user_id' : 'email';
    if ((input.user_id === undefined) === (input.email === undefined))
      return rowError(
        row,
        field,
        'invalid_parameters',
        'Name the person by user_id or by email: one of the two.',
      );
    const userId = userOf({ row, input });
    const record = userId === undefined ? undefined : recordOf.get(userId);
    if (!record || userId === undefined)
      return rowError(row, field, 'invalid_resource_id', 'No talent record of this person in the cycle.');
    const earlier = firstRow.get(userId);
    if (earlier !== undefined)
      return rowError(row, field, 'invalid_operation', `Row ${earlier} already names this person.`);
    firstRow.set(userId, row);
    return record;
  });
}

const changeOf = ({ user_id: _u, email: _e, ...change }: BulkRecordInput): RecordChange => change;

/**
 * Updates up to 10,000 talent records of one cycle in one transaction, each row through the PATCH's own
 * write (applyRecordChange): the same rights per field, scales, history and audit rows. all_or_nothing
 * writes nothing when any row fails; partial applies the valid rows. A failed row has written nothing
 * (every refusal precedes the write), so rows need no savepoints.
 */
export async function bulkUpdateRecords(
  db: Kysely<DB>,
  p: Principal,
  cycleId: number,
  upload: BulkUpload<BulkRecordInput>,
): Promise<BulkRecordResult> {
  await getCycle(db, p, cycleId);
  return inTransaction(db, async (trx) => {
    // A cycle that is not open refuses the whole upload: no row could pass.
    await holdOpenCycle(trx, p, cycleId);
    const targets = await targetsOf(trx, p, cycleId, upload.rows);
    const result: BulkRecordResult = { updated: 0, unchanged: 0, failed: 0, errors: [...upload.invalid] };
    for (const [k, { row, input }] of upload.rows.entries()) {
      const target = targets[k] as repo.RecordRow | RowError;
      if ('error' in target) {
        result.errors.push(target);
        continue;
      }
      try {
        const changed = await applyRecordChange(trx, p, target, changeOf(input));
        result[changed.length > 0 ? 'updated' : 'unchanged']++;
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        result.errors.push({ row, error: error.code, message: error.message });
      }
    }
    const errors = result.errors.sort((a, b) => a.row - b.row);
    const failed = new Set(errors.map((e) => e.row)).size;
    if (upload.mode === 'all_or_nothing' && failed > 0)
      throw new AppError(
        'bulk_rejected',
        `${failed} of the rows were rejected; nothing was written.`,
        errors,
      );
    return { ...result, failed, errors };
  });
}
