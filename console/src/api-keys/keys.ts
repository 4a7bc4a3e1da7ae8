import { api, type User, unwrap } from '../api/client';
import { everyPage } from '../api/pages';
import type { components } from '../api/schema';

export type ApiKey = components['schemas']['ApiKey'];
export type KeyMode = ApiKey['mode'];
export type KeyStatus = ApiKey['status'];
/** A key as its creation answers it: the only answer that carries the key itself. */
export type NewKey = ApiKey & { key: string | null };
export type KeyAction = 'revoke' | 'reactivate';

/** A thousand keys in one status is more than a screen should list; an organisation that has more filters. */
const MAX_PAGES = 10;

/** The organisation's keys in one status, newest first. */
export async function keysWithStatus(status: KeyStatus): Promise<ApiKey[]> {
  const keys = await everyPage(
    (page, size) => unwrap(api.GET('/v1/api-keys', { params: { query: { status, page, size } } })),
    MAX_PAGES,
  );
  return keys.sort((a, b) => b.id - a.id);
}

export interface KeyRequest {
  holder: User;
  name: string;
  mode: KeyMode;
}

export async function generateKey({ holder, name, mode }: KeyRequest): Promise<NewKey> {
  const body = { user: holder.id, name, mode };
  return (await unwrap(api.POST('/v1/api-keys', { body }))).data;
}

/** Revoking stops every call with the key at once; reactivating lets the same key work again. */
export async function changeKey(key: ApiKey, action: KeyAction): Promise<ApiKey> {
  const params = { path: { id: key.id } };
  const answer =
    action === 'revoke'
      ? await unwrap(api.POST('/v1/api-keys/{id}/revoke', { params }))
      : await unwrap(api.POST('/v1/api-keys/{id}/reactivate', { params }));
  return answer.data;
}

/** Active people and service accounts whose name or email contains the words; the first page only. */
export async function peopleMatching(words: string): Promise<User[]> {
  const q = words.trim();
  const query = { status: 'active' as const, kind: 'all' as const, size: 20, ...(q && { q }) };
  return (await unwrap(api.GET('/v1/users', { params: { query } }))).data;
}
