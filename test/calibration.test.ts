import { describe, expect, it } from 'vitest';
import { cycleBody, openCycle, PERFORMANCE, type Rec } from './calibration-fixtures.js';
import {
  admin,
  auditCount,
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
 * Calibration (issue 15 items 2–3): cycles and their states, sessions, talent records and their history,
 * and who sees a record at each state (docs/calibration.md). The world: skip → manager → report, report2
 * in one department that hr covers; hrElsewhere covers nothing.
 */
useConversationWorld();

const cycleCount = async () =>
  (await send(org.key, 'GET', '/v1/calibration/cycles?size=1')).json().total_count as number;

describe('calibration cycles', () => {
  it('are created as drafts with scales, the 9-box grid and a target distribution, audited', async () => {
    const before = await auditCount();
    const c = await ok(org.key, 'POST', '/v1/calibration/cycles', cycleBody(), 201);
    expect(c).toMatchObject({
      state: 'draft',
      performance_levels: PERFORMANCE,
      target_distribution: [20, 60, 20],
      publish_to_person: false,
      audience: 'departments',
      audience_ids: [departmentId],
      record_count: 0,
    });
    expect(c.grid).toHaveLength(9);
    expect(c.grid).toContainEqual({ name: 'Star', performance_band: 2, potential_band: 2 });
    expect(await auditCount()).toBe(before + 1);
    expect((await ok(org.key, 'GET', `/v1/calibration/cycles/${c.id}`)).id).toBe(c.id);
  });

  it('refuse a bad distribution, scale or population with a 4xx that writes nothing', async () => {
    const before = await cycleCount();
    const cases: [object, number, string][] = [
      [{ target_distribution: [20, 50, 20] }, 422, 'invalid_operation'],
      [{ target_distribution: [50, 50] }, 422, 'invalid_operation'],
      [{ performance_levels: ['A', 'a'] }, 422, 'invalid_operation'],
      [{ audience: 'people', department_ids: undefined, user_ids: [987654321] }, 422, 'invalid_operation'],
      [{ audience: 'people', department_ids: undefined }, 422, 'invalid_operation'],
      [{ name: 'x'.repeat(201) }, 400, 'invalid_request'],
      [{ performance_levels: ['x'.repeat(101), 'b'] }, 400, 'invalid_request'],
      [{ name: 'a\u0000b' }, 400, 'invalid_request'],
    ];
    for (const [body, status, code] of cases) {
      const res = await send(org.key, 'POST', '/v1/calibration/cycles', cycleBody(body));
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      if (status === 422) expectError(res, status, code, JSON.stringify(body));
    }
    expect(await cycleCount()).toBe(before);
  });

  it('are made by hr_admins only for a population inside their scope', async () => {
    const before = await cycleCount();
    await ok(hr.key, 'POST', '/v1/calibration/cycles', cycleBody({ name: 'HR cycle' }), 201);
    const everyone = { audience: 'everyone', department_ids: undefined };
    expectError(
      await send(hr.key, 'POST', '/v1/calibration/cycles', cycleBody(everyone)),
      403,
      'insufficient_access',
    );
    const people = { audience: 'people', department_ids: undefined, user_ids: [report.id, outsider.id] };
    expectError(
      await send(hr.key, 'POST', '/v1/calibration/cycles', cycleBody(people)),
      403,
      'insufficient_access',
    );
    expectError(
      await send(hrElsewhere.key, 'POST', '/v1/calibration/cycles', cycleBody()),
      403,
      'insufficient_access',
    );
    expectError(
      await send(admin.key, 'POST', '/v1/calibration/cycles', cycleBody()),
      403,
      'insufficient_access',
    );
    expectError(
      await send(manager.key, 'POST', '/v1/calibration/cycles', cycleBody()),
      403,
      'insufficient_access',
    );
    expect(await cycleCount()).toBe(before + 1);
  });

  it('stay out of an hr_admin’s hands when their population reaches past the scope', async () => {
    const mine = await ok(hr.key, 'POST', '/v1/calibration/cycles', cycleBody({ name: 'Mine' }), 201);
    await ok(hr.key, 'PATCH', `/v1/calibration/cycles/${mine.id}`, { state: 'open' });
    const sessions = `/v1/calibration/cycles/${mine.id}/sessions`;
    const outside = { name: 'Out', participant_ids: [outsider.id], facilitator_ids: [] };
    expectError(await send(hr.key, 'POST', sessions, outside), 422, 'invalid_operation');
    const everyone = await ok(
      org.key,
      'POST',
      '/v1/calibration/cycles',
      cycleBody({ name: 'All', audience: 'everyone', department_ids: undefined }),
      201,
    );
    await ok(org.key, 'PATCH', `/v1/calibration/cycles/${everyone.id}`, { state: 'open' });
    // hr sees the cycle (its records of people in scope) but does not manage it.
    expect((await ok(hr.key, 'GET', `/v1/calibration/cycles/${everyone.id}`)).state).toBe('open');
    const url = `/v1/calibration/cycles/${everyone.id}`;
    expectError(await send(hr.key, 'PATCH', url, { name: 'Taken' }), 403, 'insufficient_access');
    expectError(
      await send(hr.key, 'POST', `${url}/sessions`, {
        name: 'S',
        participant_ids: [report.id],
        facilitator_ids: [],
      }),
      403,
      'insufficient_access',
    );
    const records: Rec[] = await ok(hr.key, 'GET', `${url}/talent-records`);
    expect(records.map((r) => r.user_id).sort()).toEqual([manager.id, report.id, report2.id].sort());
    expect((await ok(org.key, 'GET', url)).name).toBe('All');
  });

  it('move forward one state at a time and open with one talent record per person', async () => {
    const c = await ok(org.key, 'POST', '/v1/calibration/cycles', cycleBody(), 201);
    const url = `/v1/calibration/cycles/${c.id}`;
    expectError(await send(org.key, 'PATCH', url, { state: 'locked' }), 422, 'invalid_operation');
    const opened = await ok(org.key, 'PATCH', url, { state: 'open' });
    expect(opened).toMatchObject({ state: 'open', record_count: 3, opened_at: expect.any(String) });
    expectError(await send(org.key, 'PATCH', url, { state: 'draft' }), 422, 'invalid_operation');
    expectError(
      await send(org.key, 'PATCH', url, { potential_levels: ['a', 'b'] }),
      422,
      'invalid_operation',
    );
    const records: Rec[] = await ok(org.key, 'GET', `${url}/talent-records`);
    expect(records.map((r) => r.user_id).sort()).toEqual([manager.id, report.id, report2.id].sort());
    await ok(org.key, 'PATCH', url, { state: 'locked' });
    await ok(org.key, 'PATCH', url, { state: 'closed' });
    expectError(await send(org.key, 'PATCH', url, { state: 'open' }), 422, 'invalid_operation');
    expect((await ok(org.key, 'GET', url)).state).toBe('closed');
  });

  it('hide from people with no part in them', async () => {
    const c = await ok(org.key, 'POST', '/v1/calibration/cycles', cycleBody(), 201);
    for (const who of [outsider, admin, hrElsewhere, report])
      expectError(await send(who.key, 'GET', `/v1/calibration/cycles/${c.id}`), 404, 'invalid_resource_id');
  });
});

describe('sessions', () => {
  it('split the population; refuse people outside it or already in a session', async () => {
    const { c } = await openCycle();
    const url = `/v1/calibration/cycles/${c.id}/sessions`;
    const before = await auditCount();
    const s = await ok(
      org.key,
      'POST',
      url,
      { name: 'Reports', participant_ids: [report.id, report2.id], facilitator_ids: [skip.id] },
      201,
    );
    expect(s).toMatchObject({ participant_ids: [report.id, report2.id].sort(), facilitator_ids: [skip.id] });
    expect(await auditCount()).toBe(before + 1);
    const refused: object[] = [
      { name: 'Out', participant_ids: [outsider.id], facilitator_ids: [] },
      { name: 'Twice', participant_ids: [report.id], facilitator_ids: [] },
      { name: 'Self', participant_ids: [manager.id], facilitator_ids: [manager.id] },
    ];
    for (const body of refused) expectError(await send(org.key, 'POST', url, body), 422, 'invalid_operation');
    expect((await send(org.key, 'GET', url)).json().total_count).toBe(1);
    expect(await auditCount()).toBe(before + 1);
    expect((await ok(org.key, 'GET', `${url}/${s.id}`)).name).toBe('Reports');
  });
});

describe('talent records', () => {
  it('take proposals from the manager and calibration from facilitators, with a full history', async () => {
    const { c, url } = await openCycle();
    await ok(
      org.key,
      'POST',
      `/v1/calibration/cycles/${c.id}/sessions`,
      {
        name: 'Reports',
        participant_ids: [report.id, report2.id],
        facilitator_ids: [skip.id],
      },
      201,
    );
    const proposed = await ok(manager.key, 'PATCH', url(report.id), {
      proposed_performance: PERFORMANCE[1],
      proposed_potential: 'High',
    });
    expect(proposed).toMatchObject({ view: 'manager', proposed_performance: PERFORMANCE[1], box: null });
    expectError(
      await send(manager.key, 'PATCH', url(report.id), { calibrated_performance: PERFORMANCE[2] }),
      403,
      'insufficient_access',
    );
    expectError(
      await send(skip.key, 'PATCH', url(report.id), { calibrated_performance: '70 - Outstanding' }),
      422,
      'invalid_operation',
    );
    expectError(
      await send(skip.key, 'PATCH', url(report.id), { proposed_potential: 'Low' }),
      403,
      'insufficient_access',
    );
    expect((await send(skip.key, 'PATCH', url(report.id), { notes: 'x'.repeat(5001) })).statusCode).toBe(400);
    const calibrated = await ok(skip.key, 'PATCH', url(report.id), {
      calibrated_performance: PERFORMANCE[2],
      notes: 'Led the migration.',
    });
    expect(calibrated).toMatchObject({
      view: 'calibrator',
      calibrated_performance: PERFORMANCE[2],
      final_performance: PERFORMANCE[2],
      final_potential: 'High',
      box: 'Star',
      notes: 'Led the migration.',
    });
    const history = await ok(skip.key, 'GET', `${url(report.id)}/history`);
    expect(history).toEqual([
      expect.objectContaining({
        field: 'proposed_performance',
        from_value: null,
        to_value: PERFORMANCE[1],
        changed_by: manager.id,
      }),
      expect.objectContaining({ field: 'proposed_potential', from_value: null, to_value: 'High' }),
      expect.objectContaining({
        field: 'calibrated_performance',
        to_value: PERFORMANCE[2],
        changed_by: skip.id,
      }),
      expect.objectContaining({ field: 'notes', to_value: 'Led the migration.' }),
    ]);
    expectError(await send(manager.key, 'GET', `${url(report.id)}/history`), 403, 'insufficient_access');

    // The manager sees what they proposed, never the calibration, until the cycle closes.
    const seen = await ok(manager.key, 'GET', url(report.id));
    expect(seen).toMatchObject({
      view: 'manager',
      proposed_performance: PERFORMANCE[1],
      calibrated_performance: null,
      final_performance: null,
      box: null,
      notes: null,
    });
    // Nobody else with no part in it: the person, an hr_admin out of scope, another session's facilitator.
    await ok(
      org.key,
      'POST',
      `/v1/calibration/cycles/${c.id}/sessions`,
      {
        name: 'Managers',
        participant_ids: [manager.id],
        facilitator_ids: [outsider.id],
      },
      201,
    );
    for (const who of [report, hrElsewhere, outsider, admin, report2])
      expectError(await send(who.key, 'GET', url(report.id)), 404, 'invalid_resource_id');
    expect((await ok(outsider.key, 'GET', url(manager.id))).view).toBe('calibrator');
    expect((await ok(hr.key, 'GET', url(report.id))).notes).toBe('Led the migration.');
    const managerList: Rec[] = await ok(manager.key, 'GET', `/v1/calibration/cycles/${c.id}/talent-records`);
    expect(managerList.map((r) => r.user_id).sort()).toEqual([report.id, report2.id].sort());
    expect(await ok(report.key, 'GET', '/v1/calibration/cycles')).toEqual([]);

    // Locked: every write is refused and changes nothing.
    await ok(org.key, 'PATCH', `/v1/calibration/cycles/${c.id}`, { state: 'locked' });
    const before = await auditCount();
    expectError(
      await send(skip.key, 'PATCH', url(report.id), { calibrated_performance: PERFORMANCE[0] }),
      422,
      'calibration_cycle_locked',
    );
    expectError(
      await send(manager.key, 'PATCH', url(report2.id), { proposed_performance: PERFORMANCE[0] }),
      422,
      'calibration_cycle_locked',
    );
    expect(await auditCount()).toBe(before);
    expect((await ok(skip.key, 'GET', url(report.id))).calibrated_performance).toBe(PERFORMANCE[2]);

    // Closed without publishing: the manager reads the final rating; the person still nothing.
    await ok(org.key, 'PATCH', `/v1/calibration/cycles/${c.id}`, { state: 'closed' });
    expect(await ok(manager.key, 'GET', url(report.id))).toMatchObject({
      final_performance: PERFORMANCE[2],
      box: 'Star',
      calibrated_performance: null,
      notes: null,
    });
    expectError(await send(report.key, 'GET', url(report.id)), 404, 'invalid_resource_id');
  });

  it('reach the person only once a cycle that publishes to people is closed', async () => {
    const people = { audience: 'people', department_ids: undefined, user_ids: [report2.id] };
    const { c, url } = await openCycle({ ...people, publish_to_person: true });
    await ok(manager.key, 'PATCH', url(report2.id), {
      proposed_performance: PERFORMANCE[0],
      proposed_potential: 'Low',
    });
    await ok(org.key, 'PATCH', `/v1/calibration/cycles/${c.id}`, { notes: 'x' }, 400);
    expectError(await send(report2.key, 'GET', url(report2.id)), 404, 'invalid_resource_id');
    await ok(org.key, 'PATCH', `/v1/calibration/cycles/${c.id}`, { state: 'locked' });
    expectError(await send(report2.key, 'GET', url(report2.id)), 404, 'invalid_resource_id');
    await ok(org.key, 'PATCH', `/v1/calibration/cycles/${c.id}`, { state: 'closed' });
    expect(await ok(report2.key, 'GET', url(report2.id))).toMatchObject({
      view: 'person',
      final_performance: PERFORMANCE[0],
      box: 'Risk',
      proposed_performance: null,
      notes: null,
    });
  });
});
