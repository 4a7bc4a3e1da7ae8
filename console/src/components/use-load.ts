import { useCallback, useEffect, useState } from 'preact/hooks';

/** Loads once per key and on reload(); the failure is kept to show in an ErrorBanner. */
export function useLoad<T>(load: () => Promise<T>, key: unknown[]) {
  const [value, setValue] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const reload = useCallback(() => {
    setError(null);
    return load().then(setValue, setError);
  }, key);
  useEffect(() => {
    reload();
  }, [reload]);
  return { value, error, reload, setValue };
}
