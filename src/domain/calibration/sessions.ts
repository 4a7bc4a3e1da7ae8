import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { gates, pass } from '../access/policy.js';
import type { Principal } from '../access/principal.js';
import { recordChange } from '../changes.js';
import { missingIds } from '../directory/population.js';
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
 * Splits an open cycle's population: participants are people with a talent record in the cycle and in no
 * other session; facilitators are active people who are not among the participants (nobody calibrates
 * themselves).
 */
export async function createSession(db: Kysely<DB>, p: Principal, cycleId: number, input: NewSession) {
  pass(p, gates.manageCalibration);
  await getCycle(db, p, cycleId);
  const id = await inTransaction(db, async (trx) => {
    const c = await cycleRepo.lockCycle(trx, p, cycleId);
    if (!c) throw notFound('calibration cycle');
    await assertManagesPopulation(trx, p, { audience: c.audience, ids: c.audience_ids });
    if (c.state !== 'open')
      throw new AppError(
        c.state === 'draft' ? 'invalid_operation' : 'calibration_cycle_locked',
        c.state === 'draft'
          ? 'Open the cycle first: sessions split its talent records, made when it opens.'
          : `The cycle is ${c.state}: its sessions no longer change.`,
      );
    const participants = [...new Set(input.participant_ids)];
    const facilitators = [...new Set(input.facilitator_ids)];
    const both = facilitators.filter((f) => participants.includes(f));
    if (both.length > 0)
      throw new AppError(
        'invalid_operation',
        `${both.join(', ')}: nobody facilitates their own calibration.`,
      );
    const missing = await missingIds(trx, p, 'users', facilitators);
    if (missing.length > 0)
      throw new AppError('invalid_operation', `facilitator_ids: ${missing.join(', ')} do(es) not exist.`);
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
        `participant_ids: ${outside.join(', ')} ${outside.length > 1 ? 'are' : 'is'} not in the cycle's population.`,
      );
    const taken = participants.filter((u) => found.get(u) !== null);
    if (taken.length > 0)
      throw new AppError(
        'invalid_operation',
        `participant_ids: ${taken.join(', ')} already in another session.`,
      );
    const { id } = await trx
      .insertInto('calibration_sessions')
      .values({ org_id: p.orgId, mode: p.mode, cycle_id: cycleId, name: input.name })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('calibration_talent_records')
      .set({ session_id: id, updated_at: new Date() })
      .where(inTenant(p))
      .where('cycle_id', '=', cycleId)
      .where('user_id', 'in', participants)
      .execute();
    if (facilitators.length > 0)
      await trx
        .insertInto('calibration_session_facilitators')
        .values(facilitators.map((u) => ({ org_id: p.orgId, mode: p.mode, session_id: id, user_id: u })))
        .execute();
    await recordChange(trx, p, 'calibration_session.created', id, { cycle_id: cycleId, ...input });
    return id;
  });
  return getSession(db, p, cycleId, id);
}

export const uniqueConstraints = {
  calibration_sessions_name: 'A session with this name already exists in the cycle.',
};
