import type { ComponentChildren } from 'preact';
import type { User } from '../api/client';
import { usersById } from '../api/users';
import { ErrorBanner } from '../components/error-banner';
import { useLoad } from '../components/use-load';
import { displayName } from '../goals/load';

export interface WithPeople<T> {
  list: T[];
  people: Map<number, User>;
}

/** Loads a list and the people it names, so that a screen shows names, never ids. */
export function useWithPeople<T>(load: () => Promise<T[]>, idsOf: (item: T) => number[], key: unknown[]) {
  return useLoad(async (): Promise<WithPeople<T>> => {
    const list = await load();
    return { list, people: await usersById(list.flatMap(idsOf)) };
  }, key);
}

interface Props<T> {
  title: string;
  /** The section's accessible name, e.g. "Recognition given". */
  label: string;
  empty: string;
  me: number;
  loaded: ReturnType<typeof useWithPeople<T>>;
  /** One card: `name` says "you" for me and the person's name for anyone else. */
  card: (item: T, name: (id: number) => string) => ComponentChildren;
}

/** A titled list of cards with its loading, empty and error states. */
export function ListSection<T>({ title, label, empty, me, loaded, card }: Props<T>) {
  const value = loaded.value;
  const name = (id: number) => (id === me ? 'you' : displayName(value?.people.get(id)));
  return (
    <section aria-label={label}>
      <h2>{title}</h2>
      <ErrorBanner error={loaded.error} />
      {!value && !loaded.error && <p aria-live="polite">Loading…</p>}
      {value?.list.length === 0 && <p class="muted">{empty}</p>}
      <ul class="cards">{value?.list.map((item) => card(item, name))}</ul>
    </section>
  );
}
