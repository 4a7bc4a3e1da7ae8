import { useState } from 'preact/hooks';

/**
 * One button's command: busy while it runs, its failure kept for an ErrorBanner, and what it answered kept
 * for the screen to say ("Saved", the new secret…). A second press while busy does nothing.
 */
export function useAction<A extends unknown[], T>(command: (...args: A) => Promise<T>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<T | undefined>(undefined);
  const run = async (...args: A): Promise<T | undefined> => {
    if (busy) return undefined;
    setBusy(true);
    setError(null);
    try {
      const answer = await command(...args);
      setResult(answer);
      return answer;
    } catch (failure) {
      setError(failure);
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { run, busy, error, result, clear: () => setResult(undefined) };
}
