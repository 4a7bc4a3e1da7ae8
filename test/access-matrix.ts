import type { Mode } from '../src/db/schema.js';
import type { Makers, MatrixRole, ObjectKind, Place } from './access-world.js';
import { oauthAppBody, QUIET, ROLES, WORLD_NOTICE } from './access-world.js';
import { token } from './route-catalog.js';

/**
 * The access matrix: one line per route of every face (method and path as the OpenAPI document names
 * them), saying what each role gets on its own organisation's object. test/access-matrix.test.ts runs every
 * cell, and fails when a route has no line, a line has no route, or a route has two lines.
 * How to read and extend it: docs/access-matrix.md. The roles are the columns of access-world.ts:
 *
 *   super_admin  admin  data_admin  hr_in  hr_out  owner  manager  member
 *
 * Outcomes on the own organisation's object, in the key's own mode:
 *   ok        2xx (a list: 200, and the world's object is in it)
 *   unlisted  a list: 200, and the world's object is not in it (the role may not see it)
 *   gate      403 at the route's gate (x-gate): the role alone decides, before any input or object is read
 *   403       refused for this object (a scope, an owner, an author), though the role passes the gate
 *   404       the role may not see the object: answered as if it did not exist
 *   422       the write is refused in its rows (a bulk upload's row errors: nothing is written)
 *
 * On another organisation's object, and on the other mode's, every cell expects 404 (a list: the object is
 * not in it) and nothing changed — except `gate`, which stays 403 whatever the object, and the lines that
 * say otherwise (`otherMode`: API keys belong to the organisation, not to a mode).
 */
export type Outcome = 'ok' | 'unlisted' | 'gate' | 403 | 404 | 422;

export interface MatrixLine {
  /** "METHOD /path/{param}", exactly as the OpenAPI document lists it. */
  route: string;
  /** The outcome of each role on its own organisation's object (both modes). */
  expect: Record<MatrixRole, Outcome>;
  /** The world's object each path parameter names: { id: 'goal' }. */
  params?: Record<string, ObjectKind>;
  /** A write that uses up its object: own cells (and cells expected to succeed) get a fresh one. */
  fresh?: keyof Makers;
  /** A valid body, its references taken from the place (the caller's organisation and mode). */
  body?: (p: Place) => unknown;
  /** A list: the kind of world object that must (or must not) be listed. */
  lists?: ObjectKind;
  /**
   * A body that names objects of the place: cells that send the other organisation's (and the other
   * mode's) ids instead, on the own object, must be refused with nothing written anywhere.
   */
  refs?: ('org' | 'mode')[];
  /** The outcomes with a test key on its own organisation's object, when they differ from `expect`. */
  inTestMode?: Record<MatrixRole, Outcome>;
  /** The outcome on the other mode's object, when it is not the default (404, or 403 at a gate). */
  otherMode?: (role: MatrixRole, mode: Mode) => Outcome;
  /** Why the line is as it is, when the rule is not obvious. */
  why?: string;
}

const OUTCOMES = new Set(['ok', 'unlisted', 'gate', '403', '404', '422']);

/** A row of outcomes in column order: 'ok ok ok ok gate gate gate gate'. */
export function row(outcomes: string): Record<MatrixRole, Outcome> {
  const words = outcomes.trim().split(/\s+/);
  if (words.length !== ROLES.length)
    throw new Error(`"${outcomes}" has ${words.length} outcomes, not ${ROLES.length}`);
  return Object.fromEntries(
    words.map((word, i) => {
      if (!OUTCOMES.has(word)) throw new Error(`"${word}" is not an outcome`);
      const outcome = /^\d+$/.test(word) ? Number(word) : word;
      return [ROLES[i], outcome];
    }),
  ) as Record<MatrixRole, Outcome>;
}

//                 super_admin admin data_admin hr_in hr_out owner manager member
const EVERYONE = row('ok ok ok ok ok ok ok ok');
const ORG_ADMINS = row('ok ok ok gate gate gate gate gate');
const SUPER_ADMIN = row('ok gate gate gate gate gate gate gate');
/** A super admin's write on a live account: a test key passes the gate and is refused there. */
const LIVE_SUPER_ADMIN = row('403 gate gate gate gate gate gate gate');
/** Writing people: org admins anyone, hr_admins their scope (the gate lets both kinds through). */
const PEOPLE_WRITERS = row('ok ok ok ok 403 gate gate gate');
/** Seeing the private goal: org admins, hr_in (the owner is in scope), the owner and their manager. */
const GOAL_READERS = row('ok ok ok ok 404 ok ok 404');
/** Changing the private goal: as reading it, but hr_admins see without writing. */
const GOAL_WRITERS = row('ok ok ok 403 404 ok ok 404');

/** A metric webhook: its creator (the owner) and org admins; to anyone else it does not exist. */
const METRIC_HOOK_MANAGERS = row('ok ok ok 404 404 ok 404 404');

/**
 * Seeing the private recognition: org admins, hr_in (the subject, its receiver, is in scope), the owner
 * (its giver) and the manager (the receiver's manager).
 */
const RECOGNITION_READERS = row('ok ok ok ok 404 ok ok 404');
/** Reading the world's conversation (the owner's, with the manager): super admins, HR in scope, the two. */
const CONVERSATION_READERS = row('ok 404 404 ok 404 ok ok 404');
const CONVERSATION_LIST = row('ok unlisted unlisted ok unlisted ok ok unlisted');
/** Writing in it: its two participants; a reader who is not one is refused, anyone else does not see it. */
const PARTICIPANTS = row('403 404 404 403 404 ok ok 404');
const EDIT_REQUEST_LIST = row('ok ok ok ok unlisted ok ok unlisted');
/** Deciding the owner's edit request: org admins and HR in scope; never the requester or the other side. */
const EDIT_REQUEST_DECIDERS = row('ok ok ok ok 404 403 403 404');

/** Keys belong to the organisation: a test key reads live keys, but changes test keys only. */
const keysOfOrg = (role: MatrixRole, _mode: Mode): Outcome => (role === 'super_admin' ? 'ok' : 'gate');
const keyWrites = (role: MatrixRole, mode: Mode): Outcome =>
  role !== 'super_admin' ? 'gate' : mode === 'live' ? 'ok' : 403;

/** Feedback about the owner or the subject: read by hr_in, the owner (requester or provider) and the manager. */
const FEEDBACK_READERS = row('404 404 404 ok 404 ok ok 404');
const FEEDBACK_LISTED = row('unlisted unlisted unlisted ok unlisted ok ok unlisted');
/** The owner's request: only the owner changes it; those who read it otherwise are refused. */
const REQUESTER = row('404 404 404 403 404 ok 403 404');
/** Answering or declining the owner's request: only its providers, and no role of the matrix was asked. */
const PROVIDER_ONLY = row('404 404 404 403 404 403 403 404');

