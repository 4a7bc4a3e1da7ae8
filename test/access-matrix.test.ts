import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FACES } from '../src/app.js';
import type { Mode } from '../src/db/schema.js';
import { gates } from '../src/domain/access/policy.js';
import { MATRIX, type MatrixLine, type Outcome, PUBLIC_ROUTES } from './access-matrix.js';
import {
  buildWorld,
  type MatrixRole,
  MODES,
  makers,
  otherMode,
  type Place,
  ROLES,
  type World,
} from './access-world.js';
import { type FaceDescription, nativeDescription, requestAs } from './face-description.js';
import { startTestApp } from './harness.js';
import { otherDescription, otherFace } from './other-face.js';
import { type Doc, fill, loadRoutes } from './route-catalog.js';
import { workboardDescription } from './workboard-face.js';

/**
 * The access matrix (test/access-matrix.ts, docs/access-matrix.md): every route of every face the app
 * serves, read from its own OpenAPI document, × both modes × every role × {own organisation's object,
 * another organisation's, the other mode's}. A route without a line fails here, so a new route is in the
 * matrix the day it lands.
 */
const t = await startTestApp({ faces: [...FACES, otherFace] });
afterAll(() => t.close());

/** How each face's requests are sent and its answers read; a face without one fails the route check. */
const DESCRIPTIONS: FaceDescription[] = [nativeDescription, otherDescription, workboardDescription];
const faceOf = (path: string) => DESCRIPTIONS.find((d) => path.startsWith(`${d.prefix}/`));

const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as Doc;
const routes = (await loadRoutes(t, '')).routes;
const publicLabels = Object.entries(doc.paths).flatMap(([path, operations]) =>
  Object.entries(operations)
    .filter(([, op]) => Array.isArray(op.security) && op.security.length === 0)
    .map(([method]) => `${method.toUpperCase()} ${path}`),
);
const routeOf = new Map(routes.map((r) => [r.label, r]));
const lines = MATRIX.map((l) => l.route);

let world: World;
let make: ReturnType<typeof makers>;
beforeAll(async () => {
  world = await buildWorld(t);
  make = makers(t);
}, 300_000);

describe('the matrix and the route table', () => {
  it('has exactly one line for every route the faces serve, and none for a route that is gone', () => {
    const twice = lines.filter((label, i) => lines.indexOf(label) !== i);
    const missing = routes.map((r) => r.label).filter((label) => !lines.includes(label));
    const gone = lines.filter((label) => !routeOf.has(label));
    // Routes without a line go in test/access-matrix.ts (docs/access-matrix.md says how).
    expect({ twice, missing, gone }).toEqual({ twice: [], missing: [], gone: [] });
    expect(routes.length).toBeGreaterThan(60);
  });

  it('names every public route (no credential, no role) with the suite that covers it', () => {
    expect(publicLabels.sort()).toEqual(Object.keys(PUBLIC_ROUTES).sort());
    for (const label of publicLabels) expect(lines.includes(label), label).toBe(false);
  });

  it('knows how to call every face', () => {
    const unknown = routes.filter((r) => !faceOf(r.path)).map((r) => r.label);
    expect(unknown, 'routes of a face with no description').toEqual([]);
  });

  it('says "gate" only on gated routes, and a gated route refuses some role at its gate', () => {
    for (const line of MATRIX) {
      const gated = Object.values(line.expect).includes('gate');
      const route = routeOf.get(line.route);
      expect(gated, `${line.route}: x-gate ${route?.gate}`).toBe(Boolean(route?.gate));
    }
  });

  it('gives every path parameter an object and every body route a body', () => {
    for (const line of MATRIX) {
      const route = routeOf.get(line.route);
      if (!route) continue;
      expect(Object.keys(line.params ?? {}).sort(), line.route).toEqual([...route.params].sort());
      expect(Boolean(line.body), line.route).toBe(Boolean(route.body));
    }
  });

  it('runs the sandbox reset last: it replaces the test objects of the world', () => {
    expect(MATRIX.at(-1)?.route).toBe('POST /v1/sandbox/reset');
  });
});

