import type { Mode } from '../src/db/schema.js';
import type { Org, TestApp } from './harness.js';
import { token } from './route-catalog.js';

/**
 * The world the access matrix runs in (test/access-matrix.test.ts): two organisations, each with a person
 * of every role the matrix knows, a live and a test key for each of them, and objects of every kind in
 * each mode. Everything is made through the services and HTTP, as a client would (never raw INSERTs).
 *
 * Objects that the matrix addresses are made *after* the sandbox reset, in each mode on its own, so that
 * each mode has objects the other lacks (the reset copies the live directory into test keeping ids: a
 * person made before it exists in both modes under one id, which is the point of the copy).
 */

/** The roles of the matrix's columns, in column order. */
export const ROLES = [
  'super_admin',
  'admin',
  'data_admin',
  'hr_in',
  'hr_out',
  'owner',
  'manager',
  'member',
] as const;
export type MatrixRole = (typeof ROLES)[number];

/** What each role is, for test names and docs/access-matrix.md. */
export const ROLE_WORDS: Record<MatrixRole, string> = {
  super_admin: 'the super admin who made the organisation',
  admin: 'an admin',
  data_admin: 'a member with the data-admin grant',
  hr_in: "an hr_admin whose scope holds the owner's department (and the subject's)",
  hr_out: 'an hr_admin whose scope is another department',
  owner:
    "a member who owns the goals, milestones, comment and assessment, is the team's owner, and requests and gives feedback",
  manager: "a member who is the owner's (and the subject's) line manager, and the team's manager",
  member: 'a member with no tie to any object',
};

export const MODES: Mode[] = ['live', 'test'];
export const otherMode = (mode: Mode): Mode => (mode === 'live' ? 'test' : 'live');

/** The ids of one organisation's objects in one mode. */
export interface Objects {
  /** A department under `scoped` (so in hr_in's scope) made in this mode only. */
  department: number;
  /** A person in `department`, managed by the manager, made in this mode only: the target of /users routes. */
  subject: number;
  group: number;
  /** A team: the owner is its owner, the manager its manager. */
  team: number;
  period: number;
  /** A private goal owned by the owner, with `milestone` (0 → 100, owned by the owner) and a check-in. */
  goal: number;
  milestone: number;
  /** A private goal owned by the owner, without milestones (goal-level check-ins, assessments). */
  plainGoal: number;
  /** The owner's comment on `goal`. */
  comment: number;
  /** The owner's self-assessment of `goal`. */
  assessment: number;
  /** A key of the member, of this mode (keys belong to the organisation, not to a mode). */
  apiKey: number;
  /** A confidential OAuth app, registered in this mode by the super admin. */
  oauthApp: number;
  /** A service account made for this place (a live account whatever the mode, as keys' holders are). */
  serviceAccount: number;
  /** A named feedback template that lets managers read. */
  feedbackTemplate: number;
  /** The owner's self-requested feedback, the subject asked (read by the owner, the manager and hr_in). */
  feedbackRequest: number;
  /** The owner's unprompted feedback to the subject (read by the owner, the manager and hr_in). */
  feedback: number;
  /** A 360 cycle about the subject, the owner asked. */
  feedbackCycle: number;
  /** A company value, made by the super admin. */
  companyValue: number;
  /** The owner's private recognition of the subject (so: seen by the subject's manager and hr_in). */
  recognition: number;
  /** The owner's comment on `recognition`. */
  recognitionComment: number;
  /** The owner's reaction to `recognition`. */
  recognitionReaction: number;
  /** The owner's metric webhook on `milestone` (seen and managed by the owner and org admins). */
  /** An outbound webhook endpoint (an https URL, never sent to in the matrix: no worker runs), by the super admin. */
  webhookEndpoint: number;
  /** The delivery of a ping to `webhookEndpoint`. */
  webhookDelivery: number;
  metricHook: number;
  /** The owner's datastream feeding `milestone` (managed like a metric webhook). */
  datastream: number;
  /** A scheduled conversation template (both sides answer, confirm_meeting, allow_goals, HR in scope reads). */
  conversationTemplate: number;
  /** The same questions, anytime: the owner or the manager starts one. */
  anytimeTemplate: number;
  /** A deployment of conversationTemplate to the owner: `conversation`, the owner with the manager. */
  conversationDeployment: number;
  conversation: number;
  /** The owner's pending request to edit their submitted answers, on a conversation of its own. */
  editRequest: number;
  /**
   * An open calibration cycle of the owner alone, made by the super admin: the manager proposes, hr_in
   * calibrates (the owner is in scope), the owner does not see their own record (nothing is published).
   */
  calibrationCycle: number;
  /** Its session: the owner as participant, no facilitator. */
  calibrationSession: number;
  /** The owner's talent record in it. */
  talentRecord: number;
}

