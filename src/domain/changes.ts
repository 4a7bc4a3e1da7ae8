import { type Insertable, type RawBuilder, sql, type Transaction } from 'kysely';
import type { AuditEventsTable, DB, EventsTable } from '../db/schema.js';
import type { Principal } from './access/principal.js';
import { randomId } from './random-id.js';
import type { Tenant } from './tenant.js';
import { eventWritesSql, writeEvents } from './webhooks/outbox.js';

/**
 * Every change the domain records, by the name clients see as an audit event's `action`, with the kind of
 * object it names. docs/events.md lists the same events; a test fails when the two differ. The names are
 * public (GET /v1/audit-events): add new ones, never rename one.
 */
export const changeEvents = {
  'organization.created': {
    object: 'organization',
    description: 'An organisation was created with its first super admin, by the operator.',
  },
  'privacy_notice.accepted': {
    object: 'user',
    description:
      "A user accepted the organisation's current privacy notice, or a super admin for a service account (`accepted_by`).",
  },
  'privacy_notice.updated': {
    object: 'organization',
    description: 'An admin changed the privacy notice; a new version asks everyone to accept it again.',
  },
  'user.signed_in': {
    object: 'user',
    description:
      'A person signed in, with their password or through the identity provider; the changes name the new session and the method.',
  },
  'user.sign_in_failed': {
    object: 'user',
    description: 'A sign-in with a wrong password for an existing account (unknown emails leave no row).',
  },
  'sso_settings.updated': {
    object: 'organization',
    description:
      "An admin changed the organisation's single sign-on settings (the client secret is never recorded, only that it changed).",
  },
  'user.signed_out': { object: 'user', description: 'A person signed out; their session ended.' },
  'user.session_revoked': {
    object: 'user',
    description: 'A person revoked one of their sessions from the session list.',
  },
  'user.invited': {
    object: 'user',
    description: 'An admin sent a person an invitation link to choose a password.',
  },
  'user.password_reset_requested': {
    object: 'user',
    description: 'A password-reset link was mailed to a person at their request.',
  },
  'user.password_changed': {
    object: 'user',
    description:
      "A person's password was set or changed (invitation, reset or change); all their sessions ended.",
  },
  'oauth_app.created': {
    object: 'oauth_app',
    description: 'An admin registered an OAuth app; its client hash was shown once.',
  },
  'oauth_app.updated': { object: 'oauth_app', description: "An admin changed an OAuth app's details." },
  'oauth_app.client_hash_rotated': {
    object: 'oauth_app',
    description: "An admin rotated an app's client hash; the old one works until the overlap window ends.",
  },
  'oauth_app.deleted': {
    object: 'oauth_app',
    description: 'An admin deleted an OAuth app; every token it was given was revoked.',
  },
  'oauth_app.authorized': {
    object: 'oauth_app',
    description: 'A person consented to an app acting for them; an authorization code was issued.',
  },
  'oauth_token.issued': {
    object: 'oauth_app',
    description: 'An app exchanged a code or a refresh token for an access token.',
  },
  'oauth_code.reused': {
    object: 'oauth_app',
    description: 'A used authorization code was presented again; every token issued from it was revoked.',
  },
  'oauth_grant.revoked': {
    object: 'oauth_app',
    description: "A person's grant to an app was revoked (by them, an admin, or the app itself).",
  },
  'instant_token.created': {
    object: 'user',
    description: 'A person made an instant token for their own scripts; it was shown once.',
  },
  'instant_token.revoked': { object: 'user', description: 'A person revoked one of their instant tokens.' },
  'demo.seeded': {
    object: 'organization',
    description: 'The demo directory was written into a new organisation; the changes count what it added.',
  },
  'sandbox.reset': {
    object: 'organization',
    description: 'The test sandbox was replaced by a copy of the live directory, ids kept.',
  },
  'metric_hook.created': {
    object: 'metric_hook',
    description:
      'An inbound metric webhook was created, bound to a milestone or to any its creator may update.',
  },
  'metric_hook.updated': {
    object: 'metric_hook',
    description: 'A metric webhook was renamed, paused or resumed.',
  },
  'metric_hook.rotated': {
    object: 'metric_hook',
    description: 'A metric webhook got a new URL and signing secret; the old ones stopped working.',
  },
  'metric_hook.deleted': {
    object: 'metric_hook',
    description: 'A metric webhook was deleted; its URL stopped working.',
  },
  'webhook_endpoint.created': {
    object: 'webhook_endpoint',
    description: 'An outbound webhook endpoint was created with its URL and the event types it receives.',
  },
  'webhook_endpoint.updated': {
    object: 'webhook_endpoint',
    description: "An endpoint's URL, description or event types were changed, or it was enabled or disabled.",
  },
  'webhook_endpoint.rotated': {
    object: 'webhook_endpoint',
    description: 'An endpoint got a new signing secret; deliveries from then on are signed with it.',
  },
  'webhook_endpoint.deleted': {
    object: 'webhook_endpoint',
    description: 'An endpoint was deleted with its delivery log; nothing more is sent to it.',
  },
  'webhook_endpoint.pinged': {
    object: 'webhook_endpoint',
    description: 'A test ping was queued for an endpoint.',
  },
  'webhook_endpoint.disabled': {
    object: 'webhook_endpoint',
    description:
      'The delivery worker disabled an endpoint that answered 410 Gone (`delivery_id`); the row names no actor, key or request id.',
  },
  'webhook_delivery.redelivered': {
    object: 'webhook_delivery',
    description: 'An event was queued again for an endpoint: a new delivery of the same event.',
  },
  'datastream.created': {
    object: 'datastream',
    description: 'A datastream was created, feeding one milestone as its creator.',
  },
  'datastream.deleted': {
    object: 'datastream',
    description: 'A datastream was deleted; its URL stopped working.',
  },
  'api_key.created': { object: 'api_key', description: 'An API key was created for a person and a mode.' },
  'api_key.revoked': { object: 'api_key', description: 'An API key was revoked; it stops working.' },
  'api_key.reactivated': { object: 'api_key', description: 'A revoked API key was made active again.' },
  'user.created': { object: 'user', description: 'A user was created.' },
  'service_account.created': {
    object: 'user',
    description:
      'A super admin created a service account (a user who is not a person); they accepted the privacy notice for it.',
  },
  'service_account.updated': {
    object: 'user',
    description: "A service account's name, description, role or data-admin grant was changed.",
  },
  'user.updated': { object: 'user', description: "A user's fields were changed." },
  'user.deactivated': { object: 'user', description: 'A user was deactivated; their API keys stop working.' },
  'user.reactivated': { object: 'user', description: 'A deactivated user was reactivated.' },
  'user.hr_scope_replaced': {
    object: 'user',
    description: "An hr_admin's scope (the departments and groups they manage) was replaced.",
  },
  'department.created': { object: 'department', description: 'A department was created.' },
  'department.updated': { object: 'department', description: 'A department was renamed.' },
  'department.moved': {
    object: 'department',
    description: 'A department was moved under another parent, its people and sub-departments with it.',
  },
  'department.deleted': { object: 'department', description: 'A department was deleted.' },
  'group.created': { object: 'group', description: 'A group was created.' },
  'group.updated': { object: 'group', description: "A group's name or description was changed." },
  'group.members_replaced': {
    object: 'group',
    description: "A group's member list was replaced; the changes list who was added and removed.",
  },
  'group.deleted': {
    object: 'group',
    description: 'A group was deleted, with its memberships and any hr_admin scope over it.',
  },
  'team.created': { object: 'team', description: 'A team was created.' },
  'team.updated': { object: 'team', description: "A team's fields were changed." },
  'team.deleted': { object: 'team', description: 'A team was deleted, its memberships with it.' },
  'team.member_added': { object: 'team', description: 'A person joined a team with a team role.' },
  'team.member_role_changed': { object: 'team', description: "A team member's team role was changed." },
  'team.member_removed': { object: 'team', description: 'A person was removed from a team.' },
  'period.created': { object: 'period', description: 'A period was created.' },
  'period.updated': {
    object: 'period',
    description: "A period's fields were changed, or it was reopened; goals that took its dates follow them.",
  },
  'period.closed': {
    object: 'period',
    description: 'A period was closed: check-ins into it need allow_closed_period from then on.',
  },
  'settings.assessment_scale_changed': {
    object: 'settings',
    description: "The organisation's assessment scale was changed.",
  },
  'goal.created': { object: 'goal', description: 'A goal was created, by a call or a bulk upload.' },
  'goal.updated': {
    object: 'goal',
    description: "A goal's fields were changed, or it lost its parent when the parent was deleted.",
  },
  'goal.deleted': { object: 'goal', description: 'A goal was deleted with its milestones.' },
  'goal.copied': {
    object: 'goal',
    description: "A goal was created as a copy of another, after the new goal's own goal.created.",
  },
  'goal.progress_changed': {
    object: 'goal',
    description: "A goal's progress was recomputed from its milestones or aligned goals and moved.",
  },
  'goal.checked_in': {
    object: 'goal',
    description: 'A check-in gave a goal without milestones its progress.',
  },
  'milestone.created': { object: 'milestone', description: 'A milestone was added to a goal.' },
  'milestone.updated': { object: 'milestone', description: "A milestone's fields were changed." },
  'milestone.deleted': { object: 'milestone', description: 'A milestone was deleted.' },
  'milestone.checked_in': {
    object: 'milestone',
    description:
      "A check-in gave a milestone a new value; the changes carry its value's and progress's move.",
  },
  'comment.created': {
    object: 'comment',
    description: 'A comment was posted on a goal or one of its milestones.',
  },
  'comment.updated': { object: 'comment', description: "A comment's text was edited." },
  'comment.deleted': { object: 'comment', description: 'A comment was deleted.' },
  'assessment.created': {
    object: 'assessment',
    description: 'A goal was assessed (scored): by its owner, a manager, a team lead, an editor or an admin.',
  },
  'assessment.updated': {
    object: 'assessment',
    description: "An assessment's score or comment was changed.",
  },
  'feedback_template.created': {
    object: 'feedback_template',
    description: 'A feedback template was created.',
  },
  'feedback_template.updated': {
    object: 'feedback_template',
    description: "A feedback template's fields were changed; requests already made keep what they asked.",
  },
  'settings.feedback_changed': {
    object: 'settings',
    description: "The organisation's feedback settings (the anonymity threshold) were changed.",
  },
  'feedback_cycle.created': {
    object: 'feedback_cycle',
    description: 'A scheduled 360 or upward feedback cycle was created, with one request per recipient.',
  },
  'feedback_request.reminder_due': {
    object: 'feedback_request',
    description:
      'Providers of an open request who have not answered are to be reminded; the changes say how many, never who.',
  },
  'feedback_request.created': {
    object: 'feedback_request',
    description:
      'Feedback was requested from providers: by the recipient, their manager, or a scheduled cycle.',
  },
  'feedback_request.providers_added': {
    object: 'feedback_request',
    description: 'More providers were asked for feedback on an open request.',
  },
  'feedback_request.cancelled': {
    object: 'feedback_request',
    description: 'A feedback request was cancelled by its requester; providers can no longer answer.',
  },
  'feedback_request.declined': {
    object: 'feedback_request',
    description:
      'A provider declined a feedback request. On an anonymous request the row names no actor, key or request id.',
  },
  'feedback.submitted': {
    object: 'feedback',
    description:
      'A provider answered a feedback request. On an anonymous request the row names no actor, key or request id, ' +
      'takes a random id and the day only (docs/feedback.md).',
  },
  'feedback.given': {
    object: 'feedback',
    description: 'Feedback was given without a request (unprompted); always named.',
  },
  'company_value.created': {
    object: 'company_value',
    description: 'A company value was added to the list givers choose from.',
  },
  'company_value.updated': {
    object: 'company_value',
    description: "A company value's name or description was changed.",
  },
  'company_value.deleted': {
    object: 'company_value',
    description: 'A company value was deleted; recognitions that name it keep it.',
  },
  'calibration_cycle.created': {
    object: 'calibration_cycle',
    description: 'A calibration cycle was set up as a draft: its scales, target distribution and population.',
  },
  'calibration_cycle.updated': {
    object: 'calibration_cycle',
    description: "A calibration cycle's settings were changed.",
  },
  'calibration_cycle.opened': {
    object: 'calibration_cycle',
    description: 'A calibration cycle was opened; the changes count the talent records made, one per person.',
  },
  'calibration_cycle.locked': {
    object: 'calibration_cycle',
    description: 'A calibration cycle was locked: its talent records no longer change.',
  },
  'calibration_cycle.closed': {
    object: 'calibration_cycle',
    description:
      'A calibration cycle was closed: the final ratings reach managers (and people, when it publishes to them).',
  },
  'calibration_session.created': {
    object: 'calibration_session',
    description: 'A calibration session was made with its participants and facilitators.',
  },
  'calibration_cycle.synced': {
    object: 'calibration_cycle',
    description:
      "People who joined an open cycle's population were given talent records; the changes count them (0 too).",
  },
  'calibration_session.updated': {
    object: 'calibration_session',
    description: 'A calibration session was renamed, or its participants or facilitators replaced.',
  },
  'calibration_session.deleted': {
    object: 'calibration_session',
    description: "A calibration session was deleted; its people's talent records returned to no session.",
  },
  'talent_record.updated': {
    object: 'talent_record',
    description:
      "A talent record's proposed or calibrated values or notes were changed; its history keeps each old value.",
  },
  'recognition.created': {
    object: 'recognition',
    description: 'A recognition was given; the changes list its receivers (a team expanded) and hashtags.',
  },
  'recognition.updated': {
    object: 'recognition',
    description: 'A recognition was edited by its giver within 24 hours of giving it.',
  },
  'recognition.deleted': {
    object: 'recognition',
    description: 'A recognition was deleted; the changes keep its giver, receivers and message.',
  },
  'recognition.reacted': {
    object: 'recognition',
    description: 'Someone reacted to a recognition; the changes name the reaction and its kind.',
  },
  'recognition.reaction_removed': {
    object: 'recognition',
    description: 'Someone took back their reaction to a recognition.',
  },
  'recognition.commented': {
    object: 'recognition',
    description: 'A comment was posted on a recognition.',
  },
  'recognition.comment_deleted': {
    object: 'recognition',
    description: 'A comment on a recognition was deleted; the changes keep its text.',
  },
  'conversation_template.created': {
    object: 'conversation_template',
    description: 'A conversation template was created with its first version of questions.',
  },
  'conversation_template.updated': {
    object: 'conversation_template',
    description:
      "A conversation template's fields or questions were changed; new questions once it is in use make a new version.",
  },
  'conversation_deployment.created': {
    object: 'conversation_deployment',
    description:
      'A scheduled template was sent to a population; the changes count the conversations it made (one event, not one per conversation).',
  },
  'conversation_deployment.synced': {
    object: 'conversation_deployment',
    description: "People who joined a deployment's population later were given their conversations.",
  },
  'conversation.created': {
    object: 'conversation',
    description: 'An anytime conversation was started between a manager and a report.',
  },
  'conversation.draft_saved': {
    object: 'conversation',
    description:
      'A participant saved draft answers; the changes name the side and the questions, never the answers.',
  },
  'conversation.submitted': {
    object: 'conversation',
    description:
      'A participant submitted their answers; once every side that answers has, they are shared. ' +
      "A manager's submission lists, in `talent_records`, what became of each mapped answer in the " +
      "report's open talent records (never the answer).",
  },
  'conversation.notes_updated': {
    object: 'conversation',
    description: 'The shared notes of a conversation were changed (their text is not recorded).',
  },
  'conversation.private_note_saved': {
    object: 'conversation',
    description: 'A participant saved their private note (its text is never recorded).',
  },
  'conversation.meeting_confirmed': {
    object: 'conversation',
    description: 'A participant confirmed that the meeting took place.',
  },
  'conversation.completed': { object: 'conversation', description: 'A shared conversation was completed.' },
  'conversation.manager_reassigned': {
    object: 'conversation',
    description:
      "A conversation's manager was replaced; the previous manager's unsubmitted draft was dropped.",
  },
  'conversation.goal_linked': {
    object: 'conversation',
    description: 'A goal was added to the goals discussed in a conversation.',
  },
  'conversation.goal_unlinked': {
    object: 'conversation',
    description: 'A goal was taken off the goals discussed in a conversation.',
  },
  'conversation_edit_request.created': {
    object: 'conversation_edit_request',
    description: 'A participant asked to change their submitted answers.',
  },
  'conversation_edit_request.approved': {
    object: 'conversation_edit_request',
    description: "An edit request was approved: the side's submitted answers became its draft again.",
  },
  'conversation_edit_request.denied': {
    object: 'conversation_edit_request',
    description: 'An edit request was denied; the answers stay as submitted.',
  },
} as const satisfies Record<string, { object: string; description: string }>;

