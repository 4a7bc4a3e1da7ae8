import type { ComponentChildren, VNode } from 'preact';
import { ErrorBanner } from './error-banner';

/** What usePaged (config-admin/use-paged.ts) gives a list screen. */
interface Paged<T> {
  rows: T[] | undefined;
  error: unknown;
  hasMore: boolean;
  more: () => void;
  busy: boolean;
}

interface Props<T> {
  list: Paged<T>;
  /** Said while the first page loads, e.g. "Loading templates…". */
  loading: string;
  /** Said when the list is empty. */
  empty: ComponentChildren;
  /** One card (an li with its key) a row. */
  card: (row: T) => VNode;
}

/** A paged list of cards with its failure, loading and empty states, and "Show more" while pages remain. */
export function PagedCards<T>({ list, loading, empty, card }: Props<T>) {
  return (
    <>
      <ErrorBanner error={list.error} />
      {list.rows === undefined && !list.error && <p aria-live="polite">{loading}</p>}
      {list.rows?.length === 0 && <p>{empty}</p>}
      <ul class="cards">{list.rows?.map(card)}</ul>
      {list.hasMore && (
        <button type="button" class="secondary" onClick={list.more} disabled={list.busy}>
          Show more
        </button>
      )}
    </>
  );
}