/** The objects a path parameter or a list may name: ids, not names. */
export type ObjectKind = keyof Objects;

export interface Person {
  id: number;
  email: string;
}

export interface OrgWorld {
  name: 'A' | 'B';
  org: Org;
  /** The department hr_in covers; the owner belongs to it. */
  scoped: number;
  /** The department hr_out covers; the manager and the member belong to it. */
  elsewhere: number;
  people: Record<MatrixRole, Person>;
  keys: Record<Mode, Record<MatrixRole, string>>;
  objects: Record<Mode, Objects>;
}

/** One organisation and mode, seen by its super admin: ids to put in bodies, and makers of fresh objects. */
export interface Place {
  world: OrgWorld;
  mode: Mode;
  objects: Objects;
  people: Record<MatrixRole, Person>;
  /** The super admin's key in this mode. */
  key: string;
}

export interface World {
  t: TestApp;
  a: OrgWorld;
  b: OrgWorld;
  place(world: OrgWorld, mode: Mode): Place;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A call through /v1 that must succeed; returns its data. */
/** An endpoint's subscription that nothing in the tests records, so that its delivery log stays short. */
export const QUIET = ['organization.created'];

export async function must(t: TestApp, key: string, method: Method, url: string, payload?: object) {
  const res = await t.request(key, { method, url, ...(payload && { payload }) });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
  return res.json().data;
}

const DAY = 86_400_000;
const day = (offset: number) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);

/** The privacy notice of the world's organisations, written before anyone joins (so everyone accepts it). */
export const WORLD_NOTICE = 'The access matrix world keeps goals and feedback.';

async function buildOrg(t: TestApp, name: 'A' | 'B'): Promise<OrgWorld> {
  const org = await t.createOrg();
  const call = (method: Method, url: string, payload?: object) => must(t, org.key, method, url, payload);
  await call('PUT', '/v1/privacy-notice', { text: WORLD_NOTICE });
  const scoped = (await call('POST', '/v1/departments', { name: `Scoped ${token()}` })).id as number;
  const elsewhere = (await call('POST', '/v1/departments', { name: `Elsewhere ${token()}` })).id as number;

  const member = (fields: object = {}, role: 'member' | 'admin' | 'hr_admin' = 'member') =>
    t.createMember(org, { role, fields });
  const admin = await member({}, 'admin');
  const dataAdmin = await member();
  await call('PATCH', `/v1/users/${dataAdmin.id}`, { data_admin: true });
  const hrIn = await member({}, 'hr_admin');
  const hrOut = await member({}, 'hr_admin');
  await call('PUT', `/v1/users/${hrIn.id}/hr-scope`, { department_ids: [scoped], group_ids: [] });
  await call('PUT', `/v1/users/${hrOut.id}/hr-scope`, { department_ids: [elsewhere], group_ids: [] });
  const manager = await member({ department_id: elsewhere });
  const owner = await member({ department_id: scoped, manager_id: manager.id });
  const plain = await member({ department_id: elsewhere });
  const superAdmin = (await call('GET', '/v1/me')).user as Person;

  const people: Record<MatrixRole, Person> = {
    super_admin: { id: superAdmin.id, email: superAdmin.email },
    admin,
    data_admin: dataAdmin,
    hr_in: hrIn,
    hr_out: hrOut,
    owner,
    manager,
    member: plain,
  };
  const live = {
    super_admin: org.key,
    admin: admin.key,
    data_admin: dataAdmin.key,
    hr_in: hrIn.key,
    hr_out: hrOut.key,
    owner: owner.key,
    manager: manager.key,
    member: plain.key,
  };

  // The sandbox: the live directory (people, departments, scopes) copied into test, then a test key each.
  await call('POST', '/v1/sandbox/reset');
  const test = {} as Record<MatrixRole, string>;
  for (const role of Object.keys(people) as MatrixRole[]) {
    const made = await call('POST', '/v1/api-keys', {
      user: people[role].id,
      name: `test key ${role}`,
      mode: 'test',
    });
    test[role] = made.key as string;
  }
  const keys = { live, test };
  const world = { name, org, scoped, elsewhere, people, keys } as OrgWorld;
  world.objects = {
    live: await buildObjects(t, world, 'live'),
    test: await buildObjects(t, world, 'test'),
  };
  return world;
}

