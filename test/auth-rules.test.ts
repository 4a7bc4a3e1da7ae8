import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate, bearerOrSessionCredential, principalOf } from '../src/http/auth.js';
import { credentialServer, refusalOf } from './auth-server.js';
import { type Member, startTestApp, type TestApp } from './harness.js';

/**
 * Who a credential makes the caller (http/auth.ts's `authenticate` hook and `principalOf`): the real hook on
 * a bare Fastify server over the test database with one member, small so that mutation testing can run it
 * once per mutant (docs/testing.md). auth-readers.test.ts pins how the credential is read.
 */
let t: TestApp;
let member: Member;
let other: Member;
let server: FastifyInstance;

beforeAll(async () => {
  t = await startTestApp();
  const org = await t.createOrg();
  member = await t.createMember(org);
  other = await t.createMember(org);
  server = await credentialServer((s) =>
    s.get('/me', { onRequest: authenticate(t.db, bearerOrSessionCredential) }, async (request) => ({
      user: principalOf(request).userId,
    })),
  );
});
afterAll(async () => {
  await server?.close();
  await t?.close();
});

describe('the authenticate hook', () => {
  it("makes each key's holder the caller of the request it came with", async () => {
    for (const holder of [member, other]) {
      const res = await server.inject({ url: '/me', headers: { authorization: `Bearer ${holder.key}` } });
      expect(res.json()).toEqual({ user: holder.id });
    }
  });

  it('refuses a key nobody holds, and a request without one', async () => {
    const unknown = await refusalOf(server, '/me', { authorization: `Bearer ${member.key}x` });
    expect(unknown).toMatchObject({ status: 401, error: 'invalid_access_token' });
    expect(await refusalOf(server, '/me')).toMatchObject({ status: 401, error: 'missing_access_token' });
  });
});
