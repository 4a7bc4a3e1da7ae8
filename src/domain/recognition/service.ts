import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { authorize, policy } from '../access/policy.js';
import type { Principal } from '../access/principal.js';
import { diff } from '../audit/service.js';
import { recordChange } from '../changes.js';
import { statusesOf, teamMemberIds } from '../directory/members.js';
import { AppError, notFound } from '../errors.js';
import { visibleGoalNames } from '../goals/service.js';
import { type PageRequest, paginate } from '../paging.js';
import { getPeriod } from '../periods/service.js';
import { getTeam } from '../teams/service.js';
import { inTenant } from '../tenant.js';
import { inTransaction } from '../transactions.js';
import { normaliseHashtag, recognitionHashtags } from './hashtags.js';
import * as repo from './repo.js';
import {
  EDIT_WINDOW_MS,
  type NewRecognition,
  type RecognitionFields,
  type RecognitionFilters,
} from './types.js';
import { findCompanyValue } from './values.js';

const invalid = (description: string) => new AppError('invalid_operation', description);

/** A recognition as its reader may see it: the related goal only when the reader may see that goal. */
export type RecognitionView = Omit<repo.RecognitionRow, 'goal_id'> & {
  related_goal: { id: number; name: string } | null;
};

async function views(db: Kysely<DB>, p: Principal, rows: repo.RecognitionRow[]): Promise<RecognitionView[]> {
  const goalIds = rows.map((r) => r.goal_id).filter((id): id is number => id !== null);
  const names = await visibleGoalNames(db, p, goalIds);
  return rows.map(({ goal_id, ...row }) => {
    const name = goal_id === null ? undefined : names.get(goal_id);
    return { ...row, related_goal: goal_id !== null && name !== undefined ? { id: goal_id, name } : null };
  });
}

export async function listRecognitions(
  db: Kysely<DB>,
  p: Principal,
  f: RecognitionFilters,
  page: PageRequest,
) {
  let q = repo.visibleRecognitions(db, p);
  const has = (table: string, column: string, value: unknown) =>
    sql<boolean>`exists (select 1 from ${sql.table(table)} x where x.org_id = r.org_id and x.mode = r.mode
      and x.recognition_id = r.id and ${sql.ref(`x.${column}`)} = ${value})`;
  if (f.receiver_id !== undefined) q = q.where(has('recognition_receivers', 'user_id', f.receiver_id));
  if (f.giver_id !== undefined) q = q.where('r.giver_user_id', '=', f.giver_id);
  if (f.hashtag !== undefined)
    q = q.where(has('recognition_hashtags', 'hashtag', normaliseHashtag(f.hashtag)));
  if (f.company_value_id !== undefined) q = q.where('r.company_value_id', '=', f.company_value_id);
  if (f.department_id !== undefined) {
    q = q.where(sql<boolean>`exists (select 1 from recognition_receivers x join users u
      on u.org_id = x.org_id and u.mode = x.mode and u.id = x.user_id
      where x.org_id = r.org_id and x.mode = r.mode and x.recognition_id = r.id
      and u.department_id = ${f.department_id})`);
  }
  if (f.period_id !== undefined) {
    const period = await getPeriod(db, p, f.period_id);
    q = q
      .where('r.created_at', '>=', `${period.starts_on}T00:00:00Z`)
      .where(sql<boolean>`r.created_at < ${period.ends_on}::date + 1`);
  }
  if (f.created_from) q = q.where('r.created_at', '>=', f.created_from);
  if (f.created_to) q = q.where('r.created_at', '<', f.created_to);
  // Newest first, as a feed reads; the id breaks ties between recognitions given in the same instant.
  const found = await paginate(q, 'r.id', page, 'r.created_at');
  return { ...found, rows: await views(db, p, found.rows) };
}

export async function getRecognition(db: Kysely<DB>, p: Principal, id: number) {
  const row = await repo.findVisibleRecognition(db, p, id);
  if (!row) throw notFound('recognition');
  const [view] = await views(db, p, [row]);
  return view as RecognitionView;
}

/** The receivers a write names: people, and a team's members; each must be active and not the giver. */
async function resolveReceivers(trx: Transaction<DB>, p: Principal, input: NewRecognition) {
  const ids = [...(input.receiver_ids ?? [])];
  if (input.team_id !== undefined) {
    await getTeam(trx, p, input.team_id);
    // Someone giving recognition to their own team thanks the others: the giver is left out.
    ids.push(...(await teamMemberIds(trx, p, input.team_id)).filter((id) => id !== p.userId));
  }
  const receivers = [...new Set(ids)].sort((a, b) => a - b);
  if (receivers.length === 0) throw invalid('A recognition needs at least one receiver.');
  if (receivers.includes(p.userId)) throw invalid('Nobody can recognise themselves.');
  const statuses = await statusesOf(trx, p, receivers);
  for (const id of receivers) {
    const status = statuses.get(id);
    if (status === undefined) throw invalid(`User ${id} does not exist.`);
    if (status !== 'active') throw invalid(`User ${id} is deactivated and cannot be recognised.`);
  }
  return receivers;
}

