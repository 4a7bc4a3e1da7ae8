import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { gates, pass } from '../access/policy.js';
import type { Principal } from '../access/principal.js';
import { recordChange } from '../changes.js';
import { notFound } from '../errors.js';
import { inTenant } from '../tenant.js';
import { inTransaction } from '../transactions.js';
import { getCycle } from './cycles.js';
import {
  addFacilitators,
  assertFacilitators,
  assertNotBoth,
  assertParticipants,
  getSession,
  joinSession,
  lockOpenCycle,
} from './sessions.js';

/** A session's rename and its replaced lists; a list given replaces the session's whole list. */
export interface SessionChange {
  name?: string | undefined;
  participant_ids?: number[] | undefined;
  facilitator_ids?: number[] | undefined;
}

/** The session's people as they stand, inside the command's transaction. */
async function peopleOf(trx: Transaction<DB>, p: Principal, cycleId: number, id: number) {
  const session = await trx
    .selectFrom('calibration_sessions')
    .select('id')
    .where(inTenant(p))
    .where('cycle_id', '=', cycleId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!session) throw notFound('calibration session');
  const records = await trx
    .selectFrom('calibration_talent_records')
    .select('user_id')
    .where(inTenant(p))
    .where('session_id', '=', id)
    .execute();
  const facilitators = await trx
    .selectFrom('calibration_session_facilitators')
    .select('user_id')
    .where(inTenant(p))
    .where('session_id', '=', id)
    .execute();
  return { participants: records.map((r) => r.user_id), facilitators: facilitators.map((f) => f.user_id) };
}

/** Sends the session's records back to no session. */
const leaveSession = (trx: Transaction<DB>, p: Principal, id: number) =>
  trx
    .updateTable('calibration_talent_records')
    .set({ session_id: null, updated_at: new Date() })
    .where(inTenant(p))
    .where('session_id', '=', id)
    .execute();

const dropFacilitators = (trx: Transaction<DB>, p: Principal, id: number) =>
  trx
    .deleteFrom('calibration_session_facilitators')
    .where(inTenant(p))
    .where('session_id', '=', id)
    .execute();

/**
 * Renames a session or replaces its participants or facilitators, by the rules of creation: participants
 * hold a record in the cycle and sit in no other session, facilitators are active, nobody is both.
 * Participants left out return to no session.
 */
export async function updateSession(
  db: Kysely<DB>,
  p: Principal,
  cycleId: number,
  id: number,
  change: SessionChange,
) {
  pass(p, gates.manageCalibration);
  await getCycle(db, p, cycleId);
  await inTransaction(db, async (trx) => {
    await lockOpenCycle(trx, p, cycleId);
    const now = await peopleOf(trx, p, cycleId, id);
    const participants = change.participant_ids ? [...new Set(change.participant_ids)] : now.participants;
    const facilitators = change.facilitator_ids ? [...new Set(change.facilitator_ids)] : now.facilitators;
    assertNotBoth(participants, facilitators);
    if (change.facilitator_ids) await assertFacilitators(trx, p, facilitators);
    if (change.participant_ids) {
      await assertParticipants(trx, p, cycleId, participants, id);
      await leaveSession(trx, p, id);
      await joinSession(trx, p, cycleId, id, participants);
    }
    if (change.facilitator_ids) {
      await dropFacilitators(trx, p, id);
      await addFacilitators(trx, p, id, facilitators);
    }
    await trx
      .updateTable('calibration_sessions')
      .set({ ...(change.name !== undefined && { name: change.name }), updated_at: new Date() })
      .where(inTenant(p))
      .where('id', '=', id)
      .execute();
    await recordChange(trx, p, 'calibration_session.updated', id, { cycle_id: cycleId, ...change });
  });
  return getSession(db, p, cycleId, id);
}

/** Deletes a session of an open cycle; its people's records return to no session, their values kept. */
export async function deleteSession(db: Kysely<DB>, p: Principal, cycleId: number, id: number) {
  pass(p, gates.manageCalibration);
  const before = await getSession(db, p, cycleId, id);
  await inTransaction(db, async (trx) => {
    await lockOpenCycle(trx, p, cycleId);
    const now = await peopleOf(trx, p, cycleId, id);
    await leaveSession(trx, p, id);
    await dropFacilitators(trx, p, id);
    await trx.deleteFrom('calibration_sessions').where(inTenant(p)).where('id', '=', id).execute();
    await recordChange(trx, p, 'calibration_session.deleted', id, {
      cycle_id: cycleId,
      name: before.name,
      participant_ids: now.participants,
      facilitator_ids: now.facilitators,
    });
  });
}
