/** A timestamp as the reader's locale shows it; never set yet reads as "never". */
export const when = (at: string | null | undefined) => (at ? new Date(at).toLocaleString() : 'never');

/**
 * A day picked in a date field as an instant in the reader's time zone: its start, or (end) the start of
 * the next day, since the API's `until` is exclusive. Empty or malformed: no bound.
 */
export function dayBound(day: string, end: boolean): string | undefined {
  const [y, m, d] = day.split('-').map(Number);
  if (!y || !m || !d) return undefined;
  return new Date(y, m - 1, end ? d + 1 : d).toISOString();
}