/** A valid OAuth app registration (docs/oauth.md), its name fresh. */
export const oauthAppBody = () => ({
  name: `App ${token()}`,
  redirect_uris: ['https://app.example.com/callback'],
  contact_email: 'developer@example.com',
  kind: 'confidential',
});

/** The objects of one organisation in one mode, made with that mode's keys. */
async function buildObjects(t: TestApp, w: OrgWorld, mode: Mode): Promise<Objects> {
  const keys = w.keys[mode];
  const { people } = w;
  const admin = (method: Method, url: string, payload?: object) =>
    must(t, keys.super_admin, method, url, payload);
  const asOwner = (method: Method, url: string, payload?: object) =>
    must(t, keys.owner, method, url, payload);

  const department = (
    await admin('POST', '/v1/departments', { name: `Dept ${token()}`, parent_id: w.scoped })
  ).id as number;
  const subject = (
    await admin('POST', '/v1/users', {
      email: `subject-${token()}@example.com`,
      first_name: 'Sub',
      last_name: 'Ject',
      department_id: department,
      manager_id: people.manager.id,
    })
  ).id as number;
  const group = (await admin('POST', '/v1/groups', { name: `Group ${token()}`, user_ids: [people.owner.id] }))
    .id as number;
  const team = (await admin('POST', '/v1/teams', { name: `Team ${token()}`, kind: 'functional' }))
    .id as number;
  await admin('PUT', `/v1/teams/${team}/members/${people.owner.id}`, { team_role: 'owner' });
  await admin('PUT', `/v1/teams/${team}/members/${people.manager.id}`, { team_role: 'manager' });
  const period = (
    await admin('POST', '/v1/periods', { name: `Period ${token()}`, starts_on: day(-30), ends_on: day(60) })
  ).id as number;
  const privateGoal = async (name: string) =>
    (
      await admin('POST', '/v1/goals', {
        name,
        period_id: period,
        owner_user_id: people.owner.id,
        visibility: 'private',
      })
    ).id as number;
  const goal = await privateGoal(`Goal ${token()}`);
  const plainGoal = await privateGoal(`Plain goal ${token()}`);
  const milestone = (
    await admin('POST', `/v1/goals/${goal}/milestones`, {
      name: `Milestone ${token()}`,
      owner_user_id: people.owner.id,
      unit: 'number',
      start_value: 0,
      target_value: 100,
    })
  ).id as number;
  await asOwner('POST', `/v1/milestones/${milestone}/checkins`, { value: 10 });
  const comment = (await asOwner('POST', `/v1/goals/${goal}/comments`, { body: 'A first comment' }))
    .id as number;
  const assessment = (await asOwner('POST', `/v1/goals/${goal}/assessments`, { score: 3, before_end: true }))
    .id as number;
  const apiKey = (
    await must(t, w.keys.live.super_admin, 'POST', '/v1/api-keys', {
      user: people.member.id,
      name: `member ${mode} key ${token()}`,
      mode,
    })
  ).id as number;
  const oauthApp = (await admin('POST', '/v1/oauth-apps', oauthAppBody())).id as number;
  const serviceAccount = (
    await must(t, w.keys.live.super_admin, 'POST', '/v1/service-accounts', {
      name: `Script ${mode} ${token()}`,
    })
  ).id as number;
  const feedbackTemplate = (
    await admin('POST', '/v1/feedback-templates', {
      name: `Feedback ${token()}`,
      questions: [{ type: 'paragraph', text: 'What went well?' }],
    })
  ).id as number;
  const feedbackRequest = (
    await asOwner('POST', '/v1/feedback-requests', { template_id: feedbackTemplate, provider_ids: [subject] })
  ).id as number;
  const feedback = (
    await asOwner('POST', '/v1/feedback', { recipient_id: subject, body: 'Thanks for the help' })
  ).id as number;
  const feedbackCycle = (
    await admin('POST', '/v1/feedback-cycles', {
      name: `Cycle ${token()}`,
      kind: '360',
      template_id: feedbackTemplate,
      assignments: [{ recipient_id: subject, provider_ids: [people.owner.id] }],
    })
  ).id as number;
  const companyValue = (await admin('POST', '/v1/company-values', { name: `Value ${token()}` })).id as number;
  const recognition = (
    await asOwner('POST', '/v1/recognition', {
      receiver_ids: [subject],
      message: 'Thank you #matrix',
      company_value_id: companyValue,
      visibility: 'private',
    })
  ).id as number;
  const recognitionComment = (
    await asOwner('POST', `/v1/recognition/${recognition}/comments`, { body: 'Indeed' })
  ).id as number;
  const recognitionReaction = (
    await asOwner('POST', `/v1/recognition/${recognition}/reactions`, { kind: 'celebrate' })
  ).id as number;
  const metricHook = (
    await asOwner('POST', '/v1/metric-hooks', { name: `Hook ${token()}`, milestone_id: milestone })
  ).id as number;
  const datastream = (
    await asOwner('POST', '/v1/datastreams', { name: `Stream ${token()}`, milestone_id: milestone })
  ).id as number;
  const webhookEndpoint = (
    await admin('POST', '/v1/webhook-endpoints', {
      url: `https://example.com/${token()}`,
      event_types: QUIET,
    })
  ).id as number;
  const webhookDelivery = (await admin('POST', `/v1/webhook-endpoints/${webhookEndpoint}/ping`)).id as number;
  const conversations = await conversationObjects(t, w, mode);
  const calibration = await calibrationObjects(t, w.keys[mode].super_admin, people.owner.id);
  return {
    ...conversations,
    ...calibration,
    department,
    subject,
    group,
    team,
    period,
    goal,
    milestone,
    plainGoal,
    comment,
    assessment,
    apiKey,
    oauthApp,
    serviceAccount,
    feedbackTemplate,
    feedbackRequest,
    feedback,
    feedbackCycle,
    companyValue,
    recognition,
    recognitionComment,
    recognitionReaction,
    metricHook,
    datastream,
    webhookEndpoint,
    webhookDelivery,
  };
}

