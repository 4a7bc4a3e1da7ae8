import { describe, expect, it } from 'vitest';
import {
  auditCount,
  departmentId,
  hr,
  manager,
  ok,
  org,
  report,
  send,
  useConversationWorld,
} from './conversation-fixtures.js';
import { expectError } from './envelope-assert.js';

/**
 * Custom talent fields (issue 15 item 3, docs/calibration.md): defined per cycle by its managers, fixed
 * once it opens; values set on each record by calibrators through the record's PATCH, each change a
 * history row, read in the calibrator view only.
 */
useConversationWorld();

const FIELDS = [
  { key: 'flight_risk', label: 'Flight risk', type: 'text' },
  { key: 'years_in_role', label: 'Years in role', type: 'number' },
];
const cycleBody = (overrides: object = {}) => ({
  name: 'Fields cycle',
  performance_levels: ['Low', 'Medium', 'High'],
  potential_levels: ['Low', 'Medium', 'High'],
  talent_fields: FIELDS,
  audience: 'departments',
  department_ids: [departmentId],
  ...overrides,
});

async function openCycle() {
  const c = await ok(org.key, 'POST', '/v1/calibration/cycles', cycleBody(), 201);
  await ok(org.key, 'PATCH', `/v1/calibration/cycles/${c.id}`, { state: 'open' });
  const records: { id: number; user_id: number }[] = await ok(
    org.key,
    'GET',
    `/v1/calibration/cycles/${c.id}/talent-records`,
  );
  const mine = records.find((r) => r.user_id === report.id);
  return { c, url: `/v1/calibration/cycles/${c.id}/talent-records/${mine?.id}` };
}

describe('talent field definitions', () => {
  it('are set on a draft, shown on the cycle, and fixed once it opens', async () => {
    const c = await ok(org.key, 'POST', '/v1/calibration/cycles', cycleBody(), 201);
    expect(c.talent_fields).toEqual(FIELDS);
    const url = `/v1/calibration/cycles/${c.id}`;
    const one = [{ key: 'mobility', label: 'Mobility', type: 'text' }];
    expect((await ok(org.key, 'PATCH', url, { talent_fields: one })).talent_fields).toEqual(one);
    await ok(org.key, 'PATCH', url, { state: 'open' });
    const before = await auditCount();
    expectError(await send(org.key, 'PATCH', url, { talent_fields: FIELDS }), 422, 'invalid_operation');
    expect((await ok(org.key, 'GET', url)).talent_fields).toEqual(one);
    expect(await auditCount()).toBe(before);
    const plain = await ok(
      org.key,
      'POST',
      '/v1/calibration/cycles',
      cycleBody({ talent_fields: undefined }),
      201,
    );
    expect(plain.talent_fields).toEqual([]);
  });

  it('refuse bad keys, duplicates, unknown types and more than 20 fields, writing nothing', async () => {
    const count = async () =>
      (await send(org.key, 'GET', '/v1/calibration/cycles?size=1')).json().total_count;
    const before = await count();
    const many = Array.from({ length: 21 }, (_, i) => ({ key: `f${i}`, label: `F${i}`, type: 'text' }));
    const cases: [unknown[], number][] = [
      [[{ key: 'Bad-Key', label: 'x', type: 'text' }], 400],
      [[{ key: 'x'.repeat(41), label: 'x', type: 'text' }], 400],
      [[{ key: 'ok', label: 'x', type: 'date' }], 400],
      [[{ key: 'ok', label: '', type: 'text' }], 400],
      [many, 400],
      [[FIELDS[0], { ...FIELDS[1], key: 'flight_risk' }], 422],
    ];
    for (const [talent_fields, status] of cases) {
      const res = await send(org.key, 'POST', '/v1/calibration/cycles', cycleBody({ talent_fields }));
      expect(res.statusCode, JSON.stringify(talent_fields).slice(0, 80)).toBe(status);
    }
    expect(await count()).toBe(before);
  });
});

describe('talent field values', () => {
  it('are written by calibrators, each change a history row, and read in the calibrator view only', async () => {
    const { url } = await openCycle();
    const before = await auditCount();
    const written = await ok(hr.key, 'PATCH', url, {
      custom_fields: { flight_risk: 'low', years_in_role: 3 },
    });
    expect(written).toMatchObject({
      view: 'calibrator',
      custom_fields: { flight_risk: 'low', years_in_role: 3 },
    });
    await ok(hr.key, 'PATCH', url, { custom_fields: { years_in_role: 4, flight_risk: 'low' } });
    const cleared = await ok(hr.key, 'PATCH', url, { custom_fields: { flight_risk: null } });
    expect(cleared.custom_fields).toEqual({ years_in_role: 4 });
    expect(await auditCount()).toBe(before + 3);
    const history = await ok(hr.key, 'GET', `${url}/history`);
    expect(
      history.map((h: { field: string; from_value: string; to_value: string }) => [
        h.field,
        h.from_value,
        h.to_value,
      ]),
    ).toEqual([
      ['custom.flight_risk', null, 'low'],
      ['custom.years_in_role', null, '3'],
      ['custom.years_in_role', '3', '4'],
      ['custom.flight_risk', 'low', null],
    ]);
    expect((await ok(manager.key, 'GET', url)).custom_fields).toBeNull();
    const list = await ok(manager.key, 'GET', url.replace(/\/\d+$/, ''));
    expect(list.every((r: { custom_fields: unknown }) => r.custom_fields === null)).toBe(true);
  });

  it('refuse an unknown key, a wrong type, overlong text and non-calibrators, writing nothing', async () => {
    const { url } = await openCycle();
    await ok(hr.key, 'PATCH', url, { custom_fields: { years_in_role: 2 } });
    const before = await auditCount();
    const cases: [object, number, string][] = [
      [{ custom_fields: { unknown_key: 'x' } }, 422, 'invalid_operation'],
      [{ custom_fields: { years_in_role: 'three' } }, 422, 'invalid_operation'],
      [{ custom_fields: { flight_risk: 7 } }, 422, 'invalid_operation'],
      [{ custom_fields: { flight_risk: 'x'.repeat(1001) } }, 400, 'invalid_parameters'],
      [{ custom_fields: { years_in_role: 1e300 } }, 400, 'invalid_parameters'],
      [{ custom_fields: { 'Bad Key': 1 } }, 400, 'invalid_parameters'],
      [{ custom_fields: { flight_risk: 'a\u0000b' } }, 400, 'invalid_parameters'],
      [{ custom_fields: { years_in_role: 5 }, calibrated_performance: 'Nope' }, 422, 'invalid_operation'],
    ];
    for (const [body, status, code] of cases) {
      const res = await send(hr.key, 'PATCH', url, body);
      expectError(res, status, code, JSON.stringify(body).slice(0, 80));
      if (status === 422)
        expect(res.json().error_description, JSON.stringify(body)).toMatch(/custom_fields\.|calibrated/);
    }
    expectError(
      await send(manager.key, 'PATCH', url, { custom_fields: { years_in_role: 9 } }),
      403,
      'insufficient_access',
    );
    expect(await auditCount()).toBe(before);
    expect((await ok(hr.key, 'GET', url)).custom_fields).toEqual({ years_in_role: 2 });
    expect(await ok(hr.key, 'GET', `${url}/history`)).toHaveLength(1);
  });
});
