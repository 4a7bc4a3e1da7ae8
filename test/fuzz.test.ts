import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CONTENT_TYPES,
  envelopeProblem,
  FUZZ_SEED,
  mutateBody,
  mutatePath,
  mutateQuery,
  mutations,
  queryNames,
  queryParts,
  rawBody,
  rawValue,
  runsFor,
  shown,
  tally,
} from './fuzz-requests.js';
import { type Member, type Org, startTestApp, type TestApp } from './harness.js';
import { ObjectFinder } from './object-finder.js';
import { type Doc, fill, loadRoutes, type Route, WRITE_METHODS } from './route-catalog.js';

/**
 * Fuzzing (issue 13, item 9): requests generated from the OpenAPI document, valid ones mutated with
 * hostile values (other JSON types, oversize text, NUL and lone surrogates, numbers and dates past every
 * limit, deep nesting, unknown fields; %00, %FF and very long ids in paths and queries), sent through
 * app.inject with a fixed seed. Properties: never a 5xx; every answer is the JSON envelope, an error with
 * the request id of its header; a refused write leaves the organisation's audit log as it was.
 * FUZZ_SEED and FUZZ_RUNS run it larger (docs/fuzzing.md).
 */
let t: TestApp;
let doc: Doc;
let routes: Route[];
let org: Org;
let member: Member;
let ids: Map<Route, Record<string, number>>;
let bodies: Map<Route, unknown>;

beforeAll(async () => {
  t = await startTestApp();
  ({ doc, routes } = await loadRoutes(t, '/v1'));
  org = await t.createOrg();
  member = await t.createMember(org);
  const finder = new ObjectFinder(t, routes, org.key);
  ids = new Map();
  bodies = new Map();
  for (const route of routes) {
    ids.set(route, await finder.paramsFor(route));
    if (route.body) bodies.set(route, await finder.bodyFor(route));
  }
}, 300_000);
afterAll(async () => {
  if (process.env.FUZZ_RUNS || process.env.FUZZ_REPORT) console.log('fuzz tally', JSON.stringify(tally));
  await t?.close();
});

const auditCount = async () =>
  Number(
    (
      await t.db
        .selectFrom('audit_events')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('org_id', '=', org.orgId)
        .executeTakeFirstOrThrow()
    ).n,
  );

const show = (options: InjectOptions) => {
  const payload = typeof options.payload === 'string' ? options.payload : JSON.stringify(options.payload);
  return `${options.method} ${String(options.url).slice(0, 200)} ${String(payload ?? '').slice(0, 300)}`;
};

/**
 * Sends one request and checks the properties: no 5xx, the envelope, and for a refused write the audit
 * log unchanged. Throws (for fast-check to shrink) on the first violation.
 */
async function check(key: string, options: InjectOptions) {
  const write = WRITE_METHODS.has(String(options.method).toLowerCase());
  const before = write ? await auditCount() : 0;
  const res = await t.request(key, options);
  tally.sent++;
  tally.statuses[res.statusCode] = (tally.statuses[res.statusCode] ?? 0) + 1;
  const problem = envelopeProblem(res);
  if (res.statusCode >= 500) tally.serverErrors++;
  else if (problem) tally.envelopeViolations++;
  if (problem) throw new Error(`${problem}: ${show(options)} → ${res.statusCode} ${res.body.slice(0, 300)}`);
  if (write && res.statusCode >= 400) {
    const after = await auditCount();
    if (after !== before) {
      tally.refusedWrites++;
      throw new Error(
        `a refused write wrote ${after - before} audit events: ${show(options)} → ${res.statusCode}`,
      );
    }
  }
  // The fuzzer's own key must survive its requests, or every later one is a mere 401.
  if (res.statusCode === 401) throw new Error(`the key was refused: ${show(options)} → ${res.body}`);
}

const params = (seedOffset: number, numRuns: number) => ({
  seed: FUZZ_SEED + seedOffset,
  numRuns,
});

/** The admin key mostly, a member's now and then: a member reaches validation and then a 403 or a 404. */
const keyChoice = fc.nat({ max: 4 }).map((n) => n === 0);
const keyOf = (asMember: boolean) => (asMember ? member.key : org.key);

describe('fuzz', () => {
  it('write bodies: mutated valid bodies', { timeout: 600_000 }, async () => {
    const writes = routes.filter((r) => r.body);
    expect(writes.length).toBeGreaterThan(10);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...writes.map((r) => shown(r, r.label))),
        mutations,
        keyChoice,
        async ({ value: route }, applied, asMember) => {
          const fields = Object.keys(route.body?.properties ?? {});
          const payload = mutateBody(bodies.get(route), fields, applied);
          await check(keyOf(asMember), {
            method: route.method.toUpperCase() as 'POST',
            url: fill(route.path, ids.get(route) ?? {}),
            payload: JSON.stringify(payload) ?? 'null',
            headers: { 'content-type': 'application/json' },
          });
        },
      ),
      params(0, runsFor(0.5, 2400)),
    );
  });

  it('path ids: %00, %FF, huge, negative and non-numeric ids', { timeout: 600_000 }, async () => {
    const withParams = routes.filter((r) => r.params.length > 0);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...withParams.map((r) => shown(r, r.label))),
        fc.nat(),
        rawValue,
        keyChoice,
        async ({ value: route }, which, value, asMember) => {
          const param = route.params[which % route.params.length] as string;
          const body = bodies.get(route);
          await check(keyOf(asMember), {
            method: route.method.toUpperCase() as 'POST',
            url: mutatePath(route.path, ids.get(route) ?? {}, param, value),
            ...(body !== undefined && {
              payload: JSON.stringify(body),
              headers: { 'content-type': 'application/json' },
            }),
          });
        },
      ),
      params(1, runsFor(0.2, 900)),
    );
  });

  it('queries: mutated filters, paging and unknown parameters', { timeout: 600_000 }, async () => {
    const reads = routes.filter((r) => r.method === 'get');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...reads.map((r) => shown(r, r.label))),
        queryParts,
        keyChoice,
        async ({ value: route }, parts, asMember) => {
          const query = mutateQuery(queryNames(doc, route), parts);
          await check(keyOf(asMember), {
            method: 'GET',
            url: `${fill(route.path, ids.get(route) ?? {})}?${query}`,
          });
        },
      ),
      params(2, runsFor(0.2, 900)),
    );
  });

  it('raw bodies: broken JSON and CSV, odd content types', { timeout: 600_000 }, async () => {
    const writes = routes.filter((r) => r.body);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...writes.map((r) => shown(r, r.label))),
        rawBody,
        fc.constantFrom(...CONTENT_TYPES),
        async ({ value: route }, { value: payload }, type) => {
          await check(org.key, {
            method: route.method.toUpperCase() as 'POST',
            url: fill(route.path, ids.get(route) ?? {}),
            payload,
            headers: type === null ? {} : { 'content-type': type },
          });
        },
      ),
      params(3, runsFor(0.1, 450)),
    );
  });
});
