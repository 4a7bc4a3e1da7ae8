import { type Kysely, sql } from 'kysely';
import { momentOf } from '../../db/connect.js';
import type { DB } from '../../db/schema.js';
import { lockResult, writeAfterLock } from '../../db/write-after-lock.js';
import type { Principal } from '../access/principal.js';
import { recordEventsSql } from '../changes.js';
import { AppError } from '../errors.js';
import { chainCte, chainLockStatement } from './chain-lock.js';
import { type CheckinRow, checkinColumns } from './checkin-repo.js';
import { dayOf, periodClosedReasons, refuseClosedUnlessAllowed, rowClosedReasons } from './checkin-rules.js';
import { type MilestoneRow, milestonesOf } from './milestone-repo.js';
import { milestoneProgress } from './progress.js';
import { findVisibleGoal } from './references.js';
import type { GoalRow } from './repo.js';
import { type RolledRow, rolledUp, upCte, writeUp } from './rollup.js';
import type { CheckInInput } from './types.js';
import { goalView } from './views.js';
import { assertCanWriteMilestone } from './visibility.js';

/**
 * The common check-in, a value given now on one milestone, with the chain's locks held for one round trip
 * (docs/goals.md, Roll-up): everything is read and checked first, without locks; then `writeAfterLock` locks
 * the chain and, in the same call, writes the check-in, the milestone, the roll-up, the audit rows and the
 * outbox events, on the condition that what the checks read still holds. Anything else (an `add`, a date, a
 * comment alone, a bulk upload's transaction, a refusal, a condition that moved) returns undefined and takes
 * checkInMilestone's general path, which reads under the lock and gives every error.
 */
export async function checkInAtOnce(db: Kysely<DB>, p: Principal, milestoneId: number, input: CheckInInput) {
  const step = await checkedStep(db, p, milestoneId, input);
  return step && writeAtOnce(db, p, step);
}

/** The reads and checks, without locks: undefined when the check-in is not one this path takes. */
export async function checkedStep(
  db: Kysely<DB>,
  p: Principal,
  milestoneId: number,
  input: CheckInInput,
): Promise<Step | undefined> {
  const value = input.value;
  if (db.isTransaction || value === undefined || input.add !== undefined || input.checked_in_at) return;
  const goalOf = sql<number>`(select goal_id from milestones where org_id = ${p.orgId} and mode = ${p.mode}
    and id = ${milestoneId} and deleted_at is null)`;
  const goal = await findVisibleGoal(db, p, goalOf);
  if (!goal) return;
  const milestones = await milestonesOf(db, p, [goal.id]);
  const m = milestones.find((row) => row.id === milestoneId);
  if (!m || (m.unit === 'binary' && value !== 0 && value !== 1)) return;
  const day = dayOf(new Date());
  try {
    await assertCanWriteMilestone(db, p, goal, m);
    const periodReasons = await periodClosedReasons(db, p, goal.period_id, day);
    const reasons = refuseClosedUnlessAllowed([...rowClosedReasons(goal, m, day), ...periodReasons], input);
    const progress = milestoneProgress({ ...m, current_value: value });
    return { goal, milestones, m, day, value, progress, reasons, input };
  } catch (error) {
    if (error instanceof AppError) return; // the general path decides, under the lock
    throw error;
  }
}

/** The lock and every write in one call: undefined, with nothing written, when what was checked moved. */
export async function writeAtOnce(db: Kysely<DB>, p: Principal, step: Step) {
  const { goal, milestones } = step;
  const written = await writeAfterLock<Written>(
    db,
    sql`with locked as (${chainLockStatement(p, { goalId: goal.id })}) select json_agg(id) from locked`,
    writeStatement(p, step),
  );
  if (!written) return;
  const checkin = momentsOf(written.checkin, ['checked_in_at', 'created_at']) as CheckinRow;
  const fresh = new Map(written.milestones.map((row) => [row.id, momentsOf(row, MOMENTS)]));
  const views = milestones.map((row) => Object.assign(row, fresh.get(row.id)));
  const rolled = rolledUp(written.rolled.map((row) => momentsOf(row, MOMENTS) as unknown as RolledRow));
  if (rolled.goal) Object.assign(goal, rolled.goal);
  return { checkin, goal: goalView(goal, views, new Date()) };
}

interface Written {
  checkin: Record<string, unknown>;
  milestones: (Record<string, unknown> & { id: number })[];
  rolled: Record<string, unknown>[];
}

const MOMENTS = ['last_checkin_at', 'updated_at'];

/** json writes moments in ISO 8601 with microseconds and an offset: as the drivers' moments, through momentOf. */
function momentsOf(row: Record<string, unknown>, keys: string[]) {
  for (const key of keys) if (typeof row[key] === 'string') row[key] = momentOf(row[key]);
  return row;
}

export interface Step {
  goal: GoalRow;
  milestones: MilestoneRow[];
  m: MilestoneRow;
  day: string;
  value: number;
  progress: number;
  reasons: string[];
  input: CheckInInput;
}

/**
 * What the checks read, as it must still stand under the lock: the goal's fields that decide access, its
 * dates and status; the milestone's metric, owner and status; the day; no check-in dated after this one
 * giving the value (or the confidence, when given); and the chain the walk will take, every goal of it locked.
 */
