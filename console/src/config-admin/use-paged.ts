import { useCallback, useEffect, useState } from 'preact/hooks';

/** A /v1 list answer, as every paged route gives it. */
export interface ListAnswer<T> {
  data: T[];
  total_count: number;
  next_cursor: string | null;
}

/**
 * A list read page by page with the API's cursor: the first page on each key, the next one on more().
 * A cursor is bound to the filters it was made for, so a new key starts again from the first page.
 */
export function usePaged<T>(load: (cursor?: string) => Promise<ListAnswer<T>>, key: unknown[]) {
  const [rows, setRows] = useState<T[] | undefined>(undefined);
  const [total, setTotal] = useState(0);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const fetchPage = async (after: string | undefined, before: T[]) => {
    setBusy(true);
    setError(null);
    try {
      const answer = await load(after);
      setRows([...before, ...answer.data]);
      setTotal(answer.total_count);
      setCursor(answer.next_cursor);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  const reload = useCallback(() => fetchPage(undefined, []), key);
  useEffect(() => {
    reload();
  }, [reload]);
  const more = () => (cursor ? fetchPage(cursor, rows ?? []) : Promise.resolve());
  return { rows, total, hasMore: cursor !== null, more, reload, error, busy };
}