export type ChangeEvent = keyof typeof changeEvents;

/**
 * The changes that stay in the audit log and are not sent to webhook endpoints: sign-in and credentials
 * (a subscriber has no use for them and they would widen who learns of them), and the configuration of
 * webhooks themselves. Every other event of the registry is an outbound event, so a new area's events reach
 * subscribers without an edit here (docs/webhooks.md, "Outbound events").
 */
const internalEvents: ReadonlySet<ChangeEvent> = new Set<ChangeEvent>([
  'user.signed_in',
  'user.sign_in_failed',
  'user.signed_out',
  'user.session_revoked',
  'user.invited',
  'user.password_reset_requested',
  'user.password_changed',
  'api_key.created',
  'api_key.revoked',
  'api_key.reactivated',
  'metric_hook.rotated',
  'webhook_endpoint.created',
  'webhook_endpoint.updated',
  'webhook_endpoint.rotated',
  'webhook_endpoint.deleted',
  'webhook_endpoint.pinged',
  'webhook_endpoint.disabled',
  'webhook_delivery.redelivered',
  'conversation.private_note_saved',
]);

export const isOutboundEvent = (event: string): event is ChangeEvent =>
  Object.hasOwn(changeEvents, event) && !internalEvents.has(event as ChangeEvent);

/** Every event type an endpoint may subscribe to, in the registry's order. */
export const outboundEventTypes = (Object.keys(changeEvents) as ChangeEvent[]).filter(isOutboundEvent);