function unchanged(p: Principal, { goal, m, day, input }: Step) {
  const g = goal;
  const later = (column: 'value' | 'confidence') => sql`exists (select 1 from checkins k
    where k.org_id = ${p.orgId} and k.mode = ${p.mode} and k.milestone_id = m.id
      and ${sql.ref(`k.${column}`)} is not null and k.checked_in_at > (select at from clock))`;
  return sql<boolean>`(g.visibility, g.owner_user_id, g.owner_team_id, g.owner_department_id, g.goal_type,
      g.period_id, g.status, g.starts_on, g.ends_on)
    is not distinct from (${g.visibility}::text, ${g.owner_user_id}::bigint, ${g.owner_team_id}::bigint,
      ${g.owner_department_id}::bigint, ${g.goal_type}::text, ${g.period_id}::bigint, ${g.status}::text,
      ${g.starts_on}::date, ${g.ends_on}::date)
    and (m.goal_id, m.unit, m.direction, m.start_value, m.target_value, m.range_red, m.owner_user_id, m.status)
    is not distinct from (${m.goal_id}::bigint, ${m.unit}::text, ${m.direction}::text, ${m.start_value}::numeric,
      ${m.target_value}::numeric, ${m.range_red}::numeric, ${m.owner_user_id}::bigint, ${m.status}::text)
    and ((select at from clock) at time zone 'UTC')::date = ${day}::date
    and not ${later('value')} ${input.confidence === undefined ? sql`` : sql`and not ${later('confidence')}`}
    and not exists (select 1 from chain where chain.id::text not in
      (select json_array_elements_text(${lockResult})))`;
}

/** The json the write answers: the check-in, the goal's milestones as they stand, the roll-up's rows. */
function writeStatement(p: Principal, step: Step) {
  const { goal, m, value, progress, reasons, input } = step;
  const t = (alias: string) =>
    sql`${sql.ref(`${alias}.org_id`)} = ${p.orgId} and ${sql.ref(`${alias}.mode`)} = ${p.mode}`;
  const at = sql<Date>`(select at from clock)`;
  const latestConfidence = sql`(select k.confidence from checkins k where k.org_id = ${p.orgId}
    and k.mode = ${p.mode} and k.milestone_id = ms.id and k.confidence is not null
    order by k.checked_in_at desc, k.id desc limit 1)`;
  const closed = reasons.length > 0 ? { allow_closed_period: true, closed_reasons: reasons } : {};
  return sql`with recursive
    clock as materialized (select clock_timestamp() as at),
    ${chainCte(p, sql`${goal.id}`)},
    target as materialized (select m.id, m.goal_id, m.current_value, m.progress from milestones m
      join goals g on g.org_id = m.org_id and g.mode = m.mode and g.id = m.goal_id and g.deleted_at is null
      where ${t('m')} and m.id = ${m.id} and m.deleted_at is null and ${unchanged(p, step)}),
    inserted as (insert into checkins (org_id, mode, goal_id, milestone_id, user_id, api_key_id, request_id,
        value, comment, confidence, closed_period_override, checked_in_at)
      select ${p.orgId}, ${p.mode}, target.goal_id, target.id, ${p.userId}, ${p.apiKeyId}, ${p.requestId},
        ${value}, ${input.comment ?? null}, ${input.confidence ?? null}, ${reasons.length > 0}, ${at}
      from target
      returning ${sql.join(checkinColumns.map((c) => sql.ref(c)))}),
    applied as (update milestones ms set current_value = ${value}, progress = ${progress},
        confidence = coalesce(${input.confidence ?? null}::numeric, ${latestConfidence}, ms.confidence),
        last_checkin_at = greatest((select max(k.checked_in_at) from checkins k where k.org_id = ${p.orgId}
          and k.mode = ${p.mode} and k.milestone_id = ms.id), ${at}),
        updated_at = ${new Date()}
      from target where ${t('ms')} and ms.id = target.id
      returning ms.id, ms.current_value, ms.progress, ms.confidence, ms.last_checkin_at, ms.updated_at),
    ${upCte(p, goal.id, { id: m.id, progress }, sql`exists (select 1 from target)`)},
    rolled as (${writeUp(p, at, sql``, sql``)}),
    ${recordEventsSql(p, [
      {
        event: 'milestone.checked_in',
        rows: sql`select t.id as object_id, ${closed}::jsonb || jsonb_build_object('checkin_id', i.id,
          'current_value', jsonb_build_object('from', t.current_value::float8, 'to', ${value}::float8),
          'progress', jsonb_build_object('from', t.progress::float8, 'to', ${progress}::float8)) as changes
          from inserted i, target t`,
      },
      {
        event: 'goal.progress_changed',
        rows: sql`select r.id as object_id, jsonb_build_object('progress', jsonb_build_object('from',
          r.was::float8, 'to', r.becomes::float8)) as changes from rolled r where r.becomes <> r.was
          order by r.depth`,
      },
    ])}
    select case when exists (select 1 from target) then json_build_object(
      'checkin', (select row_to_json(i) from inserted i),
      'milestones', (select json_agg(x) from (select * from applied union all
        select ms.id, ms.current_value, ms.progress, ms.confidence, ms.last_checkin_at, ms.updated_at
        from milestones ms where ${t('ms')} and ms.goal_id = ${goal.id} and ms.id <> ${m.id}
          and ms.deleted_at is null) x),
      'rolled', (select json_agg(r) from rolled r)) end`;
}
