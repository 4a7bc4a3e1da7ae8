import { beforeAll, describe, expect, it } from 'vitest';
import { badBodies } from './bad-bodies.js';
import { errorExpecter, type FaceDescription, requestAs } from './face-description.js';
import type { Org, TestApp } from './harness.js';
import { ObjectFinder } from './object-finder.js';
import { fill, type Route, sample, validator, WRITE_METHODS } from './route-catalog.js';

/**
 * Every write route of a face with a body, from the OpenAPI document, fed bodies its schema rejects: each
 * answers a clear 4xx in the face's error shape and writes nothing. The bad bodies are generated from the
 * route's own schema. The audit log, read through the native face, witnesses that nothing was written.
 */
export function describeSharedBadInput(face: FaceDescription, t: TestApp, routes: Route[]) {
  const writes = routes.filter((r) => WRITE_METHODS.has(r.method) && r.body);
  const MiB = 1024 * 1024;

  let org: Org;
  let finder: ObjectFinder;

  beforeAll(async () => {
    org = await t.createOrg();
    await t.createMember(org);
    finder = new ObjectFinder(t, routes, org.key, face);
  }, 300_000);

  /** Drops what changes on reads alone (a key's last use), so that two snapshots compare what was written. */
  const stable = (body: string) => body.replace(/"last_used_at":("[^"]*"|null)/g, '');

  /**
   * What a write to this route could change, as the caller sees it: the audit log's size, and every GET
   * route on the way to it (/v1/goals, /v1/goals/{id}, /v1/goals/{id}/milestones).
   */
  async function snapshot(route: Route, ids: Record<string, number>): Promise<string[]> {
    const audit = await t.request(org.key, { method: 'GET', url: '/v1/audit-events?size=1' });
    const seen = [`audit events: ${audit.json().total_count}`];
    const reads = routes.filter(
      (r) => r.method === 'get' && (route.path === r.path || route.path.startsWith(`${r.path}/`)),
    );
    for (const read of reads) {
      const url = `${fill(read.path, ids)}?${face.pageQuery(100)}`;
      const res = await requestAs(t, face, org.key, { method: 'GET', url });
      seen.push(`${read.label}: ${res.statusCode} ${stable(res.body)}`);
    }
    return seen;
  }

  const send = (route: Route, url: string, payload: string, contentType = 'application/json') =>
    requestAs(t, face, org.key, {
      method: route.method.toUpperCase() as 'POST',
      url,
      payload,
      headers: { 'content-type': contentType },
    });
  const expectError = errorExpecter(face);

  describe.each(writes)('$label', (route) => {
    it('rejects every body its schema forbids with 400 and writes nothing', {
      timeout: 300_000,
    }, async () => {
      const schema = route.body ?? {};
      expect(validator(schema)(sample(schema)), 'the generated valid body passes the schema').toBe(true);
      const bodies = badBodies(schema);
      expect(bodies.length, 'at least the unknown-field case').toBeGreaterThan(0);
      const ids = await finder.paramsFor(route);
      const url = fill(route.path, ids);
      const before = await snapshot(route, ids);
      for (const bad of bodies) {
        expectError(await send(route, url, JSON.stringify(bad.body)), 400, bad.code, bad.label);
      }
      expect(await snapshot(route, ids)).toEqual(before);
    });

    it('rejects malformed JSON, an empty JSON body and an unknown content type', {
      timeout: 120_000,
    }, async () => {
      const ids = await finder.paramsFor(route);
      const url = fill(route.path, ids);
      const before = await snapshot(route, ids);
      expectError(await send(route, url, '{"name": "unterminated'), 400, 'malformed_json', 'truncated JSON');
      expectError(await send(route, url, "{'single': 'quotes'}"), 400, 'malformed_json', 'not JSON');
      expectError(await send(route, url, ''), 400, 'malformed_json', 'empty body');
      expectError(await send(route, url, '<a/>', 'application/xml'), 415, 'unsupported_media_type', 'XML');
      expect(await snapshot(route, ids)).toEqual(before);
    });

    it('answers a body over the route limit (1 MiB unless it says more) with 413', {
      timeout: 120_000,
    }, async () => {
      const ids = await finder.paramsFor(route);
      const url = fill(route.path, ids);
      const before = await snapshot(route, ids);
      // A route with a larger limit parses the body and refuses the unknown field: double until it is over.
      let size = MiB + 1;
      let res = await send(route, url, `{"junk":"${'a'.repeat(size)}"}`);
      while (res.statusCode !== 413 && size < 64 * MiB) {
        expect(res.statusCode, `${size} bytes: ${res.body.slice(0, 200)}`).toBe(
          face.statusFor('invalid_parameters', 400),
        );
        size *= 2;
        res = await send(route, url, `{"junk":"${'a'.repeat(size)}"}`);
      }
      expectError(res, 413, 'payload_too_large', `${size} bytes`);
      expect(await snapshot(route, ids)).toEqual(before);
    });
  });
}