/** An open calibration cycle of the owner alone, with a session: see Objects.calibrationCycle. */
export async function calibrationObjects(t: TestApp, key: string, ownerId: number) {
  const cycle = await must(t, key, 'POST', '/v1/calibration/cycles', {
    name: `Calibration ${token()}`,
    performance_levels: ['Low', 'Medium', 'High'],
    potential_levels: ['Low', 'Medium', 'High'],
    audience: 'people',
    user_ids: [ownerId],
  });
  await must(t, key, 'PATCH', `/v1/calibration/cycles/${cycle.id}`, { state: 'open' });
  const session = await must(t, key, 'POST', `/v1/calibration/cycles/${cycle.id}/sessions`, {
    name: 'Owner',
    participant_ids: [ownerId],
    facilitator_ids: [],
  });
  const records = await must(t, key, 'GET', `/v1/calibration/cycles/${cycle.id}/talent-records`);
  return {
    calibrationCycle: cycle.id as number,
    calibrationSession: session.id as number,
    talentRecord: records[0].id as number,
  };
}

const conversationTemplateBody = (kind: 'scheduled' | 'anytime') => ({
  name: `${kind} ${token()}`,
  kind,
  format: 'two_way',
  manager_questions: [{ text: 'How did it go?', type: 'paragraph' }],
  report_questions: [{ text: 'How are you?', type: 'star_rating' }],
  settings: { confirm_meeting: true, allow_goals: true },
});

