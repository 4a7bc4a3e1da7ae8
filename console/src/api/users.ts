import { api, type User, unwrap } from './client';

/** These people by id, to show names instead of numbers; one the caller may not read is left out, not fatal. */
export async function usersById(ids: Iterable<number>): Promise<Map<number, User>> {
  const read = (id: number) =>
    unwrap(api.GET('/v1/users/{id}', { params: { path: { id: String(id) } } })).then(
      (answer) => [answer.data],
      () => [],
    );
  const users = (await Promise.all([...new Set(ids)].map(read))).flat();
  return new Map(users.map((user) => [user.id, user]));
}
