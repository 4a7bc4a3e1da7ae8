import { beforeAll, describe, expect, it } from 'vitest';
import {
  admin,
  departmentId,
  hr,
  hrElsewhere,
  manager,
  ok,
  org,
  outsider,
  report,
  report2,
  send,
  skip,
  useConversationWorld,
} from './conversation-fixtures.js';
import { expectError } from './envelope-assert.js';

/**
 * The bias views (issue 15 item 4, docs/calibration.md): distribution by a grouping against the target, and
 * movement from proposed to calibrated by manager, counting only values the caller may read record by record.
 *
 * The cycle: manager (proposed Low by skip), report (manager proposes High/Medium, calibrated Medium/High),
 * report2 (proposed Medium/Low, calibrated Medium), outsider (no manager, calibrated High).
 */
useConversationWorld();

const LEVELS = ['Low', 'Medium', 'High'];
let cycleId: number;
let sessionId: number;
const url = (view: string, query = '') => `/v1/calibration/cycles/${cycleId}/${view}${query}`;
const distribution = (key: string, query: string) => ok(key, 'GET', url('distribution', `?${query}`));

beforeAll(async () => {
  await ok(org.key, 'PATCH', `/v1/users/${report.id}`, { location: 'Paris', custom_fields: { grade: 'L3' } });
  await ok(org.key, 'PATCH', `/v1/users/${report2.id}`, { location: 'Lyon', custom_fields: { grade: 'L4' } });
  await ok(org.key, 'PATCH', `/v1/users/${outsider.id}`, { location: 'Paris' });
  const c = await ok(
    org.key,
    'POST',
    '/v1/calibration/cycles',
    {
      name: 'Bias',
      performance_levels: LEVELS,
      potential_levels: LEVELS,
      target_distribution: [20, 60, 20],
      talent_fields: [{ key: 'flight_risk', label: 'Flight risk', type: 'text' }],
      audience: 'people',
      user_ids: [manager.id, report.id, report2.id, outsider.id],
    },
    201,
  );
  cycleId = c.id;
  await ok(org.key, 'PATCH', `/v1/calibration/cycles/${cycleId}`, { state: 'open' });
  const records: { id: number; user_id: number }[] = await ok(org.key, 'GET', url('talent-records'));
  const rec = (userId: number) => url('talent-records', `/${records.find((r) => r.user_id === userId)?.id}`);
  await ok(skip.key, 'PATCH', rec(manager.id), { proposed_performance: 'Low' });
  await ok(manager.key, 'PATCH', rec(report.id), {
    proposed_performance: 'High',
    proposed_potential: 'Medium',
  });
  await ok(manager.key, 'PATCH', rec(report2.id), {
    proposed_performance: 'Medium',
    proposed_potential: 'Low',
  });
  const s = await ok(
    org.key,
    'POST',
    url('sessions'),
    { name: 'Reports', participant_ids: [report.id, report2.id], facilitator_ids: [skip.id] },
    201,
  );
  sessionId = s.id;
  await ok(skip.key, 'PATCH', rec(report.id), {
    calibrated_performance: 'Medium',
    calibrated_potential: 'High',
    custom_fields: { flight_risk: 'high' },
  });
  await ok(skip.key, 'PATCH', rec(report2.id), {
    calibrated_performance: 'Medium',
    custom_fields: { flight_risk: 'low' },
  });
  await ok(org.key, 'PATCH', rec(outsider.id), { calibrated_performance: 'High' });
});

const shape = (groups: { key: unknown; counts: number[]; unrated: number }[]) =>
  groups.map((g) => [g.key, g.counts, g.unrated]);

