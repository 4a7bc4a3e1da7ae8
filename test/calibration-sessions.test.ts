import { describe, expect, it } from 'vitest';
import { cycleBody, openCycle } from './calibration-fixtures.js';
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
  t,
  useConversationWorld,
} from './conversation-fixtures.js';
import { expectError } from './envelope-assert.js';

/**
 * Calibration sessions after creation (rename, replace people, delete) and a cycle's joiners (sync):
 * docs/calibration.md. The world: skip → manager → report, report2 in the department hr covers.
 */
useConversationWorld();

const cycleUrl = (id: number) => `/v1/calibration/cycles/${id}`;

/** An open cycle of the department with one session: report and report2, facilitated by skip. */
async function withSession() {
  const cycle = await openCycle();
  const sessions = `${cycleUrl(cycle.c.id)}/sessions`;
  const body = { name: 'Reports', participant_ids: [report.id, report2.id], facilitator_ids: [skip.id] };
  const s = await ok(org.key, 'POST', sessions, body, 201);
  return { ...cycle, sessions, url: `${sessions}/${s.id}`, s };
}

async function recordOf(cycleId: number, userId: number) {
  const [record] = await ok(org.key, 'GET', `${cycleUrl(cycleId)}/talent-records?user_id=${userId}`);
  return record;
}
const sessionOf = async (cycleId: number, userId: number) => (await recordOf(cycleId, userId)).session_id;

async function deactivated() {
  const person = await t.createMember(org);
  await ok(org.key, 'POST', `/v1/users/${person.id}/deactivate`);
  return person;
}