const isWrite = (line: MatrixLine) => !line.route.startsWith('GET ');
const methodOf = (line: MatrixLine) => line.route.split(' ')[0] as 'GET';
const pathOf = (line: MatrixLine) => line.route.split(' ')[1] ?? '';

/**
 * Every audit row of the database, every organisation and mode: a write that was refused must add none.
 * Read with one query, not through /v1/audit-events per place, to keep the matrix fast.
 */
const auditRows = async () =>
  Number(
    (
      await t.db
        .selectFrom('audit_events')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** The ids of a line's path parameters in a place: the world's objects, or fresh ones. */
async function paramsIn(line: MatrixLine, p: Place, fresh: boolean): Promise<Record<string, number>> {
  if (fresh && line.fresh) return make[line.fresh](p);
  return Object.fromEntries(
    Object.entries(line.params ?? {}).map(([name, kind]) => [name, p.objects[kind] as number]),
  );
}

async function send(line: MatrixLine, key: string, params: Record<string, number>, body: unknown) {
  const face = faceOf(pathOf(line)) as FaceDescription;
  const list = line.lists !== undefined;
  const url = fill(pathOf(line), params) + (list ? `?${face.pageQuery(100)}` : '');
  const payload = body === undefined ? undefined : (body as object);
  return requestAs(t, face, key, { method: methodOf(line), url, payload });
}

/** Checks an answer against an outcome; for a list, whether `id` is in it. */
function expectOutcome(line: MatrixLine, res: LightMyRequestResponse, outcome: Outcome, id?: number) {
  const face = faceOf(pathOf(line)) as FaceDescription;
  const where = `${line.route} → ${res.statusCode} ${res.body.slice(0, 300)}`;
  if (outcome === 'ok' || outcome === 'unlisted') {
    expect(res.statusCode, where).toBeLessThan(300);
    if (line.lists === undefined) return;
    const body = res.json();
    const rows = (face.rowsOf(body) ?? []) as { id: number }[];
    expect(face.totalOf(body), `${where}: the whole list fits one page`).toBeLessThanOrEqual(rows.length);
    const ids = rows.map((r) => r.id);
    if (outcome === 'ok') expect(ids, where).toContain(id);
    else expect(ids, where).not.toContain(id);
    return;
  }
  const [status, code] =
    outcome === 'gate' || outcome === 403
      ? [403, 'insufficient_access']
      : outcome === 404
        ? [404, 'invalid_resource_id']
        : [422, null];
  expect(res.statusCode, where).toBe(face.statusFor(code ?? 'bulk_rejected', status));
  if (code) expect(face.errorOf(res.json()).code, where).toBe(code);
  // A bulk upload refused for access says so in its rows, not for a row that was badly written: a row
  // naming an object the caller cannot see is refused as unknown (a bulk check-in on a hidden milestone).
  else expect([['insufficient_access'], ['invalid_resource_id']], where).toContainEqual(rowErrors(res));
  // Refused at the gate: in the gate's own words, whatever was sent (the native body carries them).
  const gate = routeOf.get(line.route)?.gate;
  if (outcome === 'gate' && face === nativeDescription && gate)
    expect(res.json().error_description, where).toBe(gates[gate as keyof typeof gates].refusal);
}

const rowErrors = (res: LightMyRequestResponse) => [
  ...new Set(((res.json().details ?? []) as { error: string }[]).map((d) => d.error)),
];

/** The outcome on an object the caller must not reach: 404 (unlisted), or the gate's 403 whatever the object. */
const unreachable = (line: MatrixLine, own: Outcome): Outcome =>
  own === 'gate' ? 'gate' : line.lists !== undefined ? 'unlisted' : 404;

/** Runs a request and checks that no audit row was written anywhere (unless it may succeed). */
async function unchanged(line: MatrixLine, outcome: Outcome, run: () => Promise<void>) {
  const watch = isWrite(line) && outcome !== 'ok';
  const before = watch ? await auditRows() : 0;
  await run();
  if (watch) expect(await auditRows(), `${line.route}: the audit log`).toBe(before);
}

async function ownCell(line: MatrixLine, role: MatrixRole, mode: Mode) {
  const here = world.place(world.a, mode);
  const outcome = (mode === 'test' && line.inTestMode?.[role]) || line.expect[role];
  // The gate reads no object: the shared one serves, and nothing may change it.
  const params = await paramsIn(line, here, outcome !== 'gate');
  await unchanged(line, outcome, async () => {
    const res = await send(line, world.a.keys[mode][role], params, line.body?.(here));
    expectOutcome(line, res, outcome, line.lists && here.objects[line.lists]);
  });
}

/** The other organisation, in the key's mode; or the key's organisation in the other mode. */
type Across = 'org' | 'mode';
const elsewhere = (across: Across, mode: Mode) =>
  across === 'org' ? world.place(world.b, mode) : world.place(world.a, otherMode(mode));

/** The line's object in the other place: 404 (a list: not in it), unless the line says otherwise. */
async function acrossCell(line: MatrixLine, role: MatrixRole, mode: Mode, across: Across) {
  const here = world.place(world.a, mode);
  const there = elsewhere(across, mode);
  const own = line.expect[role];
  const outcome = (across === 'mode' && line.otherMode?.(role, mode)) || unreachable(line, own);
  const params = await paramsIn(line, there, outcome === 'ok');
  await unchanged(line, outcome, async () => {
    const res = await send(line, world.a.keys[mode][role], params, line.body?.(here));
    expectOutcome(line, res, outcome, line.lists && there.objects[line.lists]);
  });
}

/** The line's own object (if any), the body naming the other place's objects: refused, nothing written. */
async function referencesCell(line: MatrixLine, role: MatrixRole, mode: Mode, across: Across) {
  const here = world.place(world.a, mode);
  const outcome = refused(line.expect[role]);
  const params = await paramsIn(line, here, true);
  await unchanged(line, outcome, async () => {
    const res = await send(line, world.a.keys[mode][role], params, line.body?.(elsewhere(across, mode)));
    expectRefused(line, res, outcome);
  });
}

/** A body naming the other place's objects: refused at the gate as ever, otherwise refused one way or another. */
const refused = (own: Outcome): Outcome => (own === 'gate' ? 'gate' : 403);
function expectRefused(line: MatrixLine, res: LightMyRequestResponse, outcome: Outcome) {
  if (outcome === 'gate') return expectOutcome(line, res, 'gate');
  const face = faceOf(pathOf(line)) as FaceDescription;
  const refusals = [403, 404, 422].map((s) => face.statusFor(s === 403 ? 'insufficient_access' : '', s));
  expect(refusals, `${line.route} → ${res.statusCode} ${res.body.slice(0, 300)}`).toContain(res.statusCode);
}

const WORDS: Record<Across, string> = { org: "other org's", mode: "other mode's" };

/**
 * A line's cells in one mode for one role: its own object; an object route's or a list's other org's and
 * other mode's object; and for a body with references, the other org's (and other mode's) references.
 */
const cells = (line: MatrixLine) =>
  MODES.flatMap((mode) =>
    ROLES.flatMap((role) => {
      const list = [{ name: `${mode} ${role}: own object`, run: () => ownCell(line, role, mode) }];
      const acrossObjects = Object.keys(line.params ?? {}).length > 0 || line.lists !== undefined;
      for (const across of ['org', 'mode'] as const) {
        if (acrossObjects)
          list.push({
            name: `${mode} ${role}: ${WORDS[across]} object`,
            run: () => acrossCell(line, role, mode, across),
          });
        if (line.refs?.includes(across))
          list.push({
            name: `${mode} ${role}: ${WORDS[across]} references`,
            run: () => referencesCell(line, role, mode, across),
          });
      }
      return list;
    }),
  );

describe.each(MATRIX)('$route', (line) => {
  it.each(cells(line))('$name', ({ run }) => run());
});