/** A fresh deployment of the place's template to the owner: its one conversation, the owner with the manager. */
async function deployToOwner(t: TestApp, key: string, templateId: number, ownerId: number) {
  const deployment = (
    await must(t, key, 'POST', '/v1/conversation-deployments', {
      template_id: templateId,
      starts_on: day(0),
      due_on: day(28),
      audience: 'people',
      user_ids: [ownerId],
    })
  ).id as number;
  const listed = await must(t, key, 'GET', `/v1/conversations?deployment_id=${deployment}`);
  return { deployment, conversation: listed[0].id as number };
}

/** Both participants submit (nothing is required) and confirm the meeting: ready to complete. */
async function shareConversation(t: TestApp, keys: Record<MatrixRole, string>, id: number) {
  for (const role of ['owner', 'manager'] as const) {
    await must(t, keys[role], 'POST', `/v1/conversations/${id}/submit`, {});
    await must(t, keys[role], 'POST', `/v1/conversations/${id}/confirm-meeting`);
  }
}

async function conversationObjects(t: TestApp, w: OrgWorld, mode: Mode) {
  const keys = w.keys[mode];
  const conversationTemplate = (
    await must(
      t,
      keys.super_admin,
      'POST',
      '/v1/conversation-templates',
      conversationTemplateBody('scheduled'),
    )
  ).id as number;
  const anytimeTemplate = (
    await must(t, keys.super_admin, 'POST', '/v1/conversation-templates', conversationTemplateBody('anytime'))
  ).id as number;
  const made = await deployToOwner(t, keys.super_admin, conversationTemplate, w.people.owner.id);
  const other = await deployToOwner(t, keys.super_admin, conversationTemplate, w.people.owner.id);
  await must(t, keys.owner, 'POST', `/v1/conversations/${other.conversation}/submit`, {});
  const editRequest = (
    await must(t, keys.owner, 'POST', `/v1/conversations/${other.conversation}/edit-requests`, {})
  ).id as number;
  return {
    conversationTemplate,
    anytimeTemplate,
    conversationDeployment: made.deployment,
    conversation: made.conversation,
    editRequest,
  };
}

/** Two organisations, A (whose people the matrix's columns are) and B (the other organisation). */
export async function buildWorld(t: TestApp): Promise<World> {
  const a = await buildOrg(t, 'A');
  const b = await buildOrg(t, 'B');
  const place = (world: OrgWorld, mode: Mode): Place => ({
    world,
    mode,
    objects: world.objects[mode],
    people: world.people,
    key: world.keys[mode].super_admin,
  });
  return { t, a, b, place };
}

/**
 * Fresh objects for writes that use up what they touch (a delete, a deactivation, a revocation), made by
 * the super admin of the place: a cell that may succeed never spends the world's shared objects.
 */
