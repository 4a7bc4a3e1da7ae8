import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../src/db/migrate.js';
import { createOrganization } from '../src/domain/orgs/service.js';
import { authenticate, bearerOrSessionCredential, principalOf } from '../src/http/auth.js';
import { credentialServer, refusalOf } from './auth-server.js';
import { freshDatabase } from './harness.js';

/**
 * Who a credential makes the caller (http/auth.ts's `authenticate` hook and `principalOf`): the real hook on
 * a bare Fastify server over a migrated test database with two organisations' admins and no app, small so
 * that mutation testing can run it once per mutant (docs/testing.md). auth-readers.test.ts pins how the
 * credential is read.
 */
type Holder = { id: number; key: string };
let database: Awaited<ReturnType<typeof freshDatabase>>;
let member: Holder;
let other: Holder;
let server: FastifyInstance;

async function admin(name: string): Promise<Holder> {
  const org = await createOrganization(database.db, { name, adminEmail: `admin@${name}.example.com` });
  return { id: org.adminId, key: org.key };
}

beforeAll(async () => {
  database = await freshDatabase();
  await migrate(database.db);
  member = await admin('first');
  other = await admin('second');
  server = await credentialServer((s) =>
    s.get('/me', { onRequest: authenticate(database.db, bearerOrSessionCredential) }, async (request) => ({
      user: principalOf(request).userId,
    })),
  );
});
afterAll(async () => {
  await server?.close();
  await database?.close();
  await database?.drop();
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
