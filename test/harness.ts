import { randomBytes } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import pg from 'pg';
import { type AppDeps, buildApp } from '../src/app.js';
import { connect, type Database } from '../src/db/connect.js';
import { migrate } from '../src/db/migrate.js';
import type { Mode, Role } from '../src/db/schema.js';
import { operatorPrincipal } from '../src/domain/access/principal.js';
import { listeningPrincipalCache } from '../src/domain/access/principal-cache.js';
import { createApiKey } from '../src/domain/keys/service.js';
import type { Mail, Mailer } from '../src/domain/mail.js';
import { acceptPrivacyNotice, createOrganization } from '../src/domain/orgs/service.js';
import { createUser } from '../src/domain/users/service.js';
import type { NewUser } from '../src/domain/users/types.js';
import type { Face } from '../src/faces/face.js';
import { cursorSecretStore } from '../src/http/cursor-secrets.js';
import type { App } from '../src/http/instance.js';

/** Set TEST_DATABASE_URL to run the suite on a PostgreSQL server; otherwise PGlite in memory. */
const serverUrl = process.env.TEST_DATABASE_URL;

/** A fresh database on the engine the suite runs on (not migrated), and how to drop it. */
export async function freshDatabase(): Promise<Database & { drop(): Promise<void> }> {
  if (!serverUrl) {
    const database = await connect({});
    return { ...database, drop: async () => {} };
  }
  const name = `trellis_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await connect({ databaseUrl: url.toString(), poolSize: 4 });
  const drop = async () => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    await client.query(`drop database if exists ${name} with (force)`);
    await client.end();
  };
  return { ...database, drop };
}

export interface Org {
  orgId: number;
  slug: string;
  adminId: number;
  /** The super admin's live key. */
  key: string;
}

export interface Member {
  id: number;
  email: string;
  key: string;
}

let counter = 0;
const unique = (prefix: string) => `${prefix}${++counter}${randomBytes(3).toString('hex')}`;

export interface TestAppOptions {
  /** The faces the app serves (buildApp's default, the native face alone, when absent); a test adds its own. */
  faces?: Face[];
  /** The app's logger, as serve passes it (off when absent): e.g. `{ level: 'trace', stream }` to read the log. */
  logger?: AppDeps['logger'];
  /** Rate limits as serve passes them from the environment; off when absent, so other suites never meet them. */
  rateLimit?: AppDeps['rateLimit'];
  /** The clock the app's cursor secrets and time-bound rules are checked against (Date.now when absent): tests move it. */
  clock?: () => number;
  /** How the app mails invitation and reset links (the log transport when absent), and the links' base. */
  mailer?: AppDeps['mailer'];
  publicUrl?: string;
  /** Webhook destinations allowed though refused by default (TRELLIS_WEBHOOK_ALLOW), as parseAllowList makes them. */
  webhookAllow?: AppDeps['webhookAllow'];
}

/** A fresh database, migrated, with the app built on it and fixtures that go through the real services. */
export async function startTestApp(options: TestAppOptions = {}) {
  const database = await freshDatabase();
  await migrate(database.db);
  // Without a mailer of the test's own, mail is kept here: the links the signIn fixture follows.
  const sentMail: Mail[] = [];
  const memoryMailer: Mailer = { send: async (mail) => void sentMail.push(mail) };
  // As `trellis serve` runs: principals cached, forgotten on the database's notices.
  const principals = await listeningPrincipalCache(database);
  const app: App = await buildApp({
    db: database.db,
    principals,
    faces: options.faces,
    logger: options.logger,
    rateLimit: options.rateLimit,
    cursorSecrets: cursorSecretStore(database.db, { now: options.clock }),
    clock: options.clock,
    mailer: options.mailer ?? memoryMailer,
    publicUrl: options.publicUrl,
    webhookAllow: options.webhookAllow,
  });
  await app.ready();
  const { db } = database;

  const createOrg = async (name = unique('Org ')): Promise<Org> => {
    const org = await createOrganization(db, { name, adminEmail: `${unique('admin')}@example.com` });
    return { orgId: org.orgId, slug: org.slug, adminId: org.adminId, key: org.key };
  };

  /** A user with a key of their own, who has accepted the privacy notice unless told otherwise. */
  const createMember = async (
    org: Org,
    options: { role?: Role; mode?: Mode; acceptNotice?: boolean; fields?: Partial<NewUser> } = {},
  ): Promise<Member> => {
    const operator = operatorPrincipal(org.orgId, org.adminId);
    const email = `${unique('user')}@example.com`;
    const user = await createUser(db, operator, {
      email,
      first_name: 'Test',
      last_name: 'User',
      role: options.role ?? 'member',
      ...options.fields,
    });
    if (options.mode === 'test') {
      await createUser(
        db,
        { ...operator, mode: 'test' },
        { email, first_name: 'Test', last_name: 'User', role: options.role ?? 'member' },
      ).catch(() => undefined);
    }
    if (options.acceptNotice !== false) await acceptPrivacyNotice(db, org.orgId, user.id);
    const { plaintext } = await createApiKey(db, operator, {
      user: user.id,
      name: unique('key '),
      mode: options.mode ?? 'live',
    });
    return { id: user.id, email: user.email, key: plaintext };
  };

  /** app.inject with the key as a bearer token and JSON by default. */
  const request = (key: string | null, options: InjectOptions) =>
    app.inject({
      ...options,
      headers: { ...(key && { authorization: `Bearer ${key}` }), ...options.headers },
    });

  /**
   * A session for a person, the way they get one: the inviter's key invites them, they follow the mailed link
   * to choose a password, and sign in. Returns the Cookie header to send and the session's CSRF token.
   */
  const signIn = async (inviterKey: string, person: { id: number; email: string }) => {
    const password = `fixture passphrase ${unique('')}`;
    const invite = await request(inviterKey, { method: 'POST', url: `/v1/users/${person.id}/invitation` });
    if (invite.statusCode !== 202) throw new Error(`invitation: ${invite.statusCode} ${invite.body}`);
    const mail = sentMail.filter((m) => m.to === person.email && m.kind === 'invitation').at(-1);
    const link = mail && /\/auth\/invitations\/\S+/.exec(mail.text)?.[0];
    if (!link) throw new Error(`no invitation was mailed to ${person.email}`);
    const set = await app.inject({ method: 'POST', url: link, payload: { password } });
    if (set.statusCode !== 200) throw new Error(`set password: ${set.statusCode} ${set.body}`);
    const res = await app.inject({
      method: 'POST',
      url: '/auth/sign-in',
      payload: { email: person.email, password },
    });
    const cookie = res.cookies.find((c) => c.name.endsWith('trellis_session'));
    if (res.statusCode !== 200 || !cookie) throw new Error(`sign-in: ${res.statusCode} ${res.body}`);
    const data = res.json().data as { session_id: number; csrf_token: string };
    return { cookie: `${cookie.name}=${cookie.value}`, csrf: data.csrf_token, sessionId: data.session_id };
  };

  const close = async () => {
    await app.close();
    await database.close();
    await database.drop();
  };

  /**
   * Makes a change behind the app's back (as another server, the CLI or an operator would) and waits until
   * the app has heard the database's notice of it: what another server would see a moment later.
   */
  const heard = async <T>(change: () => Promise<T>): Promise<T> => {
    const before = principals.generation;
    const result = await change();
    const deadline = Date.now() + 5000;
    while (principals.generation === before) {
      if (Date.now() > deadline) throw new Error('The app heard no notice of the change in 5 s');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return result;
  };

  /** The mail the app sent, when the test gave it no mailer of its own. */
  const mail = sentMail as readonly Mail[];
  return { app, db, engine: database.engine, createOrg, createMember, request, signIn, mail, heard, close };
}

export type TestApp = Awaited<ReturnType<typeof startTestApp>>;