/**
 * Calibration (docs/calibration.md): the owner's record in an open cycle is calibrated by super admins and
 * hr_in, proposed by the manager; admins have no part, and the owner does not see it before it is published.
 */
const CALIBRATION_READERS = row('ok 404 404 ok 404 404 ok 404');
const CALIBRATION_MANAGERS = row('ok gate gate ok 404 gate gate gate');

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

export const MATRIX: MatrixLine[] = [
  // The caller
  { route: 'GET /v1/me', expect: EVERYONE },
  // Sign-in (docs/sign-in.md): a person's own sessions and password; the notice; invitations
  { route: 'GET /v1/me/sessions', expect: EVERYONE },
  {
    route: 'DELETE /v1/me/sessions/{id}',
    expect: row('404 404 404 404 404 404 404 404'),
    params: { id: 'apiKey' },
    why: 'Only the caller’s own sessions: any other id is a 404 whoever asks (test/sign-in.test.ts revokes real ones).',
  },
  {
    route: 'PUT /v1/me/password',
    expect: row('403 403 403 403 403 403 403 403'),
    body: () => ({ current_password: 'not the password', new_password: 'a long new passphrase' }),
    why: 'Anyone changes their own password given the current one; the world’s people have none (test/sign-in.test.ts).',
  },
  { route: 'GET /v1/privacy-notice', expect: EVERYONE },
  {
    route: 'PUT /v1/privacy-notice',
    expect: ORG_ADMINS,
    inTestMode: row('403 403 403 gate gate gate gate gate'),
    body: () => ({ text: WORLD_NOTICE }),
    why: 'The world’s own notice text: saved again, no new version. A test key cannot change the live people’s notice.',
  },
  // Single sign-on (docs/sso.md): super admins and admins, live keys; no object to reach across with
  ...['GET', 'PUT'].map(
    (method): MatrixLine => ({
      route: `${method} /v1/sso-settings`,
      expect: row('ok ok gate gate gate gate gate gate'),
      inTestMode: row('403 403 gate gate gate gate gate gate'),
      ...(method === 'PUT' && {
        body: () => ({ enabled: false, issuer_url: 'https://idp.example.com', client_id: 'trellis' }),
      }),
      why: 'The data-admin grant is for data, not for who signs in. A test key neither reads nor changes it.',
    }),
  ),
  {
    route: 'POST /v1/users/{id}/invitation',
    expect: ORG_ADMINS,
    params: { id: 'subject' },
    why: 'A test key’s invitation is answered and mails nobody.',
  },

  // People
  { route: 'GET /v1/users', expect: EVERYONE, lists: 'subject' },
  {
    route: 'POST /v1/users',
    expect: PEOPLE_WRITERS,
    body: (p) => ({
      email: `new-${token()}@example.com`,
      first_name: 'New',
      last_name: 'Person',
      department_id: p.objects.department,
    }),
    refs: ['org', 'mode'],
  },
  { route: 'GET /v1/users/{id}', expect: EVERYONE, params: { id: 'subject' } },
  {
    route: 'PATCH /v1/users/{id}',
    expect: PEOPLE_WRITERS,
    params: { id: 'subject' },
    body: (p) => ({ title: `Title ${token()}`, department_id: p.objects.department }),
    refs: ['org', 'mode'],
  },
  {
    route: 'POST /v1/users/{id}/deactivate',
    expect: PEOPLE_WRITERS,
    params: { id: 'subject' },
    fresh: 'user',
  },
  {
    route: 'POST /v1/users/{id}/reactivate',
    expect: PEOPLE_WRITERS,
    params: { id: 'subject' },
    fresh: 'deactivatedUser',
  },
  {
    route: 'POST /v1/users/bulk',
    expect: row('ok ok ok ok 422 gate gate gate'),
    body: (p) => ({
      users: [
        {
          email: `bulk-${token()}@example.com`,
          first_name: 'Bulk',
          last_name: 'Person',
          department_id: p.objects.department,
        },
      ],
    }),
    refs: ['org', 'mode'],
    why: "An hr_admin's row outside their scope is a row error (insufficient_access): the upload is 422.",
  },
  { route: 'GET /v1/users/{id}/hr-scope', expect: SUPER_ADMIN, params: { id: 'subject' } },
  {
    route: 'PUT /v1/users/{id}/hr-scope',
    expect: SUPER_ADMIN,
    params: { id: 'subject' },
    body: (p) => ({ department_ids: [p.objects.department], group_ids: [p.objects.group] }),
    refs: ['org', 'mode'],
    why: 'The subject is a member: the scope is stored, not in effect.',
  },

  // Departments: seed 000 keeps them from plain members
  { route: 'GET /v1/departments', expect: row('ok ok ok ok ok gate gate gate'), lists: 'department' },
  {
    route: 'POST /v1/departments',
    expect: ORG_ADMINS,
    body: (p) => ({ name: `Dept ${token()}`, parent_id: p.objects.department }),
    refs: ['org', 'mode'],
  },
  {
    route: 'GET /v1/departments/{id}',
    expect: row('ok ok ok ok ok gate gate gate'),
    params: { id: 'department' },
  },
  {
    route: 'PATCH /v1/departments/{id}',
    expect: ORG_ADMINS,
    params: { id: 'department' },
    body: () => ({ name: `Dept ${token()}` }),
  },
  {
    route: 'DELETE /v1/departments/{id}',
    expect: ORG_ADMINS,
    params: { id: 'department' },
    fresh: 'department',
  },

  // Groups
  { route: 'GET /v1/groups', expect: EVERYONE, lists: 'group' },
  {
    route: 'POST /v1/groups',
    expect: ORG_ADMINS,
    body: (p) => ({ name: `Group ${token()}`, user_ids: [p.objects.subject] }),
    refs: ['org', 'mode'],
  },
  { route: 'GET /v1/groups/{id}', expect: EVERYONE, params: { id: 'group' } },
  {
    route: 'PATCH /v1/groups/{id}',
    expect: ORG_ADMINS,
    params: { id: 'group' },
    body: () => ({ description: `About ${token()}` }),
  },
  { route: 'DELETE /v1/groups/{id}', expect: ORG_ADMINS, params: { id: 'group' }, fresh: 'group' },
  { route: 'GET /v1/groups/{id}/members', expect: EVERYONE, params: { id: 'group' } },
  {
    route: 'PUT /v1/groups/{id}/members',
    expect: ORG_ADMINS,
    params: { id: 'group' },
    body: (p) => ({ user_ids: [p.people.owner.id, p.objects.subject] }),
    refs: ['org', 'mode'],
  },

  // Teams: the team's owners manage its members
  { route: 'GET /v1/teams', expect: EVERYONE, lists: 'team' },
  {
    route: 'POST /v1/teams',
    expect: ORG_ADMINS,
    body: () => ({ name: `Team ${token()}`, kind: 'working_group' }),
  },
  { route: 'GET /v1/teams/{id}', expect: EVERYONE, params: { id: 'team' } },
  {
    route: 'PATCH /v1/teams/{id}',
    expect: ORG_ADMINS,
    params: { id: 'team' },
    body: () => ({ description: `About ${token()}` }),
  },
  { route: 'DELETE /v1/teams/{id}', expect: ORG_ADMINS, params: { id: 'team' }, fresh: 'team' },
  { route: 'GET /v1/teams/{id}/members', expect: EVERYONE, params: { id: 'team' } },
  {
    route: 'PUT /v1/teams/{id}/members/{user_id}',
    expect: row('ok ok ok 403 403 ok 403 403'),
    params: { id: 'team', user_id: 'subject' },
    body: () => ({ team_role: 'member' }),
    why: "Org admins and the team's owners; the team's manager edits its goals, not its members.",
  },
  {
    route: 'DELETE /v1/teams/{id}/members/{user_id}',
    expect: row('ok ok ok 403 403 ok 403 403'),
    params: { id: 'team', user_id: 'subject' },
    fresh: 'teamMembership',
  },

  // API keys, the audit log: super admins only
  { route: 'GET /v1/api-keys', expect: SUPER_ADMIN, lists: 'apiKey', otherMode: keysOfOrg },
  {
    route: 'POST /v1/api-keys',
    expect: SUPER_ADMIN,
    body: (p) => ({ user: p.people.member.id, name: `Key ${token()}` }),
    refs: ['org'],
    why: 'A key is made in the mode of the key that asks; its holder is a live account, so no mode cell.',
  },
  { route: 'GET /v1/api-keys/{id}', expect: SUPER_ADMIN, params: { id: 'apiKey' }, otherMode: keysOfOrg },
  {
    route: 'POST /v1/api-keys/{id}/revoke',
    expect: SUPER_ADMIN,
    params: { id: 'apiKey' },
    fresh: 'apiKey',
    otherMode: keyWrites,
  },
  {
    route: 'POST /v1/api-keys/{id}/reactivate',
    expect: SUPER_ADMIN,
    params: { id: 'apiKey' },
    fresh: 'revokedKey',
    otherMode: keyWrites,
  },
  { route: 'GET /v1/audit-events', expect: SUPER_ADMIN },
  // OAuth apps (docs/oauth.md): org admins register and manage them, in the mode of their key
  { route: 'GET /v1/oauth-apps', expect: ORG_ADMINS, lists: 'oauthApp' },
  { route: 'POST /v1/oauth-apps', expect: ORG_ADMINS, body: () => oauthAppBody() },
  { route: 'GET /v1/oauth-apps/{id}', expect: ORG_ADMINS, params: { id: 'oauthApp' } },
  {
    route: 'PATCH /v1/oauth-apps/{id}',
    expect: ORG_ADMINS,
    params: { id: 'oauthApp' },
    body: () => ({ description: `Changed ${token()}` }),
  },
  {
    route: 'POST /v1/oauth-apps/{id}/rotate-client-hash',
    expect: ORG_ADMINS,
    params: { id: 'oauthApp' },
    body: () => ({ overlap_seconds: 60 }),
  },
  { route: 'DELETE /v1/oauth-apps/{id}', expect: ORG_ADMINS, params: { id: 'oauthApp' }, fresh: 'oauthApp' },
  {
    route: 'GET /v1/oauth-apps/{id}/grants',
    expect: ORG_ADMINS,
    params: { id: 'oauthApp' },
    why: 'The world’s app has no grants yet: an empty list (test/oauth-flow.test.ts makes real ones).',
  },
  {
    route: 'DELETE /v1/oauth-apps/{id}/grants/{user_id}',
    expect: row('404 404 404 gate gate gate gate gate'),
    params: { id: 'oauthApp', user_id: 'subject' },
    why: 'Nobody granted the world’s app anything: admins find no grant to revoke (test/oauth-grants.test.ts revokes real ones).',
  },
  // A person's own grants and instant tokens (docs/oauth.md)
  { route: 'GET /v1/me/oauth-grants', expect: EVERYONE },
  {
    route: 'DELETE /v1/me/oauth-grants/{id}',
    expect: row('404 404 404 404 404 404 404 404'),
    params: { id: 'oauthApp' },
    why: 'Only an app the caller authorised: the world’s people authorised none.',
  },
  { route: 'GET /v1/me/instant-tokens', expect: EVERYONE },
  { route: 'POST /v1/me/instant-tokens', expect: EVERYONE, body: () => ({ name: `Script ${token()}` }) },
  {
    route: 'DELETE /v1/me/instant-tokens/{id}',
    expect: row('404 404 404 404 404 404 404 404'),
    params: { id: 'apiKey' },
    why: 'Only the caller’s own instant tokens: any other id is a 404 whoever asks (test/oauth-grants.test.ts).',
  },

  // Service accounts (docs/service-accounts.md): super admins; live accounts, read but never changed by a test key
  {
    route: 'GET /v1/service-accounts',
    expect: SUPER_ADMIN,
    lists: 'serviceAccount',
    otherMode: keysOfOrg,
  },
  {
    route: 'POST /v1/service-accounts',
    expect: SUPER_ADMIN,
    inTestMode: LIVE_SUPER_ADMIN,
    body: () => ({ name: `Script ${token()}`, role: 'admin' }),
    why: 'A test key cannot make a live account.',
  },
  {
    route: 'GET /v1/service-accounts/{id}',
    expect: SUPER_ADMIN,
    params: { id: 'serviceAccount' },
    otherMode: keysOfOrg,
  },
  {
    route: 'PATCH /v1/service-accounts/{id}',
    expect: SUPER_ADMIN,
    inTestMode: LIVE_SUPER_ADMIN,
    params: { id: 'serviceAccount' },
    body: () => ({ description: `Runs at ${token()}` }),
    otherMode: keyWrites,
  },
  {
    route: 'POST /v1/service-accounts/{id}/privacy-notice-acceptance',
    expect: SUPER_ADMIN,
    inTestMode: LIVE_SUPER_ADMIN,
    params: { id: 'serviceAccount' },
    otherMode: keyWrites,
    why: 'The world’s accounts accepted the notice when they were made: accepting again changes nothing.',
  },
  {
    route: 'POST /v1/service-accounts/{id}/deactivate',
    expect: SUPER_ADMIN,
    inTestMode: LIVE_SUPER_ADMIN,
    params: { id: 'serviceAccount' },
    fresh: 'serviceAccount',
    otherMode: keyWrites,
  },

  // Periods: everyone reads, org admins set up
  { route: 'GET /v1/periods', expect: EVERYONE, lists: 'period' },
  {
    route: 'POST /v1/periods',
    expect: ORG_ADMINS,
    body: () => ({ name: `Period ${token()}`, starts_on: '2031-01-01', ends_on: '2031-03-31' }),
  },
  { route: 'GET /v1/periods/{id}', expect: EVERYONE, params: { id: 'period' } },
  {
    route: 'PATCH /v1/periods/{id}',
    expect: ORG_ADMINS,
    params: { id: 'period' },
    body: () => ({ name: `Period ${token()}` }),
  },

  // Goals: the private goal of the owner (docs/goals.md, "Visibility and writes")
  { route: 'GET /v1/goals', expect: row('ok ok ok ok unlisted ok ok unlisted'), lists: 'goal' },
  {
    route: 'POST /v1/goals',
    expect: row('ok ok ok 403 403 ok ok 403'),
    body: (p) => ({
      name: `Goal ${token()}`,
      period_id: p.objects.period,
      owner_user_id: p.people.owner.id,
      visibility: 'private',
    }),
    refs: ['org', 'mode'],
    why: 'A goal for the owner: the owner and their manager may set it, an hr_admin may not.',
  },
  {
    route: 'POST /v1/goals/bulk',
    expect: row('ok ok ok 422 422 ok ok 422'),
    body: (p) => ({
      rows: [
        {
          name: `Bulk goal ${token()}`,
          type: 'goal',
          start_date: day(-1),
          end_date: day(30),
          owner_email: p.people.owner.email,
          parent_id: p.objects.goal,
          visibility: 'private',
        },
      ],
    }),
    refs: ['org', 'mode'],
    why: 'A row the caller may not create (or align under a goal they cannot see) is a row error: 422.',
  },
  { route: 'GET /v1/goals/{id}', expect: GOAL_READERS, params: { id: 'goal' } },
  {
    route: 'PATCH /v1/goals/{id}',
    expect: GOAL_WRITERS,
    params: { id: 'goal' },
    body: (p) => ({ description: `About ${token()}`, period_id: p.objects.period }),
    refs: ['org', 'mode'],
  },
  { route: 'DELETE /v1/goals/{id}', expect: GOAL_WRITERS, params: { id: 'goal' }, fresh: 'goal' },
  { route: 'GET /v1/goals/{id}/tree', expect: GOAL_READERS, params: { id: 'goal' } },
  { route: 'GET /v1/goals/{id}/history', expect: GOAL_READERS, params: { id: 'goal' } },
  {
    route: 'POST /v1/goals/{id}/copy',
    expect: GOAL_WRITERS,
    params: { id: 'goal' },
    body: (p) => ({ name: `Copy ${token()}`, period_id: p.objects.period }),
    refs: ['org', 'mode'],
    why: 'The copy keeps its owner: an hr_admin sees the goal but may not set one for the owner.',
  },

  // Milestones
  { route: 'GET /v1/goals/{id}/milestones', expect: GOAL_READERS, params: { id: 'goal' } },
  {
    route: 'POST /v1/goals/{id}/milestones',
    expect: GOAL_WRITERS,
    params: { id: 'goal' },
    body: (p) => ({ name: `Milestone ${token()}`, owner_user_id: p.people.owner.id }),
    refs: ['org'],
  },
  { route: 'GET /v1/milestones/{id}', expect: GOAL_READERS, params: { id: 'milestone' } },
  {
    route: 'PATCH /v1/milestones/{id}',
    expect: GOAL_WRITERS,
    params: { id: 'milestone' },
    body: () => ({ description: `About ${token()}` }),
  },
  {
    route: 'DELETE /v1/milestones/{id}',
    expect: GOAL_WRITERS,
    params: { id: 'milestone' },
    fresh: 'milestone',
  },

  // Check-ins
  {
    route: 'POST /v1/milestones/{id}/checkins',
    expect: GOAL_WRITERS,
    params: { id: 'milestone' },
    body: () => ({ value: 50 }),
  },
  { route: 'GET /v1/milestones/{id}/checkins', expect: GOAL_READERS, params: { id: 'milestone' } },
  {
    route: 'POST /v1/checkins/bulk',
    expect: row('ok ok ok 422 422 ok ok 422'),
    body: (p) => ({ checkins: [{ milestone_id: p.objects.milestone, value: 40 }] }),
    refs: ['org', 'mode'],
    why: 'Each row is a check-in: its writers apply it; anyone else has the row refused and nothing applied.',
  },
  {
    route: 'POST /v1/goals/{id}/checkins',
    expect: GOAL_WRITERS,
    params: { id: 'plainGoal' },
    body: () => ({ value: 20 }),
  },
  { route: 'GET /v1/goals/{id}/checkins', expect: GOAL_READERS, params: { id: 'goal' } },

  // Comments: whoever sees the goal; the author edits, the author or an org admin deletes
  { route: 'GET /v1/goals/{id}/comments', expect: GOAL_READERS, params: { id: 'goal' } },
  {
    route: 'POST /v1/goals/{id}/comments',
    expect: GOAL_READERS,
    params: { id: 'goal' },
    body: () => ({ body: 'Looks good' }),
  },
  { route: 'GET /v1/milestones/{id}/comments', expect: GOAL_READERS, params: { id: 'milestone' } },
  {
    route: 'POST /v1/milestones/{id}/comments',
    expect: GOAL_READERS,
    params: { id: 'milestone' },
    body: () => ({ body: 'Nearly there' }),
  },
  {
    route: 'PATCH /v1/comments/{id}',
    expect: row('403 403 403 403 404 ok 403 404'),
    params: { id: 'comment' },
    body: () => ({ body: `Edited ${token()}` }),
  },
  {
    route: 'DELETE /v1/comments/{id}',
    expect: row('ok ok ok 403 404 ok 403 404'),
    params: { id: 'comment' },
    fresh: 'comment',
  },

  // Assessments: the owner, their managers, editors and org admins; the assessor alone changes theirs
  { route: 'GET /v1/goals/{id}/assessments', expect: GOAL_READERS, params: { id: 'goal' } },
  {
    route: 'POST /v1/goals/{id}/assessments',
    expect: GOAL_WRITERS,
    params: { id: 'plainGoal' },
    body: () => ({ score: 4, before_end: true }),
    why: 'One assessment per assessor and goal: each role assesses the plain goal once per mode.',
  },
  {
    route: 'PATCH /v1/assessments/{id}',
    expect: row('403 403 403 403 404 ok 403 404'),
    params: { id: 'assessment' },
    body: () => ({ comment: `Said ${token()}` }),
  },
  // Feedback (docs/feedback.md): its readers are the recipient, their managers, hr_admins in scope and the
  // provider; admins manage templates and cycles but read no feedback.
  { route: 'GET /v1/feedback-templates', expect: EVERYONE, lists: 'feedbackTemplate' },
  { route: 'GET /v1/feedback-templates/{id}', expect: EVERYONE, params: { id: 'feedbackTemplate' } },
  {
    route: 'POST /v1/feedback-templates',
    expect: ORG_ADMINS,
    body: () => ({ name: `Feedback ${token()}`, questions: [{ type: 'star_rating', text: 'Stars' }] }),
  },
  {
    route: 'PATCH /v1/feedback-templates/{id}',
    expect: ORG_ADMINS,
    params: { id: 'feedbackTemplate' },
    body: () => ({ description: `Said ${token()}` }),
  },
  { route: 'GET /v1/settings/feedback', expect: EVERYONE },
  { route: 'PUT /v1/settings/feedback', expect: ORG_ADMINS, body: () => ({ anonymity_threshold: 3 }) },
  { route: 'GET /v1/feedback', expect: FEEDBACK_LISTED, lists: 'feedback' },
  { route: 'GET /v1/feedback/{id}', expect: FEEDBACK_READERS, params: { id: 'feedback' } },
  {
    route: 'POST /v1/feedback',
    expect: EVERYONE,
    body: (p) => ({ recipient_id: p.objects.subject, body: `Noted ${token()}` }),
    why: 'Anyone gives feedback to anyone else; who reads it is decided by the recipient.',
  },
  { route: 'GET /v1/feedback-requests', expect: FEEDBACK_LISTED, lists: 'feedbackRequest' },
  {
    route: 'POST /v1/feedback-requests',
    expect: EVERYONE,
    body: (p) => ({ template_id: p.objects.feedbackTemplate, provider_ids: [p.objects.subject] }),
    why: 'Everyone may ask for feedback about themselves.',
  },
  { route: 'GET /v1/feedback-requests/{id}', expect: FEEDBACK_READERS, params: { id: 'feedbackRequest' } },
  {
    route: 'GET /v1/feedback-requests/{id}/results',
    expect: FEEDBACK_READERS,
    params: { id: 'feedbackRequest' },
  },
  {
    route: 'POST /v1/feedback-requests/{id}/providers',
    expect: REQUESTER,
    params: { id: 'feedbackRequest' },
    fresh: 'feedbackRequest',
    body: (p) => ({ provider_ids: [p.people.member.id] }),
  },
  {
    route: 'POST /v1/feedback-requests/{id}/remind',
    expect: REQUESTER,
    params: { id: 'feedbackRequest' },
    fresh: 'feedbackRequest',
  },
  {
    route: 'POST /v1/feedback-requests/{id}/cancel',
    expect: REQUESTER,
    params: { id: 'feedbackRequest' },
    fresh: 'feedbackRequest',
  },
  {
    route: 'POST /v1/feedback-requests/{id}/decline',
    expect: PROVIDER_ONLY,
    params: { id: 'feedbackRequest' },
    body: () => ({ reason: 'Not me' }),
    why: 'Only the subject was asked, and the subject has no key: every role that reads the request is refused.',
  },
  {
    route: 'POST /v1/feedback-requests/{id}/responses',
    expect: PROVIDER_ONLY,
    params: { id: 'feedbackRequest' },
    body: () => ({ answers: [] }),
  },
  { route: 'GET /v1/feedback-cycles', expect: ORG_ADMINS, lists: 'feedbackCycle' },
  { route: 'GET /v1/feedback-cycles/{id}', expect: ORG_ADMINS, params: { id: 'feedbackCycle' } },
  {
    route: 'POST /v1/feedback-cycles',
    expect: ORG_ADMINS,
    body: (p) => ({
      name: `Cycle ${token()}`,
      kind: '360',
      template_id: p.objects.feedbackTemplate,
      assignments: [{ recipient_id: p.objects.subject, provider_ids: [p.people.owner.id] }],
    }),
  },
  {
    route: 'POST /v1/feedback-cycles/{id}/remind',
    expect: ORG_ADMINS,
    params: { id: 'feedbackCycle' },
  },
  { route: 'GET /v1/settings/assessment-scale', expect: EVERYONE },
  {
    route: 'PUT /v1/settings/assessment-scale',
    expect: ORG_ADMINS,
    body: () => ({ min: 1, max: 5, step: 1, labels: [] }),
  },

  // Company values: everyone reads, org admins keep the list
  { route: 'GET /v1/company-values', expect: EVERYONE, lists: 'companyValue' },
  { route: 'POST /v1/company-values', expect: ORG_ADMINS, body: () => ({ name: `Value ${token()}` }) },
  { route: 'GET /v1/company-values/{id}', expect: EVERYONE, params: { id: 'companyValue' } },
  {
    route: 'PATCH /v1/company-values/{id}',
    expect: ORG_ADMINS,
    params: { id: 'companyValue' },
    body: () => ({ description: `About ${token()}` }),
  },
  {
    route: 'DELETE /v1/company-values/{id}',
    expect: ORG_ADMINS,
    params: { id: 'companyValue' },
    fresh: 'companyValue',
  },

  // Metric webhooks: the owner's hook on the world's milestone (docs/webhooks.md)
  {
    route: 'GET /v1/metric-hooks',
    expect: row('ok ok ok unlisted unlisted ok unlisted unlisted'),
    lists: 'metricHook',
    why: 'A person lists their own hooks; org admins list every one.',
  },
  {
    route: 'POST /v1/metric-hooks',
    expect: GOAL_WRITERS,
    body: (p) => ({ name: `Hook ${token()}`, milestone_id: p.objects.milestone }),
    refs: ['org', 'mode'],
    why: 'A hook bound to a milestone is made by someone who may check in on it (its owner, the goal writers).',
  },
  { route: 'GET /v1/metric-hooks/{id}', expect: METRIC_HOOK_MANAGERS, params: { id: 'metricHook' } },
  {
    route: 'PATCH /v1/metric-hooks/{id}',
    expect: METRIC_HOOK_MANAGERS,
    params: { id: 'metricHook' },
    body: () => ({ name: `Hook ${token()}` }),
  },
  {
    route: 'POST /v1/metric-hooks/{id}/rotate',
    expect: METRIC_HOOK_MANAGERS,
    params: { id: 'metricHook' },
    fresh: 'metricHook',
  },
  {
    route: 'DELETE /v1/metric-hooks/{id}',
    expect: METRIC_HOOK_MANAGERS,
    params: { id: 'metricHook' },
    fresh: 'metricHook',
  },

  // Datastreams: the owner's stream on the world's milestone, managed as metric webhooks are
  {
    route: 'GET /v1/datastreams',
    expect: row('ok ok ok unlisted unlisted ok unlisted unlisted'),
    lists: 'datastream',
    why: 'A person lists their own streams; org admins list every one.',
  },
  {
    route: 'POST /v1/datastreams',
    expect: GOAL_WRITERS,
    body: (p) => ({ name: `Stream ${token()}`, milestone_id: p.objects.milestone }),
    refs: ['org', 'mode'],
    why: 'A stream feeds a milestone its creator may check in on.',
  },
  {
    route: 'DELETE /v1/datastreams/{id}',
    expect: METRIC_HOOK_MANAGERS,
    params: { id: 'datastream' },
    fresh: 'datastream',
  },
  // Outbound webhooks: the super admin's endpoint and the delivery of its ping (docs/webhooks.md)
  { route: 'GET /v1/webhook-endpoints', expect: ORG_ADMINS, lists: 'webhookEndpoint' },
  {
    route: 'POST /v1/webhook-endpoints',
    expect: ORG_ADMINS,
    body: () => ({ url: `https://example.com/${token()}`, event_types: QUIET }),
  },
  { route: 'GET /v1/webhook-endpoints/{id}', expect: ORG_ADMINS, params: { id: 'webhookEndpoint' } },
  {
    route: 'PATCH /v1/webhook-endpoints/{id}',
    expect: ORG_ADMINS,
    params: { id: 'webhookEndpoint' },
    body: () => ({ description: `About ${token()}` }),
  },
  {
    route: 'POST /v1/webhook-endpoints/{id}/rotate',
    expect: ORG_ADMINS,
    params: { id: 'webhookEndpoint' },
    fresh: 'webhookEndpoint',
  },
  { route: 'POST /v1/webhook-endpoints/{id}/ping', expect: ORG_ADMINS, params: { id: 'webhookEndpoint' } },
  {
    route: 'DELETE /v1/webhook-endpoints/{id}',
    expect: ORG_ADMINS,
    params: { id: 'webhookEndpoint' },
    fresh: 'webhookEndpoint',
  },
  {
    route: 'GET /v1/events',
    expect: ORG_ADMINS,
    why: 'Every change of the organisation and mode, as subscribers receive it: org admins.',
  },
  {
    route: 'GET /v1/webhook-event-types',
    expect: ORG_ADMINS,
    why: 'What an endpoint may subscribe to: for those who manage endpoints.',
  },
  { route: 'GET /v1/webhook-deliveries', expect: ORG_ADMINS, lists: 'webhookDelivery' },
  { route: 'GET /v1/webhook-deliveries/{id}', expect: ORG_ADMINS, params: { id: 'webhookDelivery' } },
  {
    route: 'POST /v1/webhook-deliveries/{id}/redeliver',
    expect: ORG_ADMINS,
    params: { id: 'webhookDelivery' },
  },

  // Recognition: the owner's private recognition of the subject (docs/recognition.md, "Who sees what")
  {
    route: 'GET /v1/recognition',
    expect: row('ok ok ok ok unlisted ok ok unlisted'),
    lists: 'recognition',
  },
  {
    route: 'POST /v1/recognition',
    expect: EVERYONE,
    body: (p) => ({
      receiver_ids: [p.objects.subject],
      message: `Thanks ${token()} #matrix`,
      company_value_id: p.objects.companyValue,
    }),
    refs: ['org', 'mode'],
    why: 'Anyone recognises anyone active in their organisation and mode but themselves.',
  },
  { route: 'GET /v1/recognition/{id}', expect: RECOGNITION_READERS, params: { id: 'recognition' } },
  {
    route: 'PATCH /v1/recognition/{id}',
    expect: row('403 403 403 403 404 ok 403 404'),
    params: { id: 'recognition' },
    body: () => ({ message: `Edited ${token()}` }),
    why: 'The giver alone edits, within 24 hours; admins moderate by deleting, not by rewriting.',
  },
  {
    route: 'DELETE /v1/recognition/{id}',
    expect: row('ok ok ok 403 404 ok 403 404'),
    params: { id: 'recognition' },
    fresh: 'recognition',
  },
  { route: 'GET /v1/recognition/hashtags', expect: EVERYONE },
  { route: 'GET /v1/recognition/counts', expect: EVERYONE },
  { route: 'GET /v1/recognition/{id}/reactions', expect: RECOGNITION_READERS, params: { id: 'recognition' } },
  {
    route: 'POST /v1/recognition/{id}/reactions',
    expect: RECOGNITION_READERS,
    params: { id: 'recognition' },
    body: () => ({ kind: 'clap' }),
  },
  {
    route: 'DELETE /v1/recognition/{id}/reactions/{reaction_id}',
    expect: row('403 403 403 403 404 ok 403 404'),
    params: { id: 'recognition', reaction_id: 'recognitionReaction' },
    fresh: 'recognitionReaction',
    why: 'A reaction is taken back by the person who reacted, no one else.',
  },
  { route: 'GET /v1/recognition/{id}/comments', expect: RECOGNITION_READERS, params: { id: 'recognition' } },
  {
    route: 'POST /v1/recognition/{id}/comments',
    expect: RECOGNITION_READERS,
    params: { id: 'recognition' },
    body: () => ({ body: 'Well deserved' }),
  },
  {
    route: 'DELETE /v1/recognition/{id}/comments/{comment_id}',
    expect: row('ok ok ok 403 404 ok 403 404'),
    params: { id: 'recognition', comment_id: 'recognitionComment' },
    fresh: 'recognitionComment',
  },

  // Conversations (docs/conversations.md): the world's template lets HR in scope read, not admins or skip-level
  { route: 'GET /v1/conversation-templates', expect: EVERYONE, lists: 'conversationTemplate' },
  {
    route: 'GET /v1/conversation-templates/{id}',
    expect: EVERYONE,
    params: { id: 'conversationTemplate' },
  },
  {
    route: 'POST /v1/conversation-templates',
    expect: ORG_ADMINS,
    body: () => ({ name: `Template ${token()}`, kind: 'anytime', format: 'two_way' }),
  },
  {
    route: 'PATCH /v1/conversation-templates/{id}',
    expect: ORG_ADMINS,
    params: { id: 'conversationTemplate' },
    body: () => ({ description: `About ${token()}` }),
  },
  { route: 'GET /v1/conversation-deployments', expect: EVERYONE, lists: 'conversationDeployment' },
  {
    route: 'GET /v1/conversation-deployments/{id}',
    expect: EVERYONE,
    params: { id: 'conversationDeployment' },
  },
  {
    route: 'POST /v1/conversation-deployments',
    expect: ORG_ADMINS,
    body: (p) => ({
      template_id: p.objects.conversationTemplate,
      starts_on: '2030-01-01',
      due_on: '2030-01-31',
      audience: 'people',
      user_ids: [p.people.owner.id],
    }),
    refs: ['org', 'mode'],
  },
  {
    route: 'POST /v1/conversation-deployments/{id}/sync',
    expect: ORG_ADMINS,
    params: { id: 'conversationDeployment' },
  },
  // Calibration: the world's open cycle of the owner alone (access-world.ts)
  {
    route: 'GET /v1/calibration/cycles',
    expect: row('ok unlisted unlisted ok unlisted unlisted ok unlisted'),
    lists: 'calibrationCycle',
  },
  {
    route: 'GET /v1/calibration/cycles/{id}',
    expect: CALIBRATION_READERS,
    params: { id: 'calibrationCycle' },
  },
  {
    route: 'POST /v1/calibration/cycles',
    expect: row('ok gate gate ok 403 gate gate gate'),
    body: (p) => ({
      name: `Cycle ${token()}`,
      performance_levels: ['Low', 'High'],
      potential_levels: ['Low', 'High'],
      audience: 'departments',
      department_ids: [p.objects.department],
    }),
    refs: ['org', 'mode'],
    why: "hr_admins make cycles only for a population inside their scope; hr_out does not cover the subject's department.",
  },
  {
    route: 'PATCH /v1/calibration/cycles/{id}',
    expect: CALIBRATION_MANAGERS,
    params: { id: 'calibrationCycle' },
    body: () => ({ name: `Renamed ${token()}` }),
  },
  {
    route: 'GET /v1/calibration/cycles/{id}/sessions',
    expect: CALIBRATION_READERS,
    params: { id: 'calibrationCycle' },
  },
  {
    route: 'GET /v1/calibration/cycles/{id}/sessions/{session_id}',
    expect: CALIBRATION_READERS,
    params: { id: 'calibrationCycle', session_id: 'calibrationSession' },
  },
  {
    route: 'POST /v1/calibration/cycles/{id}/sessions',
    expect: CALIBRATION_MANAGERS,
    params: { id: 'calibrationCycle' },
    fresh: 'calibrationCycle',
    body: (p) => ({ name: `Session ${token()}`, participant_ids: [p.people.owner.id], facilitator_ids: [] }),
  },
  {
    route: 'PATCH /v1/calibration/cycles/{id}/sessions/{session_id}',
    expect: CALIBRATION_MANAGERS,
    params: { id: 'calibrationCycle', session_id: 'calibrationSession' },
    body: () => ({ name: `Renamed ${token()}` }),
  },
  {
    route: 'DELETE /v1/calibration/cycles/{id}/sessions/{session_id}',
    expect: CALIBRATION_MANAGERS,
    params: { id: 'calibrationCycle', session_id: 'calibrationSession' },
    fresh: 'calibrationSession',
  },
  {
    route: 'POST /v1/calibration/cycles/{id}/sync',
    expect: CALIBRATION_MANAGERS,
    params: { id: 'calibrationCycle' },
  },
  {
    route: 'GET /v1/calibration/cycles/{id}/talent-records',
    expect: CALIBRATION_READERS,
    params: { id: 'calibrationCycle' },
  },
  {
    route: 'GET /v1/calibration/cycles/{id}/talent-records/{talent_record_id}',
    expect: CALIBRATION_READERS,
    params: { id: 'calibrationCycle', talent_record_id: 'talentRecord' },
  },
  {
    route: 'PATCH /v1/calibration/cycles/{id}/talent-records/{talent_record_id}',
    expect: row('ok 404 404 ok 404 404 403 404'),
    params: { id: 'calibrationCycle', talent_record_id: 'talentRecord' },
    body: () => ({ notes: `Noted ${token()}` }),
    why: 'Notes are for calibrators; the manager proposes values but reads no notes.',
  },
  {
    route: 'POST /v1/calibration/cycles/{id}/talent-records/bulk',
    expect: row('ok 404 404 ok 404 404 422 404'),
    params: { id: 'calibrationCycle' },
    body: (p) => ({ records: [{ user_id: p.people.owner.id, notes: `Noted ${token()}` }] }),
    why: 'The manager sees the cycle (they propose) but writes no notes: the row is theirs to refuse, so 422.',
  },
  {
    route: 'GET /v1/calibration/cycles/{id}/talent-records/{talent_record_id}/history',
    expect: row('ok 404 404 ok 404 404 403 404'),
    params: { id: 'calibrationCycle', talent_record_id: 'talentRecord' },
  },
  // The bias views answer whoever sees the cycle; what they count is calibration-bias.test.ts's.
  {
    route: 'GET /v1/calibration/cycles/{id}/distribution',
    expect: CALIBRATION_READERS,
    params: { id: 'calibrationCycle' },
  },
  {
    route: 'GET /v1/calibration/cycles/{id}/movement',
    expect: CALIBRATION_READERS,
    params: { id: 'calibrationCycle' },
  },
  { route: 'GET /v1/conversations', expect: CONVERSATION_LIST, lists: 'conversation' },
  { route: 'GET /v1/conversations/{id}', expect: CONVERSATION_READERS, params: { id: 'conversation' } },
  {
    route: 'POST /v1/conversations',
    expect: row('ok ok ok 403 403 ok ok 403'),
    body: (p) => ({ template_id: p.objects.anytimeTemplate, report_id: p.people.owner.id }),
    refs: ['org', 'mode'],
    why: 'The report or their manager starts one; org admins for any pair; HR reads, it does not start.',
  },
  {
    route: 'PATCH /v1/conversations/{id}',
    expect: PARTICIPANTS,
    params: { id: 'conversation' },
    body: () => ({ shared_notes: `Notes ${token()}` }),
  },
  {
    route: 'PUT /v1/conversations/{id}/draft',
    expect: PARTICIPANTS,
    params: { id: 'conversation' },
    body: () => ({ answers: [] }),
  },
  {
    route: 'POST /v1/conversations/{id}/submit',
    expect: PARTICIPANTS,
    params: { id: 'conversation' },
    fresh: 'conversation',
    body: () => ({}),
  },
  {
    route: 'PUT /v1/conversations/{id}/private-note',
    expect: PARTICIPANTS,
    params: { id: 'conversation' },
    body: () => ({ body: 'Mine alone' }),
  },
  {
    route: 'POST /v1/conversations/{id}/confirm-meeting',
    expect: PARTICIPANTS,
    params: { id: 'conversation' },
  },
  {
    route: 'POST /v1/conversations/{id}/complete',
    expect: PARTICIPANTS,
    params: { id: 'conversation' },
    fresh: 'sharedConversation',
  },
  {
    route: 'POST /v1/conversations/{id}/reassign',
    expect: row('ok ok ok ok 404 403 403 404'),
    params: { id: 'conversation' },
    fresh: 'conversation',
    body: (p) => ({ manager_id: p.people.member.id }),
    refs: ['org'],
    why: 'Admins and HR admins in scope replace a manager, whether or not they read the conversation.',
  },
  {
    route: 'POST /v1/conversations/{id}/goals',
    expect: PARTICIPANTS,
    params: { id: 'conversation' },
    body: (p) => ({ goal_id: p.objects.goal }),
    refs: ['org', 'mode'],
  },
  {
    route: 'DELETE /v1/conversations/{id}/goals/{goal_id}',
    expect: PARTICIPANTS,
    params: { id: 'conversation', goal_id: 'goal' },
    fresh: 'linkedGoal',
  },
  {
    route: 'POST /v1/conversations/{id}/edit-requests',
    expect: PARTICIPANTS,
    params: { id: 'conversation' },
    fresh: 'sharedConversation',
    body: () => ({ reason: 'A typo' }),
  },
  { route: 'GET /v1/conversation-edit-requests', expect: EDIT_REQUEST_LIST, lists: 'editRequest' },
  {
    route: 'GET /v1/conversation-edit-requests/{id}',
    expect: row('ok ok ok ok 404 ok ok 404'),
    params: { id: 'editRequest' },
  },
  {
    route: 'POST /v1/conversation-edit-requests/{id}/approve',
    expect: EDIT_REQUEST_DECIDERS,
    params: { id: 'editRequest' },
    fresh: 'editRequest',
    body: () => ({}),
  },
  {
    route: 'POST /v1/conversation-edit-requests/{id}/deny',
    expect: EDIT_REQUEST_DECIDERS,
    params: { id: 'editRequest' },
    fresh: 'editRequest',
    body: () => ({ note: 'No' }),
  },

  // WorkBoard's face: stream management with a bearer token, the same service and rules as /v1/datastreams
  {
    route: 'GET /wb/apis/stream',
    expect: row('ok ok ok unlisted unlisted ok unlisted unlisted'),
    lists: 'datastream',
    why: 'As GET /v1/datastreams: a person lists their own streams; org admins list every one.',
  },
  {
    route: 'POST /wb/apis/stream',
    expect: GOAL_WRITERS,
    body: (p) => ({ stream_name: `Stream ${token()}`, metric_id: String(p.objects.milestone) }),
    refs: ['org', 'mode'],
    why: 'As POST /v1/datastreams: metric_id names a milestone its creator may check in on.',
  },

  // The second face (test/other-face.ts): forbidden is its 401, by its own status mapping
  { route: 'GET /other/users', expect: EVERYONE, lists: 'subject' },
  { route: 'GET /other/users/{id}', expect: EVERYONE, params: { id: 'subject' } },
  {
    route: 'POST /other/users',
    expect: row('ok ok ok 403 403 403 403 403'),
    body: () => ({ email: `other-${token()}@example.com`, firstName: 'Other', lastName: 'Face' }),
    why: 'No department: outside every scope, so no hr_admin may create them. The face has no gates.',
  },

  // Last: the reset replaces the test sandbox, and with it the test objects of the world.
  { route: 'POST /v1/sandbox/reset', expect: SUPER_ADMIN },
];

