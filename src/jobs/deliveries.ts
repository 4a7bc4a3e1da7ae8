import { type Kysely, sql } from 'kysely';
import type { DB, DeliveryStatus, Mode } from '../db/schema.js';
import { disableGoneEndpoint } from '../domain/webhooks/endpoints.js';

/** A claimed delivery with what sending it needs: the endpoint's URL and secret, and the event. */
export interface ClaimedDelivery {
  org_id: number;
  mode: Mode;
  id: number;
  endpoint_id: number;
  event_id: number;
  attempt_count: number;
  url: string;
  signing_secret: string;
  type: string;
  payload: Record<string, unknown>;
  created_at: string;
}

/**
 * Claims up to `limit` due deliveries of enabled endpoints for this worker, in one statement: rows another
 * worker is claiming are skipped (FOR UPDATE SKIP LOCKED), and a claimed row's next_attempt_at becomes the
 * lease's end, so no one else takes it until then, and a crashed worker's claims come due again by themselves.
 */
export async function claimDue(
  db: Kysely<DB>,
  workerId: string,
  now: Date,
  leaseMs: number,
  limit: number,
): Promise<ClaimedDelivery[]> {
  const leaseEnd = new Date(now.getTime() + leaseMs);
  // The due rows are chosen and locked first (a locking CTE is computed once), then joined by key: as an
  // IN (subquery) the planner may run the subquery once per row of the table.
  const { rows } = await sql<ClaimedDelivery>`
    with due as (
      select q.org_id, q.mode, q.id
        from webhook_deliveries q
        join webhook_endpoints qe on qe.org_id = q.org_id and qe.mode = q.mode and qe.id = q.endpoint_id
       where q.status in ('pending', 'delivering', 'failed') and q.next_attempt_at <= ${now} and qe.enabled
       order by q.next_attempt_at
       limit ${limit}
         for update of q skip locked)
    update webhook_deliveries d
       set status = 'delivering', attempt_count = d.attempt_count + 1, next_attempt_at = ${leaseEnd},
           locked_by = ${workerId}, last_attempt_at = ${now}
      from due, webhook_endpoints e, events ev
     where d.org_id = due.org_id and d.mode = due.mode and d.id = due.id
       and e.org_id = d.org_id and e.mode = d.mode and e.id = d.endpoint_id
       and ev.org_id = d.org_id and ev.mode = d.mode and ev.id = d.event_id
    returning d.org_id, d.mode, d.id, d.endpoint_id, d.event_id, d.attempt_count, e.url, e.signing_secret,
              ev.type, ev.payload, ev.created_at`.execute(db);
  return rows.map((row) => ({
    ...row,
    org_id: Number(row.org_id),
    id: Number(row.id),
    endpoint_id: Number(row.endpoint_id),
    event_id: Number(row.event_id),
  }));
}

/** What became of one attempt. */
export interface Outcome {
  org_id: number;
  mode: Mode;
  id: number;
  endpoint_id: number;
  status: Exclude<DeliveryStatus, 'pending' | 'delivering'>;
  next_attempt_at: string | null;
  code: number | null;
  ms: number;
  response: string | null;
  error: string | null;
  /** The endpoint answered 410 Gone: it is disabled. */
  gone: boolean;
}

/**
 * Writes a batch's outcomes in one statement, on the rows this worker still holds: if its lease ran out and
 * another worker claimed a row meanwhile, that worker's outcome is the one kept.
 */
export async function settle(db: Kysely<DB>, workerId: string, outcomes: Outcome[]): Promise<void> {
  if (outcomes.length === 0) return;
  await sql`
    update webhook_deliveries d
       set status = v.status, next_attempt_at = v.next_attempt_at, last_status_code = v.code,
           last_latency_ms = v.ms, last_response = v.response, last_error = v.error
      from jsonb_to_recordset(${JSON.stringify(outcomes)}::jsonb) as v(org_id bigint, mode text, id bigint,
           status text, next_attempt_at timestamptz, code int, ms int, response text, error text)
     where d.org_id = v.org_id and d.mode = v.mode and d.id = v.id
       and d.status = 'delivering' and d.locked_by = ${workerId}`.execute(db);
  for (const gone of outcomes.filter((o) => o.gone)) {
    await disableGoneEndpoint(db, { orgId: gone.org_id, mode: gone.mode }, gone.endpoint_id, gone.id);
  }
}