export function makers(t: TestApp) {
  const call = (p: Place, method: Method, url: string, payload?: object) =>
    must(t, p.key, method, url, payload);
  const user = async (p: Place) =>
    (
      await call(p, 'POST', '/v1/users', {
        email: `fresh-${token()}@example.com`,
        first_name: 'Fresh',
        last_name: 'Person',
        department_id: p.objects.department,
      })
    ).id as number;
  /** An open calibration cycle of the owner with no session yet. */
  const calibrationCycle = async (p: Place) => {
    const cycle = await call(p, 'POST', '/v1/calibration/cycles', {
      name: `Fresh ${token()}`,
      performance_levels: ['Low', 'High'],
      potential_levels: ['Low', 'High'],
      audience: 'people',
      user_ids: [p.people.owner.id],
    });
    await call(p, 'PATCH', `/v1/calibration/cycles/${cycle.id}`, { state: 'open' });
    return cycle.id as number;
  };
  const recognition = async (p: Place) =>
    (
      await must(t, p.world.keys[p.mode].owner, 'POST', '/v1/recognition', {
        receiver_ids: [p.objects.subject],
        message: `Fresh ${token()}`,
        visibility: 'private',
      })
    ).id as number;
  const apiKey = async (p: Place) =>
    (
      await must(t, p.world.keys.live.super_admin, 'POST', '/v1/api-keys', {
        user: p.people.member.id,
        name: `fresh ${token()}`,
        mode: p.mode,
      })
    ).id as number;
  return {
    user: async (p: Place) => ({ id: await user(p) }),
    deactivatedUser: async (p: Place) => {
      const id = await user(p);
      await call(p, 'POST', `/v1/users/${id}/deactivate`);
      return { id };
    },
    department: async (p: Place) => ({
      id: (await call(p, 'POST', '/v1/departments', { name: `Fresh ${token()}` })).id as number,
    }),
    group: async (p: Place) => ({
      id: (await call(p, 'POST', '/v1/groups', { name: `Fresh ${token()}` })).id as number,
    }),
    team: async (p: Place) => ({
      id: (await call(p, 'POST', '/v1/teams', { name: `Fresh ${token()}`, kind: 'working_group' }))
        .id as number,
    }),
    /** A team the owner owns, with the subject in it: {id, user_id} of the subject's membership. */
    teamMembership: async (p: Place) => {
      const id = (await call(p, 'POST', '/v1/teams', { name: `Fresh ${token()}`, kind: 'working_group' }))
        .id as number;
      await call(p, 'PUT', `/v1/teams/${id}/members/${p.people.owner.id}`, { team_role: 'owner' });
      await call(p, 'PUT', `/v1/teams/${id}/members/${p.objects.subject}`, { team_role: 'member' });
      return { id, user_id: p.objects.subject };
    },
    apiKey: async (p: Place) => ({ id: await apiKey(p) }),
    oauthApp: async (p: Place) => ({
      id: (await call(p, 'POST', '/v1/oauth-apps', oauthAppBody())).id as number,
    }),
    serviceAccount: async (p: Place) => ({
      id: (
        await must(t, p.world.keys.live.super_admin, 'POST', '/v1/service-accounts', {
          name: `Fresh ${token()}`,
        })
      ).id as number,
    }),
    revokedKey: async (p: Place) => {
      const id = await apiKey(p);
      await must(t, p.world.keys.live.super_admin, 'POST', `/v1/api-keys/${id}/revoke`);
      return { id };
    },
    goal: async (p: Place) => ({
      id: (
        await call(p, 'POST', '/v1/goals', {
          name: `Fresh goal ${token()}`,
          period_id: p.objects.period,
          owner_user_id: p.people.owner.id,
          visibility: 'private',
        })
      ).id as number,
    }),
    milestone: async (p: Place) => ({
      id: (await call(p, 'POST', `/v1/goals/${p.objects.goal}/milestones`, { name: `Fresh ${token()}` }))
        .id as number,
    }),
    /** The owner's self-requested feedback, the subject asked: for the requester's writes. */
    feedbackRequest: async (p: Place) => ({
      id: (
        await must(t, p.world.keys[p.mode].owner, 'POST', '/v1/feedback-requests', {
          template_id: p.objects.feedbackTemplate,
          provider_ids: [p.objects.subject],
        })
      ).id as number,
    }),
    companyValue: async (p: Place) => ({
      id: (await call(p, 'POST', '/v1/company-values', { name: `Fresh ${token()}` })).id as number,
    }),
    /** A private recognition of the subject by the owner. */
    recognition: async (p: Place) => ({ id: await recognition(p) }),
    /** The owner's comment on a fresh recognition of theirs: {id, comment_id}. */
    recognitionComment: async (p: Place) => {
      const id = await recognition(p);
      const owner = p.world.keys[p.mode].owner;
      const made = await must(t, owner, 'POST', `/v1/recognition/${id}/comments`, { body: 'x' });
      return { id, comment_id: made.id as number };
    },
    /** The owner's reaction to a fresh recognition of theirs: {id, reaction_id}. */
    recognitionReaction: async (p: Place) => {
      const id = await recognition(p);
      const owner = p.world.keys[p.mode].owner;
      const made = await must(t, owner, 'POST', `/v1/recognition/${id}/reactions`, { kind: 'like' });
      return { id, reaction_id: made.id as number };
    },
    /** The owner's metric webhook on the world's milestone. */
    metricHook: async (p: Place) => ({
      id: (
        await must(t, p.world.keys[p.mode].owner, 'POST', '/v1/metric-hooks', {
          name: `Fresh ${token()}`,
          milestone_id: p.objects.milestone,
        })
      ).id as number,
    }),
    /** The owner's datastream on the world's milestone. */
    datastream: async (p: Place) => ({
      id: (
        await must(t, p.world.keys[p.mode].owner, 'POST', '/v1/datastreams', {
          name: `Fresh ${token()}`,
          milestone_id: p.objects.milestone,
        })
      ).id as number,
    }),
    /** A webhook endpoint of the super admin's (https, never sent to: no worker runs in the matrix). */
    webhookEndpoint: async (p: Place) => ({
      id: (
        await must(t, p.world.keys[p.mode].super_admin, 'POST', '/v1/webhook-endpoints', {
          url: `https://example.com/${token()}`,
          event_types: QUIET,
        })
      ).id as number,
    }),
    /** A conversation of its own: the owner with the manager, nothing written yet. */
    conversation: async (p: Place) => ({
      id: (await deployToOwner(t, p.key, p.objects.conversationTemplate, p.people.owner.id)).conversation,
    }),
    /** A conversation both have submitted and confirmed: ready to complete, or to ask for an edit. */
    sharedConversation: async (p: Place) => {
      const { conversation } = await deployToOwner(
        t,
        p.key,
        p.objects.conversationTemplate,
        p.people.owner.id,
      );
      await shareConversation(t, p.world.keys[p.mode], conversation);
      return { id: conversation };
    },
    /** A conversation with the world's goal among those discussed: {id, goal_id}. */
    linkedGoal: async (p: Place) => {
      const { conversation } = await deployToOwner(
        t,
        p.key,
        p.objects.conversationTemplate,
        p.people.owner.id,
      );
      const owner = p.world.keys[p.mode].owner;
      await must(t, owner, 'POST', `/v1/conversations/${conversation}/goals`, { goal_id: p.objects.goal });
      return { id: conversation, goal_id: p.objects.goal };
    },
    /** The owner's pending edit request on a shared conversation of its own. */
    editRequest: async (p: Place) => {
      const { conversation } = await deployToOwner(
        t,
        p.key,
        p.objects.conversationTemplate,
        p.people.owner.id,
      );
      await shareConversation(t, p.world.keys[p.mode], conversation);
      const owner = p.world.keys[p.mode].owner;
      return { id: (await must(t, owner, 'POST', `/v1/conversations/${conversation}/edit-requests`, {})).id };
    },
    /** An open calibration cycle of the owner with no session yet: {id}. */
    calibrationCycle: async (p: Place) => ({ id: await calibrationCycle(p) }),
    /** An open calibration cycle of the owner split into a session: {id, session_id}. */
    calibrationSession: async (p: Place) => {
      const id = await calibrationCycle(p);
      const session = await call(p, 'POST', `/v1/calibration/cycles/${id}/sessions`, {
        name: 'Owner',
        participant_ids: [p.people.owner.id],
        facilitator_ids: [],
      });
      return { id, session_id: session.id as number };
    },
    /** A comment of the owner's on the world's goal. */
    comment: async (p: Place) => ({
      id: (
        await must(t, p.world.keys[p.mode].owner, 'POST', `/v1/goals/${p.objects.goal}/comments`, {
          body: 'x',
        })
      ).id as number,
    }),
  };
}
export type Makers = ReturnType<typeof makers>;
