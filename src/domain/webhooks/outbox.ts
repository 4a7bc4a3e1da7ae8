import { type Insertable, type RawBuilder, sql, type Transaction } from 'kysely';
import type { AuditEventsTable, DB, EventsTable } from '../../db/schema.js';

/**
 * Writes outbound events and fans each out to a pending delivery for every enabled endpoint of its
 * organisation and mode that subscribes to its type, in one statement inside the caller's transaction: the
 * change, its events and their deliveries commit together or not at all (docs/webhooks.md, "Outbound
 * events"). Fanning out here rather than in the worker leaves the worker no cursor to keep: a delivery exists
 * from the moment its change commits. The changes' audit rows are written by the same statement: one round
 * trip where a command holds its locks (a check-in holds its goal's chain).
 */
export async function writeEvents(
  trx: Transaction<DB>,
  /** At least one row: every recorded change has its audit row. */
  audit: Insertable<AuditEventsTable>[],
  rows: Insertable<EventsTable>[],
): Promise<void> {
  if (rows.length === 0) {
    await trx.insertInto('audit_events').values(audit).execute();
    return;
  }
  await trx
    .with('audit', (db) => db.insertInto('audit_events').values(audit))
    .with('ev', (db) => db.insertInto('events').values(rows).returning(['org_id', 'mode', 'id', 'type']))
    .insertInto('webhook_deliveries')
    .columns(['org_id', 'mode', 'endpoint_id', 'event_id', 'next_attempt_at'])
    .expression((eb) =>
      eb
        .selectFrom('ev')
        .innerJoin('webhook_endpoints as e', (j) =>
          j.onRef('e.org_id', '=', 'ev.org_id').onRef('e.mode', '=', 'ev.mode'),
        )
        .where('e.enabled', '=', true)
        .where(sql<boolean>`(e.event_types is null or ev.type = any(e.event_types))`)
        .select(['ev.org_id', 'ev.mode', 'e.id', 'ev.id', sql<Date>`now()`.as('next_attempt_at')]),
    )
    .execute();
}

/**
 * writeEvents as CTEs of a statement that computes its changes itself (a check-in's, checkin-at-once.ts):
 * `audit` selects audit_events rows and `events` events rows (org_id, mode, type, object_type, object_id,
 * payload); each event fans out to its endpoints as writeEvents does.
 */
export const eventWritesSql = (audit: RawBuilder<unknown>, events: RawBuilder<unknown>) => sql`
  audit as (insert into audit_events (org_id, mode, actor_user_id, api_key_id, request_id, action, object_type,
    object_id, changes) ${audit}),
  ev as (insert into events (org_id, mode, type, object_type, object_id, payload) ${events}
    returning org_id, mode, id, type),
  deliveries as (insert into webhook_deliveries (org_id, mode, endpoint_id, event_id, next_attempt_at)
    select ev.org_id, ev.mode, e.id, ev.id, now() from ev
    join webhook_endpoints e on e.org_id = ev.org_id and e.mode = ev.mode
    where e.enabled = true and (e.event_types is null or ev.type = any(e.event_types)))`;
