import { type TSchema, Type } from '@sinclair/typebox';

/** WorkBoard's success envelope: `{success, message, data: {totalCount, <resource>: …}}`. */
export const wbEnvelope = <T extends TSchema>(resource: string, item: T) =>
  Type.Object({
    success: Type.Literal(true),
    message: Type.String(),
    data: Type.Object({ totalCount: Type.Integer(), [resource]: Type.Array(item) }),
  });

export const wbOk = <T>(resource: string, items: T[], message: string) => ({
  success: true as const,
  message,
  data: { totalCount: items.length, [resource]: items },
});

/** WorkBoard writes numbers and ids as strings, and times as unix seconds in strings. */
export const wbNumber = (value: number | string | null) => (value === null ? null : String(value));
export const wbTime = (at: Date | string | null) =>
  at === null ? null : String(Math.floor(new Date(at).getTime() / 1000));