/** One object's change: its id (null for the organisation's settings) and what changed. */
export interface Change {
  objectId: number | null;
  changes?: Record<string, unknown>;
}

/** Whom a change is recorded against: a principal, or the system itself (no person, key or request). */
type Recorder = Pick<Principal, 'orgId' | 'mode' | 'apiKeyId' | 'requestId'> & { userId: number | null };

const auditRow = (actor: Recorder, event: ChangeEvent, change: Change): Insertable<AuditEventsTable> => ({
  org_id: actor.orgId,
  mode: actor.mode,
  actor_user_id: actor.userId,
  api_key_id: actor.apiKeyId,
  request_id: actor.requestId,
  action: event,
  object_type: changeEvents[event].object,
  object_id: change.objectId,
  changes: JSON.stringify(change.changes ?? {}),
});

/** Rows per INSERT of a bulk write: 9,000 parameters, well under PostgreSQL's 65,535. */
const CHUNK = 1000;

/** Records the change; call it inside the command's own transaction so both commit or neither does. */
export async function recordChange(
  trx: Transaction<DB>,
  actor: Principal,
  event: ChangeEvent,
  objectId: number | null,
  changes?: Record<string, unknown>,
): Promise<void> {
  await recordChanges(trx, actor, event, [{ objectId, changes }]);
}