describe('changing a session', () => {
  it('renames it and replaces its people; those left out return to no session; audited', async () => {
    const { c, url } = await withSession();
    const before = await auditCount();
    const renamed = await ok(org.key, 'PATCH', url, { name: 'Engineers' });
    expect(renamed).toMatchObject({ name: 'Engineers', participant_ids: [report.id, report2.id].sort() });
    const replaced = await ok(org.key, 'PATCH', url, {
      participant_ids: [report.id, manager.id],
      facilitator_ids: [outsider.id, hr.id],
    });
    expect(replaced).toMatchObject({
      participant_ids: [report.id, manager.id].sort((a, b) => a - b),
      facilitator_ids: [outsider.id, hr.id].sort((a, b) => a - b),
    });
    expect(await sessionOf(c.id, report2.id)).toBeNull();
    expect(await sessionOf(c.id, manager.id)).toBe(replaced.id);
    // skip no longer facilitates: the record is out of their reach.
    expectError(
      await send(skip.key, 'GET', `${cycleUrl(c.id)}/talent-records/${(await recordOf(c.id, report.id)).id}`),
      404,
      'invalid_resource_id',
    );
    expect(await auditCount()).toBe(before + 2);
    const events = await ok(
      org.key,
      'GET',
      `/v1/audit-events?action=calibration_session.updated&object_id=${replaced.id}`,
    );
    expect(events).toHaveLength(2);
    expect(events[1]).toMatchObject({
      actor_user_id: org.adminId,
      changes: { facilitator_ids: [outsider.id, hr.id] },
    });
  });

  it('refuses, by the rules of creation, with nothing written', async () => {
    const { c, sessions, url } = await withSession();
    const other = await ok(
      org.key,
      'POST',
      sessions,
      { name: 'Manager', participant_ids: [manager.id], facilitator_ids: [] },
      201,
    );
    const gone = await deactivated();
    const before = await auditCount();
    const refused: [object, number, string][] = [
      [{ participant_ids: [outsider.id] }, 422, 'invalid_operation'],
      [{ participant_ids: [report.id, manager.id] }, 422, 'invalid_operation'],
      [{ facilitator_ids: [report.id] }, 422, 'invalid_operation'],
      [{ participant_ids: [report.id, skip.id] }, 422, 'invalid_operation'],
      [{ facilitator_ids: [gone.id] }, 422, 'invalid_operation'],
      [{ facilitator_ids: [987654321] }, 422, 'invalid_operation'],
      [{ name: 'manager' }, 409, 'duplicate_resource'],
      [{}, 400, 'invalid_parameters'],
      [{ participant_ids: [] }, 400, 'invalid_parameters'],
      [{ name: 'a\u0000b' }, 400, 'invalid_parameters'],
    ];
    for (const [body, status, code] of refused)
      expectError(await send(org.key, 'PATCH', url, body), status, code, JSON.stringify(body));
    expect(await auditCount()).toBe(before);
    expect(await ok(org.key, 'GET', url)).toMatchObject({
      name: 'Reports',
      participant_ids: [report.id, report2.id].sort((a, b) => a - b),
      facilitator_ids: [skip.id],
    });
    expect(await sessionOf(c.id, manager.id)).toBe(other.id);
  });

  it('refuses a deactivated facilitator at creation too', async () => {
    const { c } = await openCycle();
    const gone = await deactivated();
    const body = { name: 'S', participant_ids: [report.id], facilitator_ids: [gone.id] };
    const res = await send(org.key, 'POST', `${cycleUrl(c.id)}/sessions`, body);
    expectError(res, 422, 'invalid_operation');
    expect(res.json().error_description).toContain('deactivated');
    expect((await send(org.key, 'GET', `${cycleUrl(c.id)}/sessions`)).json().total_count).toBe(0);
  });

  it('deletes it: its records return to no session with their values; audited', async () => {
    const { c, url, s } = await withSession();
    await ok(
      manager.key,
      'PATCH',
      `${cycleUrl(c.id)}/talent-records/${(await recordOf(c.id, report.id)).id}`,
      {
        proposed_performance: '50 - Meets Expectations',
      },
    );
    const before = await auditCount();
    expect(await ok(org.key, 'DELETE', url)).toEqual({ id: s.id });
    expect(await auditCount()).toBe(before + 1);
    expectError(await send(org.key, 'GET', url), 404, 'invalid_resource_id');
    expect(await sessionOf(c.id, report.id)).toBeNull();
    expect((await recordOf(c.id, report.id)).proposed_performance).toBe('50 - Meets Expectations');
    expectError(await send(org.key, 'DELETE', url), 404, 'invalid_resource_id');
    // The name is free again.
    await ok(
      org.key,
      'POST',
      `${cycleUrl(c.id)}/sessions`,
      { name: 'Reports', participant_ids: [report.id], facilitator_ids: [] },
      201,
    );
  });

  it('are cycle managers’ alone, on open cycles only', async () => {
    const { c, url } = await withSession();
    const before = await auditCount();
    // A facilitator, a manager, a member, an admin: refused by role.
    for (const who of [skip, manager, report, admin]) {
      expectError(await send(who.key, 'PATCH', url, { name: 'Mine' }), 403, 'insufficient_access');
      expectError(await send(who.key, 'DELETE', url), 403, 'insufficient_access');
    }
    // An hr_admin who does not see the cycle: it does not exist for them.
    expectError(await send(hrElsewhere.key, 'PATCH', url, { name: 'Mine' }), 404, 'invalid_resource_id');
    expectError(await send(hrElsewhere.key, 'DELETE', url), 404, 'invalid_resource_id');
    // hr manages a cycle of their department, but not one reaching past their scope.
    await ok(hr.key, 'PATCH', url, { name: 'By HR' });
    const all = await openCycle({ name: 'Everyone', audience: 'everyone', department_ids: undefined });
    const allSession = await ok(
      org.key,
      'POST',
      `${cycleUrl(all.c.id)}/sessions`,
      { name: 'R', participant_ids: [report.id], facilitator_ids: [] },
      201,
    );
    const allUrl = `${cycleUrl(all.c.id)}/sessions/${allSession.id}`;
    expectError(await send(hr.key, 'PATCH', allUrl, { name: 'Mine' }), 403, 'insufficient_access');
    expectError(await send(hr.key, 'DELETE', allUrl), 403, 'insufficient_access');
    // hr's rename, and the super admin's cycle (made, opened) and its session.
    expect(await auditCount()).toBe(before + 4);
    // Locked: nothing changes, nothing is deleted.
    await ok(org.key, 'PATCH', cycleUrl(c.id), { state: 'locked' });
    expectError(await send(org.key, 'PATCH', url, { name: 'Late' }), 422, 'calibration_cycle_locked');
    expectError(await send(org.key, 'DELETE', url), 422, 'calibration_cycle_locked');
    await ok(org.key, 'PATCH', cycleUrl(c.id), { state: 'closed' });
    expectError(await send(org.key, 'DELETE', url), 422, 'calibration_cycle_locked');
    expect((await ok(org.key, 'GET', url)).name).toBe('By HR');
    expect(await sessionOf(c.id, report.id)).not.toBeNull();
  });
});

