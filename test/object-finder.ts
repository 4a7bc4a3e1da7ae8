import { operatorPrincipal } from '../src/domain/access/principal.js';
import { requestEdit } from '../src/domain/conversations/edit-requests.js';
import { submitAnswers } from '../src/domain/conversations/writes.js';
import { authorizationTarget, checkAuthorizationRequest, grantCode } from '../src/domain/oauth/authorize.js';
import { exchangeCode } from '../src/domain/oauth/tokens.js';
import { QUIET } from './access-world.js';
import { type FaceDescription, nativeDescription, requestAs } from './face-description.js';
import type { TestApp } from './harness.js';
import { fill, kindOf, kindsForField, type Route, type Schema, sample, token } from './route-catalog.js';

/** An id no organisation has: the route is still exercised when no real object of its kind can be found. */
export const PLAUSIBLE_ID = 987_654_321;

const lastSegment = (path: string) => path.split('/').pop() ?? '';

/**
 * Kinds whose objects a sample body cannot make: a deployment needs a scheduled template and a population
 * with a manager and a report; a conversation comes from a deployment. Each recipe makes one through /v1.
 */
async function deployConversation(t: TestApp, key: string) {
  const post = async (url: string, payload: object) => {
    const res = await t.request(key, { method: 'POST', url, payload });
    if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
    return res.json().data as { id: number };
  };
  const email = () => `${token()}@example.com`;
  const manager = await post('/v1/users', { email: email(), first_name: 'Fixture', last_name: 'Manager' });
  const report = await post('/v1/users', {
    email: email(),
    first_name: 'Fixture',
    last_name: 'Report',
    manager_id: manager.id,
  });
  const template = await post('/v1/conversation-templates', {
    name: `Fixture ${token()}`,
    kind: 'scheduled',
    format: 'two_way',
    report_questions: [{ text: 'How are you?', type: 'paragraph' }],
  });
  await post('/v1/conversation-deployments', {
    template_id: template.id,
    starts_on: '2030-01-15',
    due_on: '2030-02-15',
    audience: 'people',
    user_ids: [report.id],
  });
  return report.id;
}

/** An edit request: the report of a deployed conversation submits, then asks to change the answers. */
async function requestEditOfConversation(t: TestApp, key: string) {
  const reportId = await deployConversation(t, key);
  const c = await t.db
    .selectFrom('conversations')
    .select(['org_id', 'mode', 'id'])
    .where('report_id', '=', reportId)
    .executeTakeFirstOrThrow();
  const report = {
    ...operatorPrincipal(c.org_id, reportId, c.mode),
    role: 'member' as const,
    dataAdmin: false,
  };
  await submitAnswers(t.db, report, c.id, []);
  await requestEdit(t.db, report, c.id, 'Typo');
}

/**
 * A calibration cycle of one new person, opened (their talent record made) and split into a session:
 * a cycle made from a sample body would have nobody to calibrate.
 */
async function openCalibrationCycle(t: TestApp, key: string) {
  const post = async (method: 'POST' | 'PATCH', url: string, payload: object) => {
    const res = await t.request(key, { method, url, payload });
    if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
    return res.json().data as { id: number };
  };
  const person = await post('POST', '/v1/users', {
    email: `${token()}@example.com`,
    first_name: 'Fixture',
    last_name: 'Calibrated',
  });
  const cycle = await post('POST', '/v1/calibration/cycles', {
    name: `Fixture ${token()}`,
    performance_levels: ['Low', 'High'],
    potential_levels: ['Low', 'High'],
    audience: 'people',
    user_ids: [person.id],
  });
  await post('PATCH', `/v1/calibration/cycles/${cycle.id}`, { state: 'open' });
  await post('POST', `/v1/calibration/cycles/${cycle.id}/sessions`, {
    name: 'Fixture',
    participant_ids: [person.id],
    facilitator_ids: [],
  });
}

/** Collections made through their services, not one create call: a deployment needs a template and a pair. */
/** A session: the key's holder is invited, chooses a password and signs in (GET /v1/me/sessions lists it). */
async function signInKeyHolder(t: TestApp, key: string) {
  const me = await t.request(key, { method: 'GET', url: '/v1/me' });
  if (me.statusCode !== 200) throw new Error(`/v1/me: ${me.statusCode}`);
  const { user } = me.json().data as { user: { id: number; email: string } };
  await t.signIn(key, user);
}

