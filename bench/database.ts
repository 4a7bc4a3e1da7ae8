import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { connect } from '../src/db/connect.js';
import { migrate } from '../src/db/migrate.js';
import type { DB } from '../src/db/schema.js';
import { operatorPrincipal } from '../src/domain/access/principal.js';
import { createApiKey } from '../src/domain/keys/service.js';
import { acceptPrivacyNotice, createOrganization } from '../src/domain/orgs/service.js';

export interface BenchDatabase {
  url: string;
  orgId: number;
  adminId: number;
  /** The super admin's live key. */
  key: string;
  drop(): Promise<void>;
}

async function adminQuery(serverUrl: string, text: string) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** A fresh database on the server, migrated, with one organisation of `users` people and its admin's key. */
export async function createBenchDatabase(serverUrl: string, users: number): Promise<BenchDatabase> {
  const name = `trellis_bench_${randomBytes(6).toString('hex')}`;
  await adminQuery(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const drop = () => adminQuery(serverUrl, `drop database if exists ${name} with (force)`);
  try {
    const database = await connect({ databaseUrl: url.toString(), poolSize: 2 });
    try {
      await migrate(database.db);
      const org = await createOrganization(database.db, {
        name: 'Bench Corp',
        adminEmail: 'admin@bench.test',
      });
      await insertPeople(database.db, org.orgId, org.adminId, users);
      // As autovacuum would have by now; without statistics every foreign key into users scans them all.
      await sql`analyze`.execute(database.db);
      return { url: url.toString(), orgId: org.orgId, adminId: org.adminId, key: org.key, drop };
    } finally {
      await database.close();
    }
  } catch (error) {
    await drop();
    throw error;
  }
}

/**
 * A directory that looks like an HR import: every field filled for most people, a reporting line to the
 * admin or a manager, custom fields, and a dotted-line manager for one in ten (so the subquery has rows).
 * A bulk insert rather than the service: the bench measures reads, and 1,000 audited creates take minutes.
 */
async function insertPeople(db: Kysely<DB>, orgId: number, adminId: number, count: number) {
  const managers = await insertBatch(db, orgId, 0, Math.min(50, count), () => adminId);
  const rest = count - managers.length;
  const people = await insertBatch(db, orgId, managers.length, rest, (i) => managers[i % 50] ?? adminId);
  const dotted = people
    .filter((_, i) => i % 10 === 0)
    .map((userId, i) => ({
      org_id: orgId,
      mode: 'live' as const,
      user_id: userId,
      manager_id: managers[(i + 7) % 50] ?? adminId,
    }));
  if (dotted.length > 0) await db.insertInto('user_dotted_managers').values(dotted).execute();
}

async function insertBatch(
  db: Kysely<DB>,
  orgId: number,
  offset: number,
  count: number,
  managerOf: (i: number) => number,
): Promise<number[]> {
  const ids: number[] = [];
  for (let start = 0; start < count; start += 500) {
    const rows = Array.from({ length: Math.min(500, count - start) }, (_, j) => {
      const n = offset + start + j;
      return {
        org_id: orgId,
        mode: 'live' as const,
        employee_id: `E${String(n).padStart(6, '0')}`,
        email: `person${n}@bench.test`,
        first_name: `First${n}`,
        last_name: `Last${n}`,
        preferred_name: n % 3 === 0 ? `Pref${n}` : null,
        title: n < 50 ? 'Engineering Manager' : 'Software Engineer',
        manager_id: managerOf(start + j),
        location: ['Paris', 'Berlin', 'New York', 'Remote'][n % 4] ?? null,
        phone: `+33 1 23 45 ${String(n % 100).padStart(2, '0')} 00`,
        hire_date: `20${String(10 + (n % 15)).padStart(2, '0')}-0${1 + (n % 9)}-1${n % 10}`,
        custom_fields: JSON.stringify({
          cost_center: `CC-${n % 20}`,
          level: 1 + (n % 7),
          remote: n % 4 === 3,
        }),
      };
    });
    const inserted = await db.insertInto('users').values(rows).returning('id').execute();
    ids.push(...inserted.map((r) => r.id));
  }
  return ids;
}

/** A live key for someone of the bench organisation, who has accepted the privacy notice. */
export async function keyFor(database: BenchDatabase, email: string): Promise<string> {
  const { db, close } = await connect({ databaseUrl: database.url, poolSize: 1 });
  try {
    await acceptPrivacyNotice(db, database.orgId, email);
    const actor = operatorPrincipal(database.orgId, database.adminId);
    return (await createApiKey(db, actor, { user: email, name: `bench ${email}` })).plaintext;
  } finally {
    await close();
  }
}
