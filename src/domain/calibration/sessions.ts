import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { gates, pass } from '../access/policy.js';
import type { Principal } from '../access/principal.js';
import { recordChange } from '../changes.js';
import { AppError, notFound } from '../errors.js';
import { type PageRequest, paginate } from '../paging.js';
import { inTenant } from '../tenant.js';
import { inTransaction } from '../transactions.js';
import { assertManagesPopulation } from './access.js';
import * as cycleRepo from './cycle-repo.js';
import { getCycle } from './cycles.js';

export interface NewSession {
  name: string;
  participant_ids: number[];
  facilitator_ids: number[];
}

function selectSessions(db: Kysely<DB>, p: Principal, cycleId: number) {
  return db
    .selectFrom('calibration_sessions as s')
    .select([
      's.id',
      's.cycle_id',
      's.name',
      sql<number[]>`coalesce((select json_agg(r.user_id order by r.user_id) from calibration_talent_records r
        where r.org_id = s.org_id and r.mode = s.mode and r.session_id = s.id), '[]')`.as('participant_ids'),
      sql<
        number[]
      >`coalesce((select json_agg(f.user_id order by f.user_id) from calibration_session_facilitators f
        where f.org_id = s.org_id and f.mode = s.mode and f.session_id = s.id), '[]')`.as('facilitator_ids'),
      's.created_at',
      's.updated_at',
    ])
    .where(inTenant(p, 's'))
    .where('s.cycle_id', '=', cycleId);
}

/** Sessions of a cycle the caller sees; the people in them are visible to its managers and facilitators. */
export async function listSessions(db: Kysely<DB>, p: Principal, cycleId: number, page: PageRequest) {
  await getCycle(db, p, cycleId);
  return paginate(selectSessions(db, p, cycleId), 's.id', page);
}

export async function getSession(db: Kysely<DB>, p: Principal, cycleId: number, id: number) {
  await getCycle(db, p, cycleId);
  const row = await selectSessions(db, p, cycleId).where('s.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('calibration session');
  return row;
}

/**
 * Locks a cycle for a change to its sessions: the caller manages it, and it is open (a draft has no
 * records to split yet; a locked or closed cycle no longer changes).
 */
export async function lockOpenCycle(trx: Transaction<DB>, p: Principal, cycleId: number) {
  const c = await cycleRepo.lockCycle(trx, p, cycleId);
  if (!c) throw notFound('calibration cycle');
  await assertManagesPopulation(trx, p, { audience: c.audience, ids: c.audience_ids });
  if (c.state === 'draft')
    throw new AppError(
      'invalid_operation',
      'Open the cycle first: sessions split its talent records, made when it opens.',
    );
  if (c.state !== 'open')
    throw new AppError('calibration_cycle_locked', `The cycle is ${c.state}: its sessions no longer change.`);
  return c;
}

const list = (ids: number[]) => `${ids.join(', ')} ${ids.length > 1 ? 'are' : 'is'}`;

/** Facilitators are active people of the organisation: a deactivated one calibrates nobody. */
export async function assertFacilitators(trx: Transaction<DB>, p: Principal, facilitators: number[]) {
  if (facilitators.length === 0) return;
  const found = await trx
    .selectFrom('users')
    .select(['id', 'status'])
    .where(inTenant(p))
    .where('id', 'in', facilitators)
    .execute();
  const status = new Map(found.map((u) => [Number(u.id), u.status]));
  const missing = facilitators.filter((u) => !status.has(u));
  if (missing.length > 0)
    throw new AppError('invalid_operation', `facilitator_ids: ${list(missing)} not in the organisation.`);
  const inactive = facilitators.filter((u) => status.get(u) !== 'active');
  if (inactive.length > 0)
    throw new AppError('invalid_operation', `facilitator_ids: ${list(inactive)} deactivated.`);
}

/** Nobody facilitates their own calibration. */
export function assertNotBoth(participants: number[], facilitators: number[]) {
  const both = facilitators.filter((f) => participants.includes(f));
  if (both.length > 0)
    throw new AppError('invalid_operation', `${both.join(', ')}: nobody facilitates their own calibration.`);
}

/** Participants hold a talent record in the cycle and are in no session but `sessionId` (if any). */
export async function assertParticipants(
  trx: Transaction<DB>,
  p: Principal,
  cycleId: number,
  participants: number[],
  sessionId: number | null,
) {
  const records = await trx
    .selectFrom('calibration_talent_records')
    .select(['user_id', 'session_id'])
    .where(inTenant(p))
    .where('cycle_id', '=', cycleId)
    .where('user_id', 'in', participants)
    .execute();
  const found = new Map(records.map((r) => [r.user_id, r.session_id]));
  const outside = participants.filter((u) => !found.has(u));
  if (outside.length > 0)
    throw new AppError(
      'invalid_operation',
      `participant_ids: ${list(outside)} not in the cycle's population.`,
    );
  const taken = participants.filter((u) => ![null, sessionId].includes(found.get(u) ?? null));
  if (taken.length > 0)
    throw new AppError('invalid_operation', `participant_ids: ${list(taken)} already in another session.`);
}

/** Points the participants' records at the session. */
export const joinSession = (
  trx: Transaction<DB>,
  p: Principal,
  cycleId: number,
  id: number,
  people: number[],
) =>
  trx
    .updateTable('calibration_talent_records')
    .set({ session_id: id, updated_at: new Date() })
    .where(inTenant(p))
    .where('cycle_id', '=', cycleId)
    .where('user_id', 'in', people)
    .execute();

export async function addFacilitators(trx: Transaction<DB>, p: Principal, id: number, people: number[]) {
  if (people.length === 0) return;
  await trx
    .insertInto('calibration_session_facilitators')
    .values(people.map((u) => ({ org_id: p.orgId, mode: p.mode, session_id: id, user_id: u })))
    .execute();
}

/**
 * Splits an open cycle's population: participants are people with a talent record in the cycle and in no
 * other session; facilitators are active people who are not among the participants (nobody calibrates
 * themselves).
 */
export async function createSession(db: Kysely<DB>, p: Principal, cycleId: number, input: NewSession) {
  pass(p, gates.manageCalibration);
  await getCycle(db, p, cycleId);
  const id = await inTransaction(db, async (trx) => {
    await lockOpenCycle(trx, p, cycleId);
    const participants = [...new Set(input.participant_ids)];
    const facilitators = [...new Set(input.facilitator_ids)];
    assertNotBoth(participants, facilitators);
    await assertFacilitators(trx, p, facilitators);
    await assertParticipants(trx, p, cycleId, participants, null);
    const { id } = await trx
      .insertInto('calibration_sessions')
      .values({ org_id: p.orgId, mode: p.mode, cycle_id: cycleId, name: input.name })
      .returning('id')
      .executeTakeFirstOrThrow();
    await joinSession(trx, p, cycleId, id, participants);
    await addFacilitators(trx, p, id, facilitators);
    await recordChange(trx, p, 'calibration_session.created', id, { cycle_id: cycleId, ...input });
    return id;
  });
  return getSession(db, p, cycleId, id);
}

export const uniqueConstraints = {
  calibration_sessions_name: 'A session with this name already exists in the cycle.',
};