/** A grant: the key's holder authorises a new app, through the same services /oauth/authorize and /oauth/token call. */
async function grantAnApp(t: TestApp, key: string) {
  const me = await t.request(key, { method: 'GET', url: '/v1/me' });
  const { user } = me.json().data as { user: { id: number } };
  const made = await t.request(key, {
    method: 'POST',
    url: '/v1/oauth-apps',
    payload: {
      name: `Granted ${token()}`,
      redirect_uris: [GRANT_REDIRECT],
      contact_email: 'a@example.com',
      kind: 'confidential',
    },
  });
  if (made.statusCode !== 201) throw new Error(`POST /v1/oauth-apps: ${made.statusCode} ${made.body}`);
  const app = made.json().data as { client_id: string; client_hash: string };
  const params = { client_id: app.client_id, redirect_uri: GRANT_REDIRECT, response_type: 'code' };
  const request = checkAuthorizationRequest(await authorizationTarget(t.db, params), params);
  const person = {
    ...operatorPrincipal(request.app.org_id, user.id, request.app.mode),
    role: 'member' as const,
  };
  const code = await grantCode(t.db, person, request, Date.now());
  const client = { clientId: app.client_id, clientHash: app.client_hash };
  const exchange = { code, redirectUri: GRANT_REDIRECT, codeVerifier: undefined };
  await exchangeCode(t.db, client, exchange, Date.now(), null);
}
const GRANT_REDIRECT = 'https://app.example.com/callback';

/** A delivery: an https endpoint (never sent to: no worker runs here) and the delivery of its ping. */
async function pingEndpoint(t: TestApp, key: string) {
  const made = await t.request(key, {
    method: 'POST',
    url: '/v1/webhook-endpoints',
    payload: { url: `https://example.com/${token()}`, event_types: QUIET },
  });
  if (made.statusCode !== 201) throw new Error(`POST /v1/webhook-endpoints: ${made.statusCode} ${made.body}`);
  const url = `/v1/webhook-endpoints/${made.json().data.id}/ping`;
  const res = await t.request(key, { method: 'POST', url });
  if (res.statusCode !== 202) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
}

const MAKERS: Record<string, (t: TestApp, key: string) => Promise<unknown>> = {
  sessions: signInKeyHolder,
  'oauth-grants': grantAnApp,
  'conversation-deployments': deployConversation,
  conversations: deployConversation,
  'conversation-edit-requests': requestEditOfConversation,
  cycles: openCalibrationCycle,
  'webhook-deliveries': pingEndpoint,
};

/**
 * The collection a body field names, read in the route's own area first: template_id on
 * /v1/conversation-deployments is a conversation template (conversation-templates), not a bare "templates".
 */
function inArea(path: string, kind: string): string | null {
  const first = path.split('/')[2] ?? '';
  const area = first.split('-')[0]?.replace(/s$/, '');
  return area && !kind.startsWith(area) ? `${area}-${kind}` : null;
}
const isCollection = (route: Route, kind: string) =>
  lastSegment(route.path) === kind && !route.path.endsWith('}');

/**
 * Bodies for the creates a schema cannot describe well enough to sample: references nested in a list of
 * objects, and rules between them (a cycle's recipient is never among their own providers).
 */
const RECIPES: Record<string, (ids: (kind: string) => Promise<number[]>) => Promise<object>> = {
  /** Bound to a real milestone, so that the hook can be signed for and check in (docs/webhooks.md). */
  'POST /v1/metric-hooks': async (ids) => ({
    name: `Hook ${token()}`,
    milestone_id: (await ids('milestones')).at(-1),
  }),
  /** Redirect URIs must be https (or loopback http): a sampled string is not one. */
  'POST /v1/oauth-apps': async () => ({
    name: `App ${token()}`,
    redirect_uris: ['https://app.example.com/callback'],
    contact_email: 'developer@example.com',
    kind: 'confidential',
  }),
  /** Bound to a real milestone the key may check in on, as a stream must be. */
  'POST /v1/datastreams': async (ids) => ({
    name: `Stream ${token()}`,
    milestone_id: (await ids('milestones')).at(-1),
  }),
  /** An https URL: the sampled string is no URL, and loopback or private addresses are refused. */
  'POST /v1/webhook-endpoints': async () => ({ url: `https://example.com/${token()}`, event_types: QUIET }),
  'POST /v1/feedback-cycles': async (ids) => {
    const users = await ids('users');
    return {
      name: `Cycle ${Date.now()}`,
      kind: '360',
      template_id: (await ids('feedback-templates')).at(-1) ?? PLAUSIBLE_ID,
      assignments: [{ recipient_id: users.at(-1) ?? PLAUSIBLE_ID, provider_ids: [users[0] ?? PLAUSIBLE_ID] }],
    };
  },
};

