import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { momentOf } from '../src/db/connect.js';
import { startTestApp, type TestApp } from './harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** What the database itself writes for a moment in the API's form: ISO 8601, UTC, milliseconds. */
const iso = (column: string) =>
  sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

describe('moments from the database', () => {
  it('come back as ISO 8601 in UTC to the millisecond, microseconds truncated as a Date would', async () => {
    const { rows } = await sql<{ at: string; expected: string }>`
      select v as at, ${iso('v')} as expected
      from unnest(array[
        '2026-12-02 15:13:19.123456+00', '2026-12-02 15:13:19+00', '2026-12-02 15:13:19.1+00',
        '2026-12-02 15:13:19.999999+00', '1999-01-01 00:00:00.000001+00', '2026-03-29 01:30:00.5+02'
      ]::timestamptz[]) v`.execute(t.db);
    expect(rows.map((r) => r.at)).toEqual(rows.map((r) => r.expected));
    expect(rows[0]?.at).toBe('2026-12-02T15:13:19.123Z');
    expect(rows[5]?.at).toBe('2026-03-28T23:30:00.500Z');
  });

  it('are the same moment whatever time zone the session runs in', async () => {
    const at = await t.db.transaction().execute(async (trx) => {
      await sql`set local time zone 'Asia/Kolkata'`.execute(trx);
      const { rows } = await sql<{
        at: string;
      }>`select '2026-12-02 15:13:19.5+00'::timestamptz as at`.execute(trx);
      return rows[0]?.at;
    });
    expect(at).toBe('2026-12-02T15:13:19.500Z');
  });

  it('read any form PostgreSQL writes, keeping what is not a moment as it is', () => {
    expect(momentOf('2026-12-02 20:43:19.25+05:30')).toBe('2026-12-02T15:13:19.250Z');
    expect(momentOf('2026-12-02 15:13:19-03')).toBe('2026-12-02T18:13:19.000Z');
    expect(momentOf('infinity')).toBe('infinity');
  });

  it('are what the API answers, as written', async () => {
    const org = await t.createOrg();
    const res = await t.request(org.key, { method: 'GET', url: '/v1/users?size=1' });
    const [user] = res.json().data;
    const { rows } = await sql<{ expected: string }>`select ${iso('created_at')} as expected from users
      where org_id = ${org.orgId} and id = ${user.id}`.execute(t.db);
    expect(user.created_at).toBe(rows[0]?.expected);
  });
});
