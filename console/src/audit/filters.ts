import type { paths } from '../api/schema';
import { dayBound } from '../config-admin/when';

export type AuditQuery = NonNullable<paths['/v1/audit-events']['get']['parameters']['query']>;

/** The filter form's text fields, by the API's names; the days become `since` and `until`. */
const TEXT = ['action', 'object_type', 'request_id'] as const;
const IDS = ['object_id', 'actor_user_id', 'api_key_id'] as const;

/**
 * The form's filled fields as the API's query. An id that is not a whole number is sent as typed, so the API's
 * own refusal (400 invalid_parameters, with the field) is what the admin reads, not a second rule here.
 */
export function auditQueryOf(form: FormData): AuditQuery {
  const query: Record<string, unknown> = {};
  for (const name of TEXT) {
    const value = String(form.get(name) ?? '').trim();
    if (value) query[name] = value;
  }
  for (const name of IDS) {
    const value = String(form.get(name) ?? '').trim();
    if (value) query[name] = /^\d+$/.test(value) ? Number(value) : value;
  }
  const since = dayBound(String(form.get('from') ?? ''), false);
  const until = dayBound(String(form.get('to') ?? ''), true);
  if (since) query.since = since;
  if (until) query.until = until;
  return query as AuditQuery;
}
