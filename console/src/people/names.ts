import { api, type User, unwrap } from '../api/client';

/** People whose names match, for a picker: the API searches names and emails (`q`). */
export async function searchPeople(query: string): Promise<User[]> {
  const answer = await unwrap(api.GET('/v1/users', { params: { query: { q: query, size: 10 } } }));
  return answer.data;
}