describe('syncing a cycle', () => {
  it("adds the joiners' records with their manager; leavers keep theirs; audited even when nobody joined", async () => {
    const { c } = await openCycle({ name: 'Joiners' });
    const joiner = await t.createMember(org, {
      fields: { manager_id: manager.id, department_id: departmentId },
    });
    const leaver = await t.createMember(org, {
      fields: { manager_id: manager.id, department_id: departmentId },
    });
    await ok(org.key, 'POST', `${cycleUrl(c.id)}/sync`);
    await ok(org.key, 'POST', `/v1/users/${leaver.id}/deactivate`);
    const before = await auditCount();
    const synced = await ok(org.key, 'POST', `${cycleUrl(c.id)}/sync`);
    expect(synced).toMatchObject({ added: 0, cycle: { id: c.id } });
    expect(await auditCount()).toBe(before + 1);
    expect((await recordOf(c.id, leaver.id)).user_id).toBe(leaver.id);
    expect(await recordOf(c.id, joiner.id)).toMatchObject({ user_id: joiner.id, manager_id: manager.id });
    const another = await t.createMember(org, { fields: { department_id: departmentId } });
    const again = await ok(hr.key, 'POST', `${cycleUrl(c.id)}/sync`);
    expect(again).toMatchObject({ added: 1, cycle: { record_count: synced.cycle.record_count + 1 } });
    expect(await recordOf(c.id, another.id)).toMatchObject({ manager_id: null, session_id: null });
    const events = await ok(
      org.key,
      'GET',
      `/v1/audit-events?action=calibration_cycle.synced&object_id=${c.id}`,
    );
    expect(events.map((e: { changes: object }) => e.changes)).toEqual(
      [2, 0, 1].map((n) => ({ talent_records_added: n })),
    );
  });

  it('is for cycle managers and open cycles only, and writes nothing when refused', async () => {
    const draft = await ok(org.key, 'POST', '/v1/calibration/cycles', cycleBody({ name: 'Draft' }), 201);
    const { c, records } = await openCycle({ name: 'Refusals' });
    await ok(
      org.key,
      'POST',
      `${cycleUrl(c.id)}/sessions`,
      { name: 'S', participant_ids: [report.id], facilitator_ids: [skip.id] },
      201,
    );
    const all = await openCycle({ name: 'All', audience: 'everyone', department_ids: undefined });
    await t.createMember(org, { fields: { department_id: departmentId } });
    const before = await auditCount();
    for (const who of [skip, manager, report, admin])
      expectError(await send(who.key, 'POST', `${cycleUrl(c.id)}/sync`), 403, 'insufficient_access');
    expectError(await send(hrElsewhere.key, 'POST', `${cycleUrl(c.id)}/sync`), 404, 'invalid_resource_id');
    expectError(await send(hr.key, 'POST', `${cycleUrl(all.c.id)}/sync`), 403, 'insufficient_access');
    expectError(await send(org.key, 'POST', `${cycleUrl(draft.id)}/sync`), 422, 'invalid_operation');
    await ok(org.key, 'PATCH', cycleUrl(c.id), { state: 'locked' });
    expectError(await send(org.key, 'POST', `${cycleUrl(c.id)}/sync`), 422, 'calibration_cycle_locked');
    expect(await auditCount()).toBe(before + 1);
    expect((await ok(org.key, 'GET', cycleUrl(c.id))).record_count).toBe(records.length);
  });
});
