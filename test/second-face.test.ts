import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nativeFace } from '../src/faces/native/index.js';
import { expectError } from './envelope-assert.js';
import { errorExpecter, nativeDescription, requestAs } from './face-description.js';
import { type Org, startTestApp } from './harness.js';
import { otherDescription, otherFace } from './other-face.js';
import { type Doc, loadRoutes } from './route-catalog.js';
import { describeSharedBadInput } from './shared-bad-input.js';
import { describeSharedSecurity } from './shared-security.js';

/**
 * A throwaway second face (test/other-face.ts), to prove that a new face gets every shared security case on
 * its first day: the shared security and bad-input cases run against it unchanged.
 */

const t = await startTestApp({ faces: [nativeFace, otherFace] });
const { doc, routes } = await loadRoutes(t, otherDescription.prefix);
afterAll(() => t.close());

describe('the second face', () => {
  it('lists only its own routes under its prefix, and the native face keeps its own', async () => {
    expect(routes.map((r) => r.label).sort()).toEqual([...otherDescription.coreRoutes].sort());
    const native = (await loadRoutes(t, nativeDescription.prefix)).routes;
    expect(native.length).toBeGreaterThan(50);
    expect(native.every((r) => r.path.startsWith('/v1/'))).toBe(true);
  });
});

describe('the shared security cases', () => describeSharedSecurity(otherDescription, t, routes));
describe('the shared bad-input cases', () => describeSharedBadInput(otherDescription, t, routes));

describe('the second face answers in its own shape', () => {
  let org: Org;
  const other = (key: string | null, options: Parameters<typeof requestAs>[3]) =>
    requestAs(t, otherDescription, key, options);
  /** An error in the second face's shape, never a field of the native one. */
  const expectOther = errorExpecter(otherDescription);

  beforeAll(async () => {
    org = await t.createOrg();
    await t.createMember(org);
    await t.createMember(org);
  });

  it('wraps a success in { ok, result } and pages by offset and limit', async () => {
    const all = await other(org.key, { method: 'GET', url: '/other/users?limit=100' });
    expect(all.statusCode).toBe(200);
    const body = all.json();
    expect(body).toMatchObject({ ok: true, result: { total: 3, offset: 0, limit: 100 } });
    expect(body).not.toHaveProperty('success');
    const ids = body.result.items.map((u: { id: number }) => u.id);
    const second = await other(org.key, { method: 'GET', url: '/other/users?offset=1&limit=1' });
    expect(second.json().result.items.map((u: { id: number }) => u.id)).toEqual([ids[1]]);
    const one = await other(org.key, { method: 'GET', url: `/other/users/${ids[0]}` });
    expect(one.json()).toEqual({ ok: true, result: body.result.items[0] });
  });

  it('creates through the domain: the native face sees the user it made', async () => {
    const payload = { email: 'made-by-other@example.com', firstName: 'Made', lastName: 'Elsewhere' };
    const created = await other(org.key, { method: 'POST', url: '/other/users', payload });
    expect(created.statusCode, created.body).toBe(201);
    const { id } = created.json().result;
    const native = await t.request(org.key, { method: 'GET', url: `/v1/users/${id}` });
    expect(native.json().data).toMatchObject({
      email: payload.email,
      first_name: 'Made',
      last_name: 'Elsewhere',
    });
    const again = await other(org.key, { method: 'POST', url: '/other/users', payload });
    expectOther(again, 409, 'duplicate_resource', 'the same email again');
  });

  it('answers an unknown route under its prefix in its own shape', async () => {
    for (const [method, url] of [
      ['GET', '/other'],
      ['GET', '/other/nothing-here'],
      ['GET', '/other/users/1/nothing'],
      ['DELETE', '/other/users/1'],
      ['GET', '/other/nothing-here?access_token=x'],
    ] as const) {
      expectOther(await other(null, { method, url }), 404, 'unknown_route', `${method} ${url}`);
    }
    // Outside every face, and under the native prefix, the native shape stays.
    expectError(await t.app.inject({ method: 'GET', url: '/nowhere' }), 404, 'unknown_route', '/nowhere');
    expectError(await t.app.inject({ method: 'GET', url: '/v1/nowhere' }), 404, 'unknown_route', '/v1/…');
  });

  it('answers every failure inside the face in its own shape, never the native one', async () => {
    const post = (payload: string, contentType = 'application/json') =>
      other(org.key, {
        method: 'POST',
        url: '/other/users',
        payload,
        headers: { 'content-type': contentType },
      });
    expectOther(await post('{"email": '), 400, 'malformed_json', 'truncated JSON');
    expectOther(await post(''), 400, 'malformed_json', 'empty body');
    expectOther(await post('<a/>', 'application/xml'), 415, 'unsupported_media_type', 'XML');
    expectOther(await post(`{"junk":"${'a'.repeat(1024 * 1024)}"}`), 413, 'payload_too_large', '1 MiB');
    expectOther(await post('{"email":"a@example.com"}'), 400, 'missing_required_parameters', 'no names');
    const unknownField = JSON.stringify({
      email: 'b@example.com',
      firstName: 'B',
      lastName: 'C',
      role: 'admin',
    });
    expectOther(await post(unknownField), 400, 'invalid_parameters', 'an unknown field');
    const badLimit = await other(org.key, { method: 'GET', url: '/other/users?limit=0' });
    expectOther(badLimit, 400, 'invalid_parameters', 'limit=0');
    const bearer = await t.app.inject({
      method: 'GET',
      url: '/other/users',
      headers: nativeDescription.authorize(org.key),
    });
    expectOther(bearer, 401, 'invalid_access_token', "the native face's Bearer header");
    expect(bearer.json().reason).toContain('Token');
  });

  it("leaves the native face's answers as they were", async () => {
    const token = await t.app.inject({
      method: 'GET',
      url: '/v1/me',
      headers: otherDescription.authorize(org.key),
    });
    expectError(token, 401, 'invalid_access_token', "the second face's Token header on /v1");
    const member = await t.createMember(org);
    const payload = { email: 'by-member@example.com', first_name: 'By', last_name: 'Member' };
    const refused = await t.request(member.key, { method: 'POST', url: '/v1/users', payload });
    expectError(refused, 403, 'insufficient_access', 'a member creating a user on /v1');
  });

  it('serves a public route without a credential, and never lets it read a caller', async () => {
    const up = await t.app.inject({ method: 'GET', url: '/other/status' });
    expect(up.json()).toEqual({ ok: true, result: { up: true } });
    const withKey = await other(org.key, { method: 'GET', url: '/other/status/caller' });
    expectOther(withKey, 500, 'internal_error', 'principalOf on a public route, even with a valid key');
  });

  it("documents its routes with the face's own credential", () => {
    const security = (path: string, method: string) =>
      (doc.paths[path]?.[method] as { security?: unknown } | undefined)?.security;
    expect(security('/other/users', 'get')).toEqual([{ otherToken: [] }]);
    expect(security('/other/users/{id}', 'get')).toEqual([{ otherToken: [] }]);
    expect(security('/other/status', 'get')).toEqual([]);
    expect(security('/v1/users', 'get')).toBeUndefined();
    const schemes = (doc as Doc & { components: { securitySchemes: Record<string, unknown> } }).components
      .securitySchemes;
    expect(Object.keys(schemes).sort()).toEqual(['apiKey', 'otherToken']);
  });
});
