import { useEffect, useState } from 'preact/hooks';
import type { User } from '../api/client';
import { ErrorBanner } from '../components/error-banner';
import { SelectField } from '../components/select-field';
import { displayName } from '../goals/load';
import { searchPeople } from './names';

interface Props {
  /** The field's name in its form, and the words of its label ("Recipient"). */
  name: string;
  label: string;
  /** Left out of the choices: a person never recognises or gives feedback to themselves. */
  exclude?: number;
}

/**
 * Search people by name or email, then choose one: the choice is posted as the form field `name`. Until someone
 * matches, the only choice is empty, so the browser's own required check stops the form before any request.
 */
export function PersonPicker({ name, label, exclude }: Props) {
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<User[]>([]);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const words = query.trim();
    if (words === '') return setFound([]);
    // Ask once typing pauses, not on every key.
    const timer = setTimeout(() => {
      searchPeople(words).then((people) => {
        setError(null);
        setFound(people.filter((p) => p.id !== exclude && p.status === 'active'));
      }, setError);
    }, 250);
    return () => clearTimeout(timer);
  }, [query, exclude]);
  return (
    <div class="person-picker">
      <ErrorBanner error={error} />
      <label>
        Search people by name or email
        <input type="search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
      </label>
      <SelectField label={label} name={name} required>
        {found.length === 0 && (
          <option value="">{query.trim() ? 'Nobody matches yet' : 'Search first'}</option>
        )}
        {found.map((person) => (
          <option key={person.id} value={person.id}>
            {displayName(person)} ({person.email})
          </option>
        ))}
      </SelectField>
    </div>
  );
}
