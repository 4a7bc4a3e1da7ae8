import { api, unwrap } from '../api/client';

/** Mails the person a link to choose a password; a refused mail is 503 mail_not_sent and changes nothing. */
export const invite = (userId: number) =>
  unwrap(api.POST('/v1/users/{id}/invitation', { params: { path: { id: userId } } }));
