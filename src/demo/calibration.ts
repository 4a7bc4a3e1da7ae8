import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Principal } from '../domain/access/principal.js';
import { createCycle, updateCycle } from '../domain/calibration/cycles.js';
import { listRecords, type RecordChange, updateRecord } from '../domain/calibration/records.js';
import { createSession } from '../domain/calibration/sessions.js';
import { addDays, type Cast } from './cast.js';
import { halfOf } from './goals.js';
import type { DemoPlan, PlannedPerson } from './plan.js';
import type { Random } from './random.js';
import type { IdsOf } from './seed.js';

const PERFORMANCE = [
  '35 - Below Expectations',
  '50 - Meets Expectations',
  '65 - Exceeds Expectations',
  '80 - Outstanding',
];
const POTENTIAL = ['Limited', 'Moderate', 'High'];
const SCALES = { performance_levels: PERFORMANCE, potential_levels: POTENTIAL };
const NOTES = [
  'Strong delivery; the session agreed the rating holds against peers.',
  'Moved after comparing scope with the rest of the group.',
  'Ready for a stretch assignment next half.',
];

/** The departments a session covers, top-level names; their sub-departments come along. */
const SESSIONS = [
  { name: 'Engineering and Product', departments: ['Engineering', 'Product'], head: 'VP of Engineering' },
  { name: 'Go-to-market', departments: ['Sales', 'Marketing', 'Customer Success'], head: 'VP of Sales' },
];

interface Seeding {
  trx: Transaction<DB>;
  actor: Principal;
  cast: Cast;
  rng: Random;
}
type Record = Awaited<ReturnType<typeof listRecords>>['rows'][number];

/**
 * Two calibration cycles, through the calibration services as the people who would act: last half's,
 * closed (its final ratings published to managers), over Product and Finance; this half's, open
 * for everyone, split into sessions facilitated by the HR business partners and department heads, with
 * records unrated, proposed by their manager only, and calibrated.
 */
export async function seedCalibration(
  seeding: Seeding,
  plan: DemoPlan,
  ids: IdsOf,
  today: string,
): Promise<void> {
  const current = halfOf(today);
  const previous = halfOf(addDays(current.starts_on, -1));
  await seedClosedCycle(seeding, previous.name, [ids.deptId('Product'), ids.deptId('Finance')]);
  await seedOpenCycle(seeding, plan, current.name);
}

async function seedClosedCycle(s: Seeding, half: string, departmentIds: number[]) {
  const cycle = await createCycle(s.trx, s.actor, {
    name: `${half} calibration`,
    ...SCALES,
    target_distribution: [10, 55, 25, 10],
    audience: 'departments',
    department_ids: departmentIds,
  });
  const records = await opened(s, cycle.id);
  const [hrbp] = s.cast.byTitle('HR Business Partner');
  const facilitator = hrbp ? s.cast.id(hrbp.ref) : s.cast.id(s.cast.admin.ref);
  const participants = records.map((r) => r.user_id).filter((u) => u !== facilitator);
  await createSession(s.trx, s.actor, cycle.id, {
    name: 'Product and Finance',
    participant_ids: participants,
    facilitator_ids: [facilitator],
  });
  for (const record of records) {
    const proposed = await propose(s, record);
    if (s.rng.chance(0.35) && record.user_id !== facilitator)
      await calibrate(s, facilitator, record, proposed);
  }
  await updateCycle(s.trx, s.actor, cycle.id, { state: 'locked' });
  await updateCycle(s.trx, s.actor, cycle.id, { state: 'closed' });
}

async function seedOpenCycle(s: Seeding, plan: DemoPlan, half: string) {
  const cycle = await createCycle(s.trx, s.actor, {
    name: `${half} calibration`,
    ...SCALES,
    target_distribution: [10, 55, 25, 10],
    audience: 'everyone',
  });
  const records = await opened(s, cycle.id);
  const facilitatorsOf = new Map<number, number[]>();
  const hrbps = s.cast.byTitle('HR Business Partner');
  const topOf = topDepartments(plan);
  for (const [i, session] of SESSIONS.entries()) {
    const hrbp = hrbps[i % Math.max(1, hrbps.length)];
    const facilitators = [s.cast.id(headOf(s.cast, session.head)), ...(hrbp ? [s.cast.id(hrbp.ref)] : [])];
    const participants = records
      .filter((r) => session.departments.includes(topOf(s.cast.byId(r.user_id))))
      .map((r) => r.user_id)
      .filter((u) => !facilitators.includes(u));
    for (const u of participants) facilitatorsOf.set(u, facilitators);
    await createSession(s.trx, s.actor, cycle.id, {
      name: session.name,
      participant_ids: participants,
      facilitator_ids: facilitators,
    });
  }
  // Early days: a sixth of the records have their manager's proposal, half of those in sessions are
  // calibrated too, the rest are unrated (each write is a service call: a sixth keeps the seed quick).
  for (const [i, record] of records.entries()) {
    if (i % 6 !== 0) continue;
    const proposed = await propose(s, record);
    const facilitators = facilitatorsOf.get(record.user_id);
    if (facilitators && i % 12 === 0) await calibrate(s, s.rng.pick(facilitators), record, proposed);
  }
}

/** Opens a cycle and lists the records it made. */
async function opened(s: Seeding, cycleId: number): Promise<Record[]> {
  await updateCycle(s.trx, s.actor, cycleId, { state: 'open' });
  return (await listRecords(s.trx, s.actor, cycleId, {}, { limit: 1000 })).rows;
}

/** The record's manager proposes a rating, mostly around "meets"; the performance level proposed. */
async function propose(s: Seeding, record: Record): Promise<number> {
  const level = weighted(s.rng, [1, 6, 3, 1]);
  if (record.manager_id === null) return level;
  await rate(s, s.cast.as(s.cast.byId(record.manager_id).ref), record, {
    proposed_performance: PERFORMANCE[level] ?? null,
    proposed_potential: POTENTIAL[weighted(s.rng, [2, 5, 3])] ?? null,
  });
  return level;
}

/** A facilitator moves the rating at most one level from the proposal, now and then with a note. */
async function calibrate(s: Seeding, facilitator: number, record: Record, proposed: number) {
  const to = Math.min(PERFORMANCE.length - 1, Math.max(0, proposed + s.rng.int(-1, 1)));
  await rate(s, s.cast.as(s.cast.byId(facilitator).ref), record, {
    calibrated_performance: PERFORMANCE[to] ?? null,
    calibrated_potential: POTENTIAL[weighted(s.rng, [2, 5, 3])] ?? null,
    ...(s.rng.chance(0.4) && { notes: s.rng.pick(NOTES) }),
  });
}

const rate = (s: Seeding, as: Principal, record: Record, change: RecordChange) =>
  updateRecord(s.trx, as, record.cycle_id, record.id, change);

/** An index drawn with the given weights. */
function weighted(rng: Random, weights: number[]): number {
  let left = rng.next() * weights.reduce((a, b) => a + b, 0);
  for (const [i, w] of weights.entries()) {
    left -= w;
    if (left < 0) return i;
  }
  return weights.length - 1;
}

const headOf = (cast: Cast, title: string) => (cast.byTitle(title)[0] as PlannedPerson).ref;

/** A person's top-level department (their department's root below none). */
function topDepartments(plan: DemoPlan) {
  const parent = new Map(plan.departments.map((d) => [d.name, d.parent]));
  return (person: PlannedPerson) => {
    let name = person.department;
    for (let up = parent.get(name); up; up = parent.get(name)) name = up;
    return name;
  };
}