/** What a signed route is sent: its path parameters, the secret to sign with, and a body it accepts. */
export interface SignedTarget {
  params: Record<string, string>;
  secret: string;
  body: object;
}

/**
 * Signed routes by label: how to make the object the URL names and learn its secret, which no list shows
 * (a webhook's URL and secret are answered once, at creation).
 */
const SIGNED_TARGETS: Record<
  string,
  (finder: ObjectFinder, t: TestApp, key: string) => Promise<SignedTarget>
> = {
  'POST /v1/hooks/{hook_id}': async (finder, t, key) => {
    const milestone = (await finder.ids('milestones')).at(-1);
    const res = await t.request(key, {
      method: 'POST',
      url: '/v1/metric-hooks',
      payload: { name: `Signed ${token()}`, milestone_id: milestone },
    });
    if (res.statusCode !== 201) throw new Error(`POST /v1/metric-hooks: ${res.statusCode} ${res.body}`);
    const { url, signing_secret } = res.json().data;
    return {
      params: { hook_id: String(url).split('/').pop() as string },
      secret: signing_secret,
      body: { action: 'set', value: 1 },
    };
  },
};

/**
 * Finds real ids of every kind of object, as one key sees them, by listing the collection the OpenAPI
 * document names for it (/v1/goals, or /v1/goals/{id}/milestones, under the face's prefix), and creating one from the create
 * route's schema when the list is empty. New resources are found without changes here.
 */
export class ObjectFinder {
  private readonly cache = new Map<string, Promise<number[]>>();
  /** Why a kind could not be found or made, for the fixture test's message. */
  readonly problems = new Map<string, string>();

  constructor(
    private readonly t: TestApp,
    private readonly routes: Route[],
    private readonly key: string,
    /** The face the routes belong to: how the key is sent and how a list reads. */
    private readonly face: FaceDescription = nativeDescription,
  ) {}

  /** The ids of a kind the key sees (ascending), creating one object when there is none. */
  ids(kind: string, depth = 0): Promise<number[]> {
    let found = this.cache.get(kind);
    if (!found) {
      found = this.find(kind, depth);
      this.cache.set(kind, found);
    }
    return found;
  }

  /** A fresh object for a signed route, with its secret; throws when the route has no recipe. */
  signedTarget(route: Route): Promise<SignedTarget> {
    const recipe = SIGNED_TARGETS[route.label];
    if (!recipe)
      throw new Error(`${route.label} is signed but test/object-finder.ts has no SIGNED_TARGETS recipe`);
    return recipe(this, this.t, this.key);
  }

  /** Forgets what was found, after objects were added or removed. */
  reset() {
    this.cache.clear();
  }

  /** The newest object of each of a route's path parameters, or PLAUSIBLE_ID where none exists. */
  async paramsFor(route: Route, depth = 0): Promise<Record<string, number>> {
    const ids: Record<string, number> = {};
    for (const param of route.params) {
      const nested = this.nestedCollection(route, param);
      if (nested && depth <= 4) {
        ids[param] = (await this.nestedIds(nested, ids, depth + 1)).at(-1) ?? PLAUSIBLE_ID;
        continue;
      }
      const kind = kindOf(route.path, param);
      ids[param] = depth > 4 ? PLAUSIBLE_ID : ((await this.ids(kind, depth + 1)).at(-1) ?? PLAUSIBLE_ID);
    }
    return ids;
  }

  /**
   * The list a nested parameter names, when the path says it: {comment_id} in
   * /v1/recognition/{id}/comments/{comment_id} is one of /v1/recognition/{id}/comments, not a goal's
   * comment. Only when the parameter is named after the segment before it (teams/{id}/members/{user_id}
   * names a user, and keeps the users list).
   */
  private nestedCollection(route: Route, param: string): Route | undefined {
    if (param === 'id') return undefined;
    const at = route.path.indexOf(`/{${param}}`);
    if (at < 0) return undefined;
    const prefix = route.path.slice(0, at);
    if (!kindsForField(param).includes(lastSegment(prefix))) return undefined;
    return this.routes.find((r) => r.method === 'get' && r.path === prefix);
  }

  /** The ids of a nested list under the parents already chosen, creating one object when it is empty. */
  private nestedIds(list: Route, parents: Record<string, number>, depth: number): Promise<number[]> {
    const url = fill(list.path, parents);
    let found = this.cache.get(url);
    if (!found) {
      found = (async () => {
        const path = (route: Route) => ({ ...route, path: url, params: [] });
        const listed = await this.list([path(list)], depth);
        if (listed.length > 0) return listed;
        const create = this.routes.find((r) => r.method === 'post' && r.path === list.path && r.body);
        if (!create) return [];
        for (const level of [0, 1, 2, 3]) {
          const res = await requestAs(this.t, this.face, this.key, {
            method: 'POST',
            url,
            payload: (await this.bodyFor(create, depth, level)) as object,
          });
          if (res.statusCode < 300) return this.list([path(list)], depth);
        }
        return [];
      })();
      this.cache.set(url, found);
    }
    return found;
  }