/** A company value must be a current one; a related goal one the giver may see. */
async function checkReferences(db: Kysely<DB>, p: Principal, f: RecognitionFields) {
  if (f.company_value_id != null && !(await findCompanyValue(db, p, f.company_value_id))) {
    throw invalid(`Company value ${f.company_value_id} does not exist.`);
  }
  if (f.goal_id != null && !(await visibleGoalNames(db, p, [f.goal_id])).has(f.goal_id)) {
    throw invalid(`Goal ${f.goal_id} does not exist.`);
  }
}

export async function createRecognition(db: Kysely<DB>, p: Principal, input: NewRecognition, now: Date) {
  const hashtags = recognitionHashtags(input.message, input.hashtags);
  const id = await inTransaction(db, async (trx) => {
    const receivers = await resolveReceivers(trx, p, input);
    await checkReferences(trx, p, input);
    const { id } = await trx
      .insertInto('recognitions')
      .values({
        org_id: p.orgId,
        mode: p.mode,
        giver_user_id: p.userId,
        message: input.message,
        visibility: input.visibility ?? 'public',
        company_value_id: input.company_value_id ?? null,
        goal_id: input.goal_id ?? null,
        team_id: input.team_id ?? null,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('recognition_receivers')
      .values(receivers.map((user_id) => ({ org_id: p.orgId, mode: p.mode, recognition_id: id, user_id })))
      .execute();
    await repo.replaceHashtags(trx, p, id, hashtags);
    const { receiver_ids: _given, ...rest } = input;
    await recordChange(trx, p, 'recognition.created', id, { ...rest, receiver_ids: receivers, hashtags });
    return id;
  });
  return getRecognition(db, p, id);
}

/** The giver edits within 24 hours of giving; receivers stay as they were given. */
export async function updateRecognition(
  db: Kysely<DB>,
  p: Principal,
  id: number,
  fields: RecognitionFields,
  now: Date,
) {
  await inTransaction(db, async (trx) => {
    await repo.lockRecognition(trx, p, id);
    const before = await repo.findVisibleRecognition(trx, p, id);
    if (!before) throw notFound('recognition');
    authorize(before.giver_user_id === p.userId, 'Only the giver can edit a recognition.');
    if (now.getTime() - Date.parse(before.created_at) > EDIT_WINDOW_MS) {
      throw invalid('A recognition can be edited only within 24 hours of being given.');
    }
    await checkReferences(trx, p, fields);
    const message = fields.message ?? before.message;
    const hashtagsChange = fields.message !== undefined || fields.hashtags !== undefined;
    const hashtags = hashtagsChange ? recognitionHashtags(message, fields.hashtags) : before.hashtags;
    const { hashtags: _h, ...columns } = fields;
    const changes = diff(before as unknown as Record<string, unknown>, { ...columns, hashtags });
    // An edit that changes nothing writes nothing, as the other areas' updates do.
    if (Object.keys(changes).length === 0) return;
    await trx
      .updateTable('recognitions')
      .set({ ...columns, updated_at: now })
      .where(inTenant(p))
      .where('id', '=', id)
      .execute();
    if (hashtagsChange) await repo.replaceHashtags(trx, p, id, hashtags);
    await recordChange(trx, p, 'recognition.updated', id, changes);
  });
  return getRecognition(db, p, id);
}

/** The giver or an org admin deletes; the row stays (soft delete) and the audit row keeps what it said. */
export async function deleteRecognition(db: Kysely<DB>, p: Principal, id: number) {
  await inTransaction(db, async (trx) => {
    await repo.lockRecognition(trx, p, id);
    const before = await repo.findVisibleRecognition(trx, p, id);
    if (!before) throw notFound('recognition');
    authorize(
      before.giver_user_id === p.userId || policy.moderateRecognition(p),
      'Only the giver or an admin can delete a recognition.',
    );
    await trx
      .updateTable('recognitions')
      .set({ deleted_at: new Date() })
      .where(inTenant(p))
      .where('id', '=', id)
      .execute();
    await recordChange(trx, p, 'recognition.deleted', id, {
      giver_user_id: before.giver_user_id,
      receiver_ids: before.receiver_ids,
      message: before.message,
      hashtags: before.hashtags,
      visibility: before.visibility,
    });
  });
}
