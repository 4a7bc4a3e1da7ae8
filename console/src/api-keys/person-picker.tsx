import { useEffect, useState } from 'preact/hooks';
import type { User } from '../api/client';
import { ErrorBanner } from '../components/error-banner';
import { displayName } from '../goals/load';
import { peopleMatching } from './keys';

/** Waits for a pause in typing, so a search is one request rather than one per keystroke. */
const PAUSE_MS = 250;

const describe = (user: User) =>
  `${displayName(user)} <${user.email}>${user.kind === 'service' ? ' (service account)' : ''}`;

interface Props {
  chosen: User | null;
  onChoose: (user: User | null) => void;
}

/** The key's holder, as seed 000 says "choose a user": search the directory by name or email, pick a match. */
export function PersonPicker({ chosen, onChoose }: Props) {
  const [words, setWords] = useState('');
  const [matches, setMatches] = useState<User[] | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      peopleMatching(words).then(
        (found) => {
          if (!current) return;
          setMatches(found);
          setError(null);
        },
        (failure) => {
          if (current) setError(failure);
        },
      );
    }, PAUSE_MS);
    // An answer to an earlier search that comes late must not replace the later one.
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [words]);
  // The chosen person stays a choice while the search moves on to others.
  const options =
    chosen && !matches?.some((u) => u.id === chosen.id) ? [chosen, ...(matches ?? [])] : matches;
  const choose = (id: string) => onChoose(options?.find((u) => String(u.id) === id) ?? null);

  return (
    <fieldset class="person-picker">
      <legend>Person who holds the key</legend>
      <ErrorBanner error={error} />
      <label>
        Search by name or email
        <input type="search" value={words} onInput={(e) => setWords(e.currentTarget.value)} />
      </label>
      {/* A label apart from its select: wrapped, the select's chosen option would join its name. */}
      <label for="key-holder">Person</label>
      <select
        id="key-holder"
        required
        value={chosen ? String(chosen.id) : ''}
        onChange={(e) => choose(e.currentTarget.value)}
      >
        <option value="">{matches === undefined ? 'Loading people…' : 'Choose a person'}</option>
        {options?.map((user) => (
          <option key={user.id} value={String(user.id)}>
            {describe(user)}
          </option>
        ))}
      </select>
      <p class="muted" aria-live="polite">
        {matches?.length === 0 ? 'Nobody active matches.' : ''}
      </p>
    </fieldset>
  );
}