  /**
   * A valid body for a write route, its references pointing at real objects. Level 1 adds optional
   * references named after a resource (period_id), level 2 optional dates, level 3 optional flags set to
   * true, level 4 optional text: for rules a schema cannot express, such as "send period_id, or starts_on
   * and ends_on", "before the goal's end, send before_end: true", or "send template_id or body".
   */
  async bodyFor(route: Route, depth = 0, level = 0): Promise<unknown> {
    if (!route.body) return undefined;
    const required = new Set(route.body.required ?? []);
    const refs = new Map<string, number>();
    for (const field of Object.keys(route.body.properties ?? {})) {
      const optional = !required.has(field);
      if (optional && level !== 1) continue;
      for (const kind of this.referenceKinds(field, optional, route.path)) {
        const id = (await this.ids(kind, depth + 1)).at(-1);
        if (id !== undefined) {
          refs.set(field, id);
          break;
        }
      }
    }
    const isDate = (s: Schema) => s.format === 'date' || (s.anyOf ?? []).some((v) => v.format === 'date');
    return sample(route.body, {
      idFor: (field) => refs.get(field),
      extra: (field, schema) =>
        refs.has(field) ||
        (level === 2 && isDate(schema)) ||
        (level === 3 && schema.type === 'boolean') ||
        (level === 4 && schema.type === 'string' && !isDate(schema)),
      flag: level === 3,
    });
  }

  /**
   * Collections a body field refers to: owner_user_id → users; user → users; exactly period_id → periods;
   * receiver_ids → users. An area's own collection comes first: template_id on /v1/feedback-requests → feedback-templates.
   */
  private referenceKinds(field: string, exact: boolean, path: string): string[] {
    const plain = /_ids?$/.test(field) ? kindsForField(field) : [`${field}s`];
    // An optional reference takes its exact collection, or users when it names a person (receiver_ids).
    const candidates = exact ? plain.filter((kind, i) => i === 0 || kind === 'users') : plain;
    const kinds = [...candidates.map((kind) => inArea(path, kind)), ...candidates];
    const known = (kind: string | null): kind is string =>
      kind !== null && this.routes.some((r) => r.method === 'get' && isCollection(r, kind));
    return kinds.filter(known);
  }

  private async find(kind: string, depth: number): Promise<number[]> {
    if (depth > 4) return [];
    const lists = this.routes
      .filter((r) => r.method === 'get' && isCollection(r, kind))
      .sort((a, b) => a.params.length - b.params.length);
    const listed = await this.list(lists, depth);
    if (listed.length > 0) return listed;
    const maker = MAKERS[kind];
    if (maker && lists.length > 0) {
      await maker(this.t, this.key).catch((error: Error) => this.problems.set(kind, error.message));
      return this.list(lists, depth);
    }
    const creates = this.routes.filter((r) => r.method === 'post' && isCollection(r, kind) && r.body);
    for (const create of creates) {
      const recipe = RECIPES[create.label];
      for (const level of recipe ? [0] : [0, 1, 2, 3, 4]) {
        const res = await requestAs(this.t, this.face, this.key, {
          method: 'POST',
          url: fill(create.path, await this.paramsFor(create, depth)),
          payload: (recipe
            ? await recipe((k) => this.ids(k, depth + 1))
            : await this.bodyFor(create, depth, level)) as object,
        });
        if (res.statusCode < 300) return this.list(lists, depth);
        this.problems.set(
          kind,
          `${create.label} level ${level}: ${res.statusCode} ${res.body.slice(0, 200)}`,
        );
      }
    }
    if (creates.length === 0) this.problems.set(kind, 'no list or create route found');
    return [];
  }

  private async list(lists: Route[], depth: number): Promise<number[]> {
    for (const route of lists) {
      const url = `${fill(route.path, await this.paramsFor(route, depth))}?${this.face.pageQuery(100)}`;
      const res = await requestAs(this.t, this.face, this.key, { method: 'GET', url });
      const data = res.statusCode === 200 ? this.face.rowsOf(res.json()) : null;
      if (!data) continue;
      const ids = (data as { id?: unknown }[]).map((row) => row.id).filter((id) => typeof id === 'number');
      if (ids.length > 0) return (ids as number[]).sort((a, b) => a - b);
    }
    return [];
  }
}
