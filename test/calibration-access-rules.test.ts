import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replaceHrScope } from '../src/domain/access/hr-scopes.js';
import type { Principal } from '../src/domain/access/principal.js';
import { assertManagesPopulation } from '../src/domain/calibration/access.js';
import { createCycle, listCycles, syncCycle, updateCycle } from '../src/domain/calibration/cycles.js';
import { listRecords, updateRecord } from '../src/domain/calibration/records.js';
import { createSession } from '../src/domain/calibration/sessions.js';
import { createDepartment } from '../src/domain/departments/service.js';
import type { PopulationInput } from '../src/domain/directory/population.js';
import { AppError } from '../src/domain/errors.js';
import { type BareWorld, bareWorld } from './bare-world.js';

/**
 * Who reads and calibrates a talent record, and who sees and manages a cycle (calibration/access.ts), through
 * the calibration services over a migrated database and no app, so that mutation testing can run this suite
 * once per mutant (docs/testing.md). calibration and calibration-sessions pin the same through HTTP.
 *
 * Ops (hr's scope) holds emp, peer and hr; boss manages emp, hr manages peer, big manages boss. fac
 * facilitates emp's session of the open cycle. hr2 covers Sales (big, boss, fac, outsider, admin, hr2). root, the organisation's first admin, is a super admin
 * in no department.
 */
let w: BareWorld;
const cycle: Record<string, number> = {};
const who = (name: string) => w.who(name);
const id = (name: string) => w.id(name);

const SCALES = { performance_levels: ['low', 'mid', 'high'], potential_levels: ['low', 'mid', 'high'] };

async function cycleOf(by: Principal, name: string, population: PopulationInput, publish = false) {
  const c = await createCycle(w.db, by, {
    name,
    ...SCALES,
    publish_to_person: publish,
    ...population,
  });
  cycle[name] = c.id;
  return c.id;
}

const step = (cycleId: number, state: 'open' | 'locked' | 'closed') =>
  updateCycle(w.db, w.operator, cycleId, { state });

beforeAll(async () => {
  w = await bareWorld('Calibrated');
  const { operator, person } = w;
  const ops = (await createDepartment(w.db, w.operator, { name: 'Ops', parent_id: null })).id;
  const sales = (await createDepartment(w.db, w.operator, { name: 'Sales', parent_id: null })).id;
  const big = await person('big', 'member', { department_id: sales });
  const boss = await person('boss', 'member', { department_id: sales, manager_id: big });
  const hr = await person('hr', 'hr_admin', { department_id: ops });
  await person('emp', 'member', { department_id: ops, manager_id: boss });
  await person('peer', 'member', { department_id: ops, manager_id: hr });
  for (const name of ['fac', 'outsider']) await person(name, 'member', { department_id: sales });
  await person('admin', 'admin', { department_id: sales });
  await person('hr2', 'hr_admin', { department_id: sales });
  await replaceHrScope(w.db, w.operator, hr, { department_ids: [ops], group_ids: [] });
  await replaceHrScope(w.db, w.operator, id('hr2'), { department_ids: [sales], group_ids: [] });

  // Open: Ops, with emp in fac's session.
  const open = await cycleOf(operator, 'open', { audience: 'departments', department_ids: [ops] });
  await step(open, 'open');
  const session = { participant_ids: [id('emp')], facilitator_ids: [id('fac')] };
  await createSession(w.db, w.operator, open, { name: 'Ops', ...session });
  // Published: emp and peer, closed, published to the people rated. Unpublished: emp, closed, not published.
  const people = { audience: 'people' as const, user_ids: [id('emp'), id('peer')] };
  for (const [name, publish] of [
    ['published', true],
    ['unpublished', false],
  ] as const) {
    const c = await cycleOf(operator, name, people, publish);
    for (const state of ['open', 'locked', 'closed'] as const) await step(c, state);
  }
  // Drafts: hr's of Ops, hr2's of Sales (no records yet).
  await cycleOf(who('hr'), 'hr draft', { audience: 'departments', department_ids: [ops] });
  await cycleOf(who('hr2'), 'hr2 draft', { audience: 'departments', department_ids: [sales] });
});
afterAll(async () => {
  await w?.close();
});

/** The records of a cycle the caller reads, as `person: view`; `not found` when the cycle is not theirs. */
async function records(name: string, cycleName: string) {
  try {
    const found = await listRecords(w.db, who(name), cycle[cycleName] ?? 0, {}, { limit: 100 });
    return Object.fromEntries(found.rows.map((r) => [w.nameOf(r.user_id), r.view]));
  } catch (error) {
    if (error instanceof AppError && error.code === 'invalid_resource_id') return 'not found';
    throw error;
  }
}

/** The cycles the caller sees, by name. */
async function cycles(name: string) {
  const found = await listCycles(w.db, who(name), {}, { limit: 100 });
  return found.rows.map((c) => c.name).sort();
}