/**
 * Records a change made by someone who must stay anonymous (an anonymous feedback provider): no actor, no
 * key, no request id, a random id (the log's id order would place it beside the provider's other changes)
 * and the day only. The row says what happened to which object; nothing in it says who or exactly when.
 */
export async function recordAnonymousChange(
  trx: Transaction<DB>,
  actor: Principal,
  event: ChangeEvent,
  objectId: number,
  changes: Record<string, unknown>,
): Promise<void> {
  await trx
    .insertInto('audit_events')
    .values({
      ...auditRow(actor, event, { objectId, changes }),
      actor_user_id: null,
      api_key_id: null,
      request_id: null,
      id: randomId(),
      occurred_at: new Date(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`),
    })
    .execute();
}

/**
 * Records a change the system made on its own, no one having asked (the delivery worker disabling an
 * endpoint that answered 410 Gone): no actor, key or request id; the event's description says what did it.
 */
export async function recordSystemChange(
  trx: Transaction<DB>,
  t: Tenant,
  event: ChangeEvent,
  objectId: number,
  changes: Record<string, unknown>,
): Promise<void> {
  const system = { orgId: t.orgId, mode: t.mode, userId: null, apiKeyId: null, requestId: null };
  await recordEvents(trx, system, [{ event, objectId, changes }]);
}

/** The same event on many objects (a bulk upload), in a few multi-row INSERTs. */
export async function recordChanges(
  trx: Transaction<DB>,
  actor: Principal,
  event: ChangeEvent,
  objects: Change[],
): Promise<void> {
  await recordEvents(
    trx,
    actor,
    objects.map((change) => ({ event, ...change })),
  );
}

/** Changes of several kinds made by one command (a check-in and the moves it rolls up), in their order. */
export async function recordEvents(
  trx: Transaction<DB>,
  actor: Recorder,
  events: (Change & { event: ChangeEvent })[],
): Promise<void> {
  for (let i = 0; i < events.length; i += CHUNK) {
    const batch = events.slice(i, i + CHUNK);
    const outbound = batch.filter((change) => isOutboundEvent(change.event));
    await writeEvents(
      trx,
      batch.map((change) => auditRow(actor, change.event, change)),
      outbound.map((change) => eventRow(actor, change.event, change)),
    );
  }
}

/** Changes of one kind that a statement computes itself: `rows` selects their (object_id, changes) in order. */
export interface ComputedChanges {
  event: ChangeEvent;
  rows: RawBuilder<unknown>;
}

/**
 * recordEvents as CTEs (`changed`, then writeEvents' own), for a statement that computes its changes: the same
 * audit rows, outbox events and deliveries, in the same order (test/checkins-at-once.test.ts compares them).
 */
export function recordEventsSql(actor: Recorder, computed: ComputedChanges[]): RawBuilder<unknown> {
  const kinds = sql.join(
    computed.map(
      ({ event, rows }, kind) => sql`(select ${kind}::int as kind, ${event}::text as action,
        ${changeEvents[event].object}::text as object_type, ${isOutboundEvent(event)}::boolean as outbound,
        c.object_id::bigint, c.changes::jsonb from (${rows}) c)`,
    ),
    sql` union all `,
  );
  const who = sql`${actor.orgId}::bigint, ${actor.mode}::text`;
  return sql`changed as (select row_number() over () as n, * from (${kinds}) k),
    ${eventWritesSql(
      sql`select ${who}, ${actor.userId}::bigint, ${actor.apiKeyId}::bigint, ${actor.requestId}::text, action,
        object_type, object_id, changes from changed order by kind, n`,
      sql`select ${who}, action, object_type, object_id, jsonb_build_object('object', object_type, 'id', object_id,
        'mode', ${actor.mode}::text, 'actor_user_id', ${actor.userId}::bigint, 'request_id', ${actor.requestId}::text,
        'changes', changes) from changed where outbound order by kind, n`,
    )}`;
}

/**
 * The outbox row of a change: the payload's `data` is what a subscriber needs to act (the object, who
 * changed it and what changed) without a second call; the whole object is one GET away.
 */
const eventRow = (actor: Recorder, event: ChangeEvent, change: Change): Insertable<EventsTable> => ({
  org_id: actor.orgId,
  mode: actor.mode,
  type: event,
  object_type: changeEvents[event].object,
  object_id: change.objectId,
  payload: JSON.stringify({
    object: changeEvents[event].object,
    id: change.objectId,
    mode: actor.mode,
    actor_user_id: actor.userId,
    request_id: actor.requestId,
    changes: change.changes ?? {},
  }),
});
