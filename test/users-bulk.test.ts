import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Org, startTestApp, type TestApp } from './harness.js';

let t: TestApp;
let org: Org;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());
// A fresh organisation per test, so that counts and emails never leak between tests.
beforeEach(async () => {
  org = await t.createOrg();
});

const bulk = (payload: unknown, headers: Record<string, string> = {}, key = org.key) =>
  t.request(key, { method: 'POST', url: '/v1/users/bulk', payload: payload as string, headers });
const csv = (text: string, query = '', headers: Record<string, string> = {}) =>
  t.request(org.key, {
    method: 'POST',
    url: `/v1/users/bulk${query}`,
    payload: text,
    headers: { 'content-type': 'text/csv', ...headers },
  });
const user = async (ref: string | number) =>
  (await t.request(org.key, { method: 'GET', url: `/v1/users/${ref}` })).json().data;
const userCount = async () =>
  (await t.request(org.key, { method: 'GET', url: '/v1/users?size=1' })).json().total_count as number;
const auditCount = async () =>
  (await t.request(org.key, { method: 'GET', url: '/v1/audit-events?size=1' })).json().total_count as number;
const person = (n: number, extra: Record<string, unknown> = {}) => ({
  email: `p${n}@example.com`,
  first_name: `P${n}`,
  last_name: 'Person',
  ...extra,
});

