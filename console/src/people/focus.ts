import { useEffect, useRef } from 'preact/hooks';

/**
 * A ref that takes the focus whenever `shown` turns true: a confirmation or an in-place form that appears
 * puts a keyboard user on it (the autofocus attribute works only once per page).
 */
export function useFocusWhen<T extends HTMLElement>(shown: boolean) {
  const ref = useRef<T>(null);
  useEffect(() => {
    if (shown) ref.current?.focus();
  }, [shown]);
  return ref;
}