describe('distribution', () => {
  it('groups by department, with the target and the difference beside the overall actuals', async () => {
    const d = await distribution(org.key, 'by=department');
    expect(d).toMatchObject({ by: 'department', rating: 'performance', stage: 'final', levels: LEVELS });
    expect(d.groups).toEqual([
      { key: departmentId, label: 'Engineering', counts: [1, 2, 0], rated: 3, unrated: 0, total: 3 },
      { key: null, label: null, counts: [0, 0, 1], rated: 1, unrated: 0, total: 1 },
    ]);
    expect(d.overall).toEqual({
      counts: [1, 2, 1],
      rated: 4,
      unrated: 0,
      total: 4,
      percents: [25, 50, 25],
      target: [20, 60, 20],
      difference: [5, -10, 5],
    });
    expect(d.withheld).toBe(0);
  });

  it('groups by manager, location, a talent field and a people custom field', async () => {
    const byManager = await distribution(org.key, 'by=manager');
    expect(shape(byManager.groups)).toEqual(
      expect.arrayContaining([
        [manager.id, [0, 2, 0], 0],
        [skip.id, [1, 0, 0], 0],
        [null, [0, 0, 1], 0],
      ]),
    );
    expect(byManager.groups).toHaveLength(3);
    expect(byManager.groups.find((g: { key: number }) => g.key === manager.id).label).toEqual(
      expect.any(String),
    );
    expect(shape((await distribution(org.key, 'by=location')).groups)).toEqual([
      ['Lyon', [0, 1, 0], 0],
      ['Paris', [0, 1, 1], 0],
      [null, [1, 0, 0], 0],
    ]);
    expect(shape((await distribution(org.key, 'by=custom:flight_risk')).groups)).toEqual([
      ['high', [0, 1, 0], 0],
      ['low', [0, 1, 0], 0],
      [null, [1, 0, 1], 0],
    ]);
    expect(shape((await distribution(org.key, 'by=user:grade')).groups)).toEqual([
      ['L3', [0, 1, 0], 0],
      ['L4', [0, 1, 0], 0],
      [null, [1, 0, 1], 0],
    ]);
  });

  it('reads the stage and the rating asked for; the target is for performance only', async () => {
    const proposed = await distribution(org.key, 'by=location&stage=proposed');
    expect(proposed.overall).toMatchObject({ counts: [1, 1, 1], rated: 3, unrated: 1, total: 4 });
    const potential = await distribution(org.key, 'by=department&rating=potential');
    expect(potential.overall).toMatchObject({
      counts: [1, 0, 1],
      unrated: 2,
      target: null,
      difference: null,
    });
    const calibrated = await distribution(org.key, 'by=department&stage=calibrated');
    expect(calibrated.overall.counts).toEqual([0, 2, 1]);
  });

  it('narrows to one session, and refuses a session of another cycle, an unknown field or grouping', async () => {
    const d = await distribution(org.key, `by=department&session_id=${sessionId}`);
    expect(d.session_id).toBe(sessionId);
    expect(d.overall).toMatchObject({ counts: [0, 2, 0], total: 2 });
    expectError(
      await send(org.key, 'GET', url('distribution', '?by=department&session_id=987654321')),
      404,
      'invalid_resource_id',
    );
    expectError(await send(org.key, 'GET', url('distribution', '?by=custom:nope')), 422, 'invalid_operation');
    for (const q of ['by=team', 'by=custom:Bad', 'by=department&stage=later'])
      expectError(await send(org.key, 'GET', url('distribution', `?${q}`)), 400, 'invalid_parameters', q);
    expect((await ok(org.key, 'GET', url('distribution'))).by).toBe('department');
  });

  it('never counts a value the caller could not read record by record', async () => {
    // hr covers the department, not the outsider: their High is not counted, not even withheld.
    const hrView = await distribution(hr.key, 'by=department');
    expect(hrView.overall).toMatchObject({ counts: [1, 2, 0], total: 3 });
    expect(hrView.withheld).toBe(0);
    // The manager, before close: the proposals they made, nothing calibrated, no talent field values.
    const before = await distribution(manager.key, 'by=department&stage=proposed');
    expect(before.overall).toMatchObject({ counts: [0, 1, 1], total: 2 });
    for (const q of [
      'by=department',
      'by=department&stage=calibrated',
      'by=custom:flight_risk&stage=proposed',
    ]) {
      const hidden = await distribution(manager.key, q);
      expect(hidden.overall.total, q).toBe(0);
      expect(hidden.groups, q).toEqual([]);
      expect(hidden.withheld, q).toBe(2);
    }
    // skip facilitates the reports and is the manager's manager: the manager's final rating is withheld.
    const facilitator = await distribution(skip.key, 'by=department');
    expect(facilitator.overall).toMatchObject({ counts: [0, 2, 0], total: 2 });
    expect(facilitator.withheld).toBe(1);
    for (const who of [hrElsewhere, admin, outsider, report])
      expectError(
        await send(who.key, 'GET', url('distribution', '?by=department')),
        404,
        'invalid_resource_id',
      );
  });
});

describe('movement', () => {
  it('counts up, down, same, unproposed and not calibrated per manager, with totals', async () => {
    const m = await ok(org.key, 'GET', url('movement'));
    const of = (id: number | null) =>
      m.managers.find((g: { manager_id: number | null }) => g.manager_id === id);
    expect(of(manager.id)).toMatchObject({
      total: 2,
      performance: { up: 0, down: 1, same: 1, unproposed: 0, not_calibrated: 0 },
      potential: { up: 1, down: 0, same: 0, unproposed: 0, not_calibrated: 1 },
    });
    expect(of(skip.id)).toMatchObject({ total: 1, performance: { not_calibrated: 1 } });
    expect(of(null)).toMatchObject({
      total: 1,
      performance: { unproposed: 1 },
      potential: { not_calibrated: 1 },
    });
    expect(m.totals).toEqual({
      total: 4,
      performance: { up: 0, down: 1, same: 1, unproposed: 1, not_calibrated: 1 },
      potential: { up: 1, down: 0, same: 0, unproposed: 0, not_calibrated: 3 },
    });
    const session = await ok(org.key, 'GET', url('movement', `?session_id=${sessionId}`));
    expect(session.managers.map((g: { manager_id: number }) => g.manager_id)).toEqual([manager.id]);
    expect(session.totals.total).toBe(2);
  });

  it('counts only the records the caller calibrates', async () => {
    const managerView = await ok(manager.key, 'GET', url('movement'));
    expect(managerView).toMatchObject({ managers: [], withheld: 2, totals: { total: 0 } });
    const facilitator = await ok(skip.key, 'GET', url('movement'));
    expect(facilitator).toMatchObject({ withheld: 1, totals: { total: 2 } });
    for (const who of [hrElsewhere, admin, outsider])
      expectError(await send(who.key, 'GET', url('movement')), 404, 'invalid_resource_id');
  });
});

describe('after close', () => {
  it('the manager counts the final ratings of their reports, never the calibrated stage', async () => {
    await ok(org.key, 'PATCH', `/v1/calibration/cycles/${cycleId}`, { state: 'locked' });
    await ok(org.key, 'PATCH', `/v1/calibration/cycles/${cycleId}`, { state: 'closed' });
    const final = await distribution(manager.key, 'by=department');
    expect(final.overall).toMatchObject({ counts: [0, 2, 0], total: 2 });
    expect(final.withheld).toBe(0);
    expect((await distribution(manager.key, 'by=department&stage=calibrated')).withheld).toBe(2);
    expect((await ok(manager.key, 'GET', url('movement'))).withheld).toBe(2);
    expectError(
      await send(report.key, 'GET', url('distribution', '?by=department')),
      404,
      'invalid_resource_id',
    );
  });
});
