import { useEffect, useState } from 'preact/hooks';
import { api, unwrap } from '../api/client';
import { displayName } from '../goals/load';

/**
 * The names of the people these ids name, read once each with GET /v1/users/{id}; an id not (yet) read, or a
 * person the admin may not see, shows as "person N", so a row never waits on a name.
 */
export function usePeopleNames(ids: (number | null)[]) {
  const [names, setNames] = useState<Map<number, string>>(new Map());
  const wanted = [...new Set(ids.filter((id): id is number => id !== null))].sort((a, b) => a - b);
  const key = wanted.join(',');
  useEffect(() => {
    const missing = wanted.filter((id) => !names.has(id));
    if (missing.length === 0) return;
    const read = (id: number) =>
      unwrap(api.GET('/v1/users/{id}', { params: { path: { id: String(id) } } })).then(
        (answer) => [[id, displayName(answer.data)] as const],
        () => [],
      );
    Promise.all(missing.map(read)).then((found) =>
      setNames((before) => new Map([...before, ...found.flat()])),
    );
  }, [key]);
  return (id: number) => names.get(id) ?? `person ${id}`;
}