describe('POST /v1/users/bulk (JSON)', () => {
  it('creates new users and updates existing ones matched by employee id or email', async () => {
    const byId = await t.request(org.key, {
      method: 'POST',
      url: '/v1/users',
      payload: person(1, { employee_id: 'E1' }),
    });
    await t.request(org.key, { method: 'POST', url: '/v1/users', payload: person(2) });
    const res = await bulk({
      users: [
        // Matched by employee id even though the email changes.
        person(1, { employee_id: 'E1', email: 'renamed@example.com', title: 'Lead' }),
        person(2, { email: 'P2@EXAMPLE.com', title: 'Engineer' }),
        person(3, { status: 'deactivated' }),
      ],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toEqual({ created: 1, updated: 2, unchanged: 0, failed: 0, errors: [] });
    expect(await user(byId.json().data.id)).toMatchObject({ email: 'renamed@example.com', title: 'Lead' });
    expect(await user('p2@example.com')).toMatchObject({ title: 'Engineer' });
    const created = await user('p3@example.com');
    expect(created.status).toBe('deactivated');
    const audit = await t.request(org.key, {
      method: 'GET',
      url: `/v1/audit-events?object_id=${created.id}`,
    });
    expect(
      audit
        .json()
        .data.map((e: { action: string }) => e.action)
        .sort(),
    ).toEqual(['user.created', 'user.deactivated']);

    const again = await bulk({ users: [person(3, { status: 'deactivated' })] });
    expect(again.json().data).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
  });

  it('sets a manager named by email who is created later in the same upload', async () => {
    const users = [
      person(11, { manager_email: 'boss@example.com', dotted_line_manager_emails: ['p12@example.com'] }),
      person(12, { manager_email: 'BOSS@example.com' }),
      { email: 'boss@example.com', first_name: 'Big', last_name: 'Boss' },
    ];
    const res = await bulk({ users });
    expect(res.json().data).toMatchObject({ created: 3, failed: 0 });
    const boss = await user('boss@example.com');
    const p12 = await user('p12@example.com');
    expect(await user('p11@example.com')).toMatchObject({
      manager_id: boss.id,
      dotted_line_manager_ids: [p12.id],
    });
    expect(p12.manager_id).toBe(boss.id);
    // The same rows again change nothing: the stored dotted-line ids compare equal to the resolved ones.
    const again = await bulk({ users });
    expect(again.json().data).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
  });

  it('refuses a reporting line that loops inside the upload', async () => {
    const res = await bulk({
      mode: 'partial',
      users: [
        person(21, { manager_email: 'p22@example.com' }),
        person(22, { manager_email: 'p21@example.com' }),
        person(23),
      ],
    });
    expect(res.json().data).toMatchObject({ created: 1, failed: 2 });
    expect(res.json().data.errors.map((e: { row: number }) => e.row)).toEqual([1, 2]);
  });

  it('writes nothing when one row is bad in all_or_nothing mode, and lists the bad rows', async () => {
    const before = await userCount();
    const res = await bulk({
      users: [
        person(31),
        { email: 'not-an-email', first_name: 'X', last_name: 'Y' },
        person(33),
        { email: 'a@b.co' },
      ],
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      success: false,
      error: 'bulk_rejected',
      details: [
        { row: 2, field: 'email', error: 'invalid_parameters' },
        { row: 4, field: 'first_name', error: 'missing_required_parameters' },
      ],
    });
    expect(await userCount()).toBe(before);

    // The bad row comes last, after the good ones were already inserted in the transaction.
    const late = await bulk({ users: [person(34), person(35), person(36, { department_id: 999_999 })] });
    expect(late.statusCode).toBe(422);
    expect(late.json().details).toMatchObject([{ row: 3, error: 'invalid_operation' }]);
    expect(await userCount()).toBe(before);
  });

  it('applies the good rows in partial mode and reports a duplicate email as a row error', async () => {
    const before = await userCount();
    const res = await bulk({
      mode: 'partial',
      users: [person(41), person(42, { manager_email: 'nobody@example.com' }), person(41, { title: 'Twin' })],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({
      created: 1,
      failed: 2,
      errors: [
        { row: 2, field: 'manager_email', error: 'invalid_operation' },
        {
          row: 3,
          field: 'email',
          error: 'duplicate_resource',
          message: 'Row 1 of this upload has the same email.',
        },
      ],
    });
    expect(await userCount()).toBe(before + 1);
    expect((await user('p41@example.com')).title).toBeNull();
  });

  it('rolls back the whole of a failing row in partial mode, even the part already written', async () => {
    const me = await user(org.adminId);
    const res = await bulk({
      mode: 'partial',
      // The title is written first, then deactivating oneself is refused: the title must not stay.
      users: [{ ...me, title: 'Gone fishing', status: 'deactivated' }, person(71)].map(
        ({ email, first_name, last_name, title, status }) => ({
          email,
          first_name,
          last_name,
          title,
          status,
        }),
      ),
    });
    expect(res.json().data).toMatchObject({
      created: 1,
      failed: 1,
      errors: [{ row: 1, error: 'invalid_operation', message: 'You cannot deactivate yourself.' }],
    });
    expect(await user(org.adminId)).toMatchObject({ title: null, status: 'active' });
  });

  it('applies the per-row rules of the single-user routes: only super admins grant roles', async () => {
    const admin = await t.createMember(org, { role: 'admin' });
    const res = await bulk(
      { mode: 'partial', users: [person(51, { role: 'admin' }), person(52)] },
      {},
      admin.key,
    );
    expect(res.json().data).toMatchObject({
      created: 1,
      errors: [{ row: 1, error: 'insufficient_access' }],
    });
    const member = await t.createMember(org);
    expect((await bulk({ users: [person(53)] }, {}, member.key)).statusCode).toBe(403);
  });

  it('answers 10,001 rows with a 400 and writes nothing', async () => {
    const before = await userCount();
    const users = Array.from({ length: 10_001 }, (_v, i) => person(100_000 + i));
    const res = await bulk({ users });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe('invalid_parameters');
    expect(await userCount()).toBe(before);
  });

  it('replays the same answer for a repeated Idempotency-Key without writing twice', async () => {
    const payload = { users: [person(61), person(62)] };
    const headers = { 'idempotency-key': 'bulk-61' };
    const first = await bulk(payload, headers);
    const audits = await auditCount();
    const second = await bulk(payload, headers);
    expect(second.statusCode).toBe(200);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json()).toEqual(first.json());
    expect(second.json().data.created).toBe(2);
    expect(await auditCount()).toBe(audits);
  });
});

describe('POST /v1/users/bulk (CSV)', () => {
  it('reads quoted commas, lists and custom columns', async () => {
    const text = [
      'email,first_name,last_name,title,custom.level,dotted_line_manager_emails,data_admin',
      'c1@example.com,Cee,One,"Director, Sales",3,,',
      'c2@example.com,Cee,Two,"Says ""hi""",,c1@example.com;c3@example.com,false',
      'c3@example.com,Cee,Three,,,,',
    ].join('\n');
    const res = await csv(text);
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({ created: 3, failed: 0 });
    const c1 = await user('c1@example.com');
    const c3 = await user('c3@example.com');
    expect(c1).toMatchObject({ title: 'Director, Sales', custom_fields: { level: '3' } });
    expect(await user('c2@example.com')).toMatchObject({
      title: 'Says "hi"',
      dotted_line_manager_ids: [c1.id, c3.id].sort((a, b) => a - b),
      data_admin: false,
    });
  });

  it('reports a bad record by its line number in partial mode and applies the others', async () => {
    const text = [
      'email,first_name,last_name,manager_id',
      'd1@example.com,Dee,One,',
      '',
      'd2@example.com,Dee,"Two',
      'lines",not-a-number',
      'd3@example.com,Dee,Three,',
    ].join('\n');
    const res = await csv(text, '?mode=partial');
    expect(res.json().data).toMatchObject({
      created: 2,
      failed: 1,
      errors: [{ row: 4, field: 'manager_id', error: 'invalid_parameters' }],
    });
    expect(await user('d3@example.com')).toMatchObject({ last_name: 'Three' });
  });

  it('accepts 10,000 rows and creates every one of them', async () => {
    const before = await userCount();
    const lines = Array.from({ length: 10_000 }, (_v, i) => `bulk${i}@example.com,B${i},Bulk,E${i}`);
    const res = await csv(['email,first_name,last_name,employee_id', ...lines].join('\n'));
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.json().data).toEqual({ created: 10_000, updated: 0, unchanged: 0, failed: 0, errors: [] });
    expect(await userCount()).toBe(before + 10_000);
    expect(await user('bulk9999@example.com')).toMatchObject({ first_name: 'B9999', employee_id: 'E9999' });
  }, 120_000);

  it('answers 10,001 rows with a 400 and writes nothing', async () => {
    const before = await userCount();
    const lines = Array.from({ length: 10_001 }, (_v, i) => `over${i}@example.com,O${i},Over`);
    const res = await csv(['email,first_name,last_name', ...lines].join('\n'));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      error: 'invalid_parameters',
      error_description: 'The CSV has 10001 users; send at most 10000.',
    });
    expect(await userCount()).toBe(before);
  });

  it('answers a CSV it cannot read, or an unknown column, with 400 invalid_parameters', async () => {
    const unclosed = await csv('email,first_name,last_name\n"e1@example.com,E,One\n');
    expect(unclosed.statusCode).toBe(400);
    expect(unclosed.json().error).toBe('invalid_parameters');
    const unknown = await csv('email,first_name,last_name,shoe_size\ne1@example.com,E,One,9\n');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error_description).toContain('shoe_size');
  });
});
