import { describe, expect, it } from 'vitest';
import { cycleBody, openCycle, PERFORMANCE } from './calibration-fixtures.js';
import {
  admin,
  auditCount,
  hr,
  hrElsewhere,
  manager,
  ok,
  org,
  outsider,
  report,
  report2,
  skip,
  t,
  useConversationWorld,
} from './conversation-fixtures.js';
import { expectError } from './envelope-assert.js';

/**
 * The bulk update of talent records (docs/calibration.md): each row under the PATCH's own rules, history and
 * audit rows; all_or_nothing by default, as the other bulk routes (docs/bulk-upload.md). The world: skip →
 * manager → report, report2 in the department hr covers.
 */
useConversationWorld();

const [LOW, MID, HIGH] = PERFORMANCE as [string, string, string];

/** An open cycle of the department; report and report2 in a session skip facilitates. */
async function cycle(overrides: object = {}) {
  const opened = await openCycle(overrides);
  const base = `/v1/calibration/cycles/${opened.c.id}`;
  await ok(
    org.key,
    'POST',
    `${base}/sessions`,
    { name: 'Reports', participant_ids: [report.id, report2.id], facilitator_ids: [skip.id] },
    201,
  );
  return { ...opened, base, bulk: `${base}/talent-records/bulk` };
}

const json = (key: string, url: string, payload: object, headers: Record<string, string> = {}) =>
  t.request(key, { method: 'POST', url, payload, headers });
const csv = (key: string, url: string, text: string) =>
  t.request(key, { method: 'POST', url, payload: text, headers: { 'content-type': 'text/csv' } });
const record = async (url: string) => ok(org.key, 'GET', url);