describe('the talent records of an open cycle', () => {
  it('are all read and calibrated by a super admin', async () => {
    expect(await records('root', 'open')).toEqual({
      emp: 'calibrator',
      peer: 'calibrator',
      hr: 'calibrator',
    });
  });

  it("are calibrated by an hr_admin covering the people, even their own report, but not the hr_admin's own", async () => {
    expect(await records('hr', 'open')).toEqual({ emp: 'calibrator', peer: 'calibrator' });
  });

  it('are not read by an hr_admin whose scope holds none of them', async () => {
    expect(await records('hr2', 'open')).toBe('not found');
  });

  it('are not read through a scope its holder keeps after losing the hr_admin role', async () => {
    w.as.demoted = w.principal(id('hr'), 'member');
    // Still peer's manager: reads peer's record as the manager, and nothing through the scope.
    expect(await records('demoted', 'open')).toEqual({ peer: 'manager' });
  });

  it("are read by each person's direct manager as the manager, not by the manager's manager", async () => {
    expect(await records('boss', 'open')).toEqual({ emp: 'manager' });
    expect(await records('big', 'open')).toBe('not found');
  });

  it("are calibrated by a session's facilitator for that session's people only", async () => {
    expect(await records('fac', 'open')).toEqual({ emp: 'calibrator' });
  });

  it('are not read by the people rated, their peers, an org admin or a stranger while the cycle is open', async () => {
    for (const name of ['emp', 'admin', 'outsider'])
      expect({ name, records: await records(name, 'open') }).toEqual({ name, records: 'not found' });
  });
});

describe('the talent records of a closed cycle', () => {
  it('are read by each person rated, their own only, when the cycle publishes to them', async () => {
    expect(await records('emp', 'published')).toEqual({ emp: 'person' });
    expect(await records('peer', 'published')).toEqual({ peer: 'person' });
  });

  it('are not read by the people rated when the cycle does not publish to them', async () => {
    expect(await records('emp', 'unpublished')).toBe('not found');
  });

  it('are still read by the managers, as managers, published or not', async () => {
    expect(await records('boss', 'published')).toEqual({ emp: 'manager' });
    expect(await records('boss', 'unpublished')).toEqual({ emp: 'manager' });
  });

  it('are calibrated by the hr_admin covering the people, their own report included', async () => {
    expect(await records('hr', 'published')).toEqual({ emp: 'calibrator', peer: 'calibrator' });
  });
});

/** `user`'s record in the open cycle, as a super admin reads it. */
async function recordOf(user: string) {
  const found = await listRecords(w.db, w.operator, cycle.open ?? 0, { user_id: id(user) }, { limit: 1 });
  const [row] = found.rows;
  if (!row) throw new Error(`no record of ${user}`);
  return row;
}

describe('calibrating a record', () => {
  const calibrate = async (name: string, user: string) =>
    updateRecord(w.db, who(name), cycle.open ?? 0, (await recordOf(user)).id, {
      calibrated_performance: 'high',
      notes: `by ${name}`,
    });

  it("lets a session's facilitator calibrate its people", async () => {
    await expect(calibrate('fac', 'emp')).resolves.toMatchObject({ notes: 'by fac', view: 'calibrator' });
  });

  it('refuses the manager, who reads the record but does not calibrate it', async () => {
    await expect(calibrate('boss', 'emp')).rejects.toThrow(
      'Only calibrators of this record set calibrated values and notes.',
    );
    expect((await recordOf('emp')).notes).toBe('by fac');
  });
});

describe('the cycles', () => {
  it('are all seen by a super admin, drafts included', async () => {
    expect(await cycles('root')).toEqual(['hr draft', 'hr2 draft', 'open', 'published', 'unpublished']);
  });

  it('are seen by an hr_admin when they made the cycle or read some of its records', async () => {
    expect(await cycles('hr')).toEqual(['hr draft', 'open', 'published', 'unpublished']);
    expect(await cycles('hr2')).toEqual(['hr2 draft']);
  });

  it('are not seen through a draft made before its maker lost the hr_admin role', async () => {
    w.as.demoted = w.principal(id('hr'), 'member');
    expect(await cycles('demoted')).toEqual(['open', 'published', 'unpublished']);
  });

  it('are seen by managers, facilitators and published people through the records they read', async () => {
    expect(await cycles('boss')).toEqual(['open', 'published', 'unpublished']);
    expect(await cycles('fac')).toEqual(['open']);
    expect(await cycles('emp')).toEqual(['published']);
  });

  it('are not seen by org admins or strangers', async () => {
    expect(await cycles('admin')).toEqual([]);
    expect(await cycles('outsider')).toEqual([]);
    expect(await cycles('big')).toEqual([]);
  });
});

describe('managing a population', () => {
  const everyone = { audience: 'everyone' as const, ids: [] };

  it('is left to super admins anywhere', async () => {
    await expect(assertManagesPopulation(w.db, w.operator, everyone)).resolves.toBeUndefined();
  });

  it('is refused to an org admin and a member, in those words', async () => {
    for (const name of ['admin', 'outsider'])
      await expect(assertManagesPopulation(w.db, who(name), everyone)).rejects.toThrow(
        new AppError('insufficient_access', 'Only super admins and HR admins manage calibration.'),
      );
  });

  it('is left to an hr_admin whose scope holds every active person of it', async () => {
    const { added } = await syncCycle(w.db, who('hr'), cycle.open ?? 0);
    expect(added).toBe(0);
  });

  it('is refused to an hr_admin when some of it is outside their scope, saying how many', async () => {
    // Everyone: root and the six of Sales are outside hr's scope.
    await expect(cycleOf(who('hr'), 'too wide', { audience: 'everyone' })).rejects.toThrow(
      '7 person(s) of this population are outside your HR scope; a super admin manages it.',
    );
    await expect(assertManagesPopulation(w.db, who('hr2'), everyone)).rejects.toThrow(
      '4 person(s) of this population are outside your HR scope; a super admin manages it.',
    );
  });
});
