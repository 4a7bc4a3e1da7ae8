import { api, type User, unwrap } from '../api/client';

/** The people with these ids, by id; one the person may not read (or who has left) is simply absent. */
export async function peopleByIds(ids: Iterable<number>): Promise<Map<number, User>> {
  const read = (id: number) =>
    unwrap(api.GET('/v1/users/{id}', { params: { path: { id: String(id) } } })).then(
      (answer) => [answer.data],
      () => [],
    );
  const users = (await Promise.all([...new Set(ids)].map(read))).flat();
  return new Map(users.map((user) => [user.id, user]));
}

/** People whose names match, for a picker: the API searches names and emails (`q`). */
export async function searchPeople(query: string): Promise<User[]> {
  const answer = await unwrap(api.GET('/v1/users', { params: { query: { q: query, size: 10 } } }));
  return answer.data;
}