/** Routes without a credential (security: []): no role to put in a column; each has its own suite. */
export const PUBLIC_ROUTES: Record<string, string> = {
  // The sign-in pages and their JSON answers (docs/sign-in.md): no key; a session cookie where one is needed.
  'GET /auth/sign-in': 'test/sign-in.test.ts',
  'POST /auth/sign-in': 'test/sign-in.test.ts',
  'GET /auth/session': 'test/sign-in.test.ts',
  'GET /auth/account': 'test/sign-in.test.ts',
  'POST /auth/sign-out': 'test/sign-in.test.ts',
  'GET /auth/notice': 'test/sign-in.test.ts',
  'POST /auth/notice': 'test/sign-in.test.ts',
  'GET /auth/password-reset': 'test/sign-in.test.ts',
  'POST /auth/password-reset': 'test/sign-in.test.ts',
  'GET /auth/password-reset/{token}': 'test/sign-in.test.ts',
  'POST /auth/password-reset/{token}': 'test/sign-in.test.ts',
  'GET /auth/invitations/{token}': 'test/sign-in.test.ts',
  'POST /auth/invitations/{token}': 'test/sign-in.test.ts',
  // Single sign-on (docs/sso.md): the browser's own round trip through the identity provider.
  'GET /auth/sso': 'test/sso.test.ts',
  'GET /auth/sso/callback': 'test/sso.test.ts',
  'GET /other/status': 'test/second-face.test.ts',
  'GET /other/status/caller': 'test/second-face.test.ts',
  // Signed per Standard Webhooks instead of a key: test/shared-security.ts's signed-route cases.
  'POST /v1/hooks/{hook_id}': 'test/metric-hooks.test.ts',
  // WorkBoard's metric webhook: the hash (a hook's URL token) is the credential, a signature when sent.
  'POST /wb/apis/hook/{hash}': 'test/workboard-hooks.test.ts',
  'POST /wb/apis/stream/{stream_key}': 'test/workboard-hooks.test.ts',
  // OAuth 2.0 (docs/oauth.md): the consent page takes a session cookie, the token endpoints the client's hash.
  'GET /.well-known/oauth-authorization-server': 'test/oauth-flow.test.ts',
  'GET /oauth/authorize': 'test/oauth-flow.test.ts',
  'POST /oauth/authorize': 'test/oauth-flow.test.ts',
  'POST /oauth/token': 'test/oauth-flow.test.ts',
  'POST /oauth/revoke': 'test/oauth-flow.test.ts',
  'POST /oauth/introspect': 'test/oauth-flow.test.ts',
  // WorkBoard's OAuth flow (docs/oauth.md): a session cookie via /oauth/authorize, the client hash at the token URL.
  'GET /wb/oauth/authorize': 'test/workboard-oauth.test.ts',
  'POST /wb/oauth/token': 'test/workboard-oauth.test.ts',
};