describe('bulk update of talent records', () => {
  it('takes proposals in JSON by user_id or email, with history and one audit row per record', async () => {
    const { bulk, url } = await cycle();
    const before = await auditCount();
    const rows = [
      { user_id: report.id, proposed_performance: MID, proposed_potential: 'High' },
      { email: report2.email.toUpperCase(), proposed_performance: LOW },
    ];
    const res = await json(manager.key, bulk, { records: rows });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data).toEqual({ updated: 2, unchanged: 0, failed: 0, errors: [] });
    expect(await record(url(report.id))).toMatchObject({
      proposed_performance: MID,
      proposed_potential: 'High',
    });
    expect((await record(url(report2.id))).proposed_performance).toBe(LOW);
    expect(await auditCount()).toBe(before + 2);
    const history = await ok(skip.key, 'GET', `${url(report.id)}/history`);
    expect(history).toEqual([
      expect.objectContaining({ field: 'proposed_performance', to_value: MID, changed_by: manager.id }),
      expect.objectContaining({ field: 'proposed_potential', to_value: 'High', changed_by: manager.id }),
    ]);
    // The same rows again change nothing and write nothing.
    expect((await json(manager.key, bulk, { records: rows })).json().data).toMatchObject({
      updated: 0,
      unchanged: 2,
    });
    expect(await auditCount()).toBe(before + 2);
  });

  it('takes calibration in CSV from a facilitator; rows are the lines of the file', async () => {
    const { bulk, url } = await cycle();
    const text = [
      'user_id,calibrated_performance,calibrated_potential,notes',
      `${report.id},${HIGH},Medium,"Led the migration, twice"`,
      `${report2.id},${MID},,`,
    ].join('\n');
    const res = await csv(skip.key, bulk, text);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data).toMatchObject({ updated: 2, failed: 0 });
    expect(await ok(skip.key, 'GET', url(report.id))).toMatchObject({
      calibrated_performance: HIGH,
      calibrated_potential: 'Medium',
      notes: 'Led the migration, twice',
      box: 'High Performer',
    });
    expect((await ok(skip.key, 'GET', url(report2.id))).calibrated_potential).toBeNull();
  });

  it('rejects the whole upload for one bad row, naming it, and writes nothing', async () => {
    const { bulk, url } = await cycle();
    const before = await auditCount();
    const res = await json(skip.key, bulk, {
      records: [
        { user_id: report.id, calibrated_performance: HIGH },
        { user_id: report2.id, calibrated_performance: '70 - Outstanding' },
        { user_id: report.id, notes: 'twice' },
        { user_id: report2.id, email: report2.email },
        { notes: 'nobody' },
        { user_id: report2.id, shoe_size: 9 },
        { user_id: report2.id, notes: 'x'.repeat(5001) },
      ],
    });
    expectError(res, 422, 'bulk_rejected');
    expect(res.json().details).toEqual([
      expect.objectContaining({ row: 2, error: 'invalid_operation' }),
      expect.objectContaining({ row: 3, field: 'user_id', error: 'invalid_operation' }),
      expect.objectContaining({ row: 4, error: 'invalid_parameters' }),
      expect.objectContaining({ row: 5, error: 'invalid_parameters' }),
      expect.objectContaining({ row: 6, field: 'shoe_size', error: 'invalid_parameters' }),
      expect.objectContaining({ row: 7, field: 'notes', error: 'invalid_parameters' }),
    ]);
    expect((await record(url(report.id))).calibrated_performance).toBeNull();
    expect(await auditCount()).toBe(before);
    // In CSV, the row is the line the record starts on.
    const text = ['user_id,calibrated_performance', `${report.id},${HIGH}`, `${report2.id},Sky high`].join(
      '\n',
    );
    const fromCsv = await csv(skip.key, bulk, text);
    expectError(fromCsv, 422, 'bulk_rejected');
    expect(fromCsv.json().details).toEqual([expect.objectContaining({ row: 3, error: 'invalid_operation' })]);
    expect((await record(url(report.id))).calibrated_performance).toBeNull();
    expect(await auditCount()).toBe(before);
  });

  it('applies the good rows and lists the others in partial mode', async () => {
    const { bulk, url } = await cycle();
    const before = await auditCount();
    const res = await json(skip.key, bulk, {
      mode: 'partial',
      records: [
        { user_id: report.id, calibrated_performance: HIGH },
        { user_id: report2.id, calibrated_performance: 'Sky high' },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data).toMatchObject({
      updated: 1,
      failed: 1,
      errors: [{ row: 2, error: 'invalid_operation' }],
    });
    expect((await record(url(report.id))).calibrated_performance).toBe(HIGH);
    expect((await record(url(report2.id))).calibrated_performance).toBeNull();
    expect(await auditCount()).toBe(before + 1);
    const text = ['user_id,notes', `${report.id},Kept`, `${outsider.id},Nobody`].join('\n');
    const fromCsv = await t.request(skip.key, {
      method: 'POST',
      url: `${bulk}?mode=partial`,
      payload: text,
      headers: { 'content-type': 'text/csv' },
    });
    expect(fromCsv.json().data).toMatchObject({
      updated: 1,
      failed: 1,
      errors: [{ row: 3, field: 'user_id', error: 'invalid_resource_id' }],
    });
    expect((await record(url(report.id))).notes).toBe('Kept');
  });

  it('holds each row to the rights of the PATCH: who may write which field, whose record', async () => {
    const { bulk, url } = await cycle();
    const everyone = await cycle({ name: 'Everyone', audience: 'everyone', department_ids: undefined });
    const before = await auditCount();
    const refused: [string, string, object[], string][] = [
      // The manager proposes but does not calibrate.
      [manager.key, bulk, [{ user_id: report.id, calibrated_performance: HIGH }], 'insufficient_access'],
      [manager.key, bulk, [{ user_id: report.id, notes: 'x' }], 'insufficient_access'],
      // A facilitator calibrates their session's people only (skip manages manager: sees, not calibrates).
      [skip.key, bulk, [{ user_id: manager.id, notes: 'Not mine' }], 'insufficient_access'],
      [skip.key, bulk, [{ user_id: report.id, proposed_performance: HIGH }], 'insufficient_access'],
      // An hr_admin calibrates the people of their scope only.
      [hr.key, everyone.bulk, [{ user_id: outsider.id, notes: 'Out of scope' }], 'invalid_resource_id'],
      // The manager proposes for their reports, not for themselves.
      [manager.key, bulk, [{ user_id: manager.id, proposed_performance: HIGH }], 'invalid_resource_id'],
    ];
    for (const [key, to, records, code] of refused) {
      const res = await json(key, to, { records });
      expectError(res, 422, 'bulk_rejected', JSON.stringify(records));
      expect(res.json().details, JSON.stringify(records)).toEqual([
        expect.objectContaining({ row: 1, error: code }),
      ]);
    }
    // Those with no part in the cycle do not see it.
    for (const who of [outsider, admin, hrElsewhere, report])
      expectError(
        await json(who.key, bulk, { records: [{ user_id: report2.id, notes: 'x' }] }),
        404,
        'invalid_resource_id',
      );
    expect(await auditCount()).toBe(before);
    expect((await record(url(report.id))).notes).toBeNull();
    // hr calibrates in scope.
    expect(
      (await json(hr.key, everyone.bulk, { records: [{ user_id: report.id, notes: 'In scope' }] }))
        .statusCode,
    ).toBe(200);
  });

  it('refuses a cycle that is not open, whole, and writes nothing', async () => {
    const { c, bulk, url } = await cycle();
    const rows = { records: [{ user_id: report.id, calibrated_performance: HIGH }] };
    await ok(org.key, 'PATCH', `/v1/calibration/cycles/${c.id}`, { state: 'locked' });
    const before = await auditCount();
    expectError(await json(org.key, bulk, rows), 422, 'calibration_cycle_locked');
    await ok(org.key, 'PATCH', `/v1/calibration/cycles/${c.id}`, { state: 'closed' });
    expectError(await json(org.key, bulk, rows), 422, 'calibration_cycle_locked');
    expect(await auditCount()).toBe(before + 1);
    expect((await record(url(report.id))).calibrated_performance).toBeNull();
    const draft = await ok(org.key, 'POST', '/v1/calibration/cycles', cycleBody({ name: 'Draft' }), 201);
    const toDraft = `/v1/calibration/cycles/${draft.id}/talent-records/bulk`;
    expectError(await json(org.key, toDraft, rows), 422, 'calibration_cycle_locked');
    expect(await auditCount()).toBe(before + 2);
  });

  it('refuses an upload over 10,000 rows, in JSON or CSV, and malformed input, with a 400', async () => {
    const { bulk } = await cycle();
    const before = await auditCount();
    const many = Array.from({ length: 10_001 }, () => ({ user_id: report.id, notes: 'x' }));
    expectError(await json(org.key, bulk, { records: many }), 400, 'invalid_parameters');
    const lines = Array.from({ length: 10_001 }, () => `${report.id},x`);
    const big = await csv(org.key, bulk, ['user_id,notes', ...lines].join('\n'));
    expectError(big, 400, 'invalid_parameters');
    expect(big.json().error_description).toBe('The CSV has 10001 talent records; send at most 10000.');
    expectError(await csv(org.key, bulk, 'user_id,shoe_size\n1,9'), 400, 'invalid_parameters');
    expectError(await json(org.key, bulk, { records: [] }), 400, 'invalid_parameters');
    expectError(
      await json(org.key, bulk, { records: [{ user_id: report.id, notes: 'a\u0000b' }] }),
      400,
      'invalid_parameters',
    );
    expect(await auditCount()).toBe(before);
  });

  it('replays a repeated Idempotency-Key without writing twice', async () => {
    const { bulk } = await cycle();
    const payload = { records: [{ user_id: report.id, notes: 'Once' }] };
    const headers = { 'idempotency-key': 'talent-bulk-1' };
    const first = await json(skip.key, bulk, payload, headers);
    const audits = await auditCount();
    const second = await json(skip.key, bulk, payload, headers);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json()).toEqual(first.json());
    expect(await auditCount()).toBe(audits);
  });
});
