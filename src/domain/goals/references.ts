import type { CompiledQuery, Kysely, RawBuilder } from 'kysely';
import { prepareOnServer } from '../../db/prepared.js';
import type { DB, Mode } from '../../db/schema.js';
import type { Principal } from '../access/principal.js';
import { AppError, notFound } from '../errors.js';
import { inTenant, type Tenant } from '../tenant.js';
import { ancestorIds, type GoalRow, lockAlignment, lockGoal, selectGoals } from './repo.js';
import { assertCanWriteGoal, visibleGoalSql } from './visibility.js';

const invalid = (description: string) => new AppError('invalid_operation', description);

type Table = 'users' | 'teams' | 'departments' | 'periods';
const NOUN: Record<Table, string> = {
  users: 'User',
  teams: 'Team',
  departments: 'Department',
  periods: 'Period',
};

/** The first of `ids` that names no row of `table` in the tenant, if any. */
async function firstMissing(db: Kysely<DB>, t: Tenant, table: Table, ids: number[]) {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return undefined;
  const rows = await db
    .selectFrom(table as 'users')
    .select('id')
    .where(inTenant(t))
    .where('id', 'in', wanted)
    .execute();
  const found = new Set(rows.map((r) => r.id));
  return wanted.find((id) => !found.has(id));
}

/** Refuses a write that names a user, team, department or period the tenant does not have. */
export async function assertExist(db: Kysely<DB>, t: Tenant, table: Table, ids: (number | null)[]) {
  const missing = await firstMissing(
    db,
    t,
    table,
    ids.filter((id): id is number => id !== null),
  );
  if (missing !== undefined) throw invalid(`${NOUN[table]} ${missing} does not exist.`);
}

/** A goal the principal can see, or undefined: the one lookup behind every read of a single goal. */
export async function findVisibleGoal(
  db: Kysely<DB>,
  p: Principal,
  id: number | RawBuilder<number>,
): Promise<GoalRow | undefined> {
  const visible = visibleGoalSql(p);
  if (!visible && typeof id === 'number') return findGoal(db, p, id);
  let q = selectGoals(db, p).where('goals.id', '=', id);
  if (visible) q = q.where(visible);
  // Prepared on PostgreSQL: every goal route and check-in reads one goal, and planning the goal's lists and
  // the visibility rule costs several times what running them does. Its text varies only with the kind of
  // reader and of `id`, so the session keeps a handful of them.
  const compiled = q.compile();
  prepareOnServer(compiled.sql);
  const { rows } = await db.executeQuery<GoalRow>(compiled);
  return rows[0];
}

/**
 * Stand-ins for the tenant and the goal id in the compiled query, told apart by identity: the call's values
 * replace them. Only the tenant and the id vary, so the text never changes.
 */
const ORG_SLOT = { slot: 'org_id' } as unknown as number;
const MODE_SLOT = { slot: 'mode' } as unknown as Mode;
const ID_SLOT = { slot: 'id' } as unknown as number;
/** Both engines compile with Kysely's PostgreSQL compiler, so one compiled query serves every handle. */
let compiledGoalRead: CompiledQuery<GoalRow> | undefined;

/**
 * A live goal of the tenant by id, whoever may see it: for principals who see every goal (org admins), the
 * query behind most of their single-goal reads and every check-in. Building and compiling its 25 columns and
 * four list subqueries cost more Node time than running it; it is compiled once, and prepared once per
 * PostgreSQL connection.
 */
async function findGoal(db: Kysely<DB>, t: Tenant, id: number): Promise<GoalRow | undefined> {
  if (!compiledGoalRead) {
    const compiled = selectGoals(db, { orgId: ORG_SLOT, mode: MODE_SLOT })
      .where('goals.id', '=', ID_SLOT)
      .compile();
    if (![ORG_SLOT, MODE_SLOT, ID_SLOT].every((slot) => compiled.parameters.includes(slot))) {
      throw new Error('The goal read lost one of its parameters.');
    }
    prepareOnServer(compiled.sql);
    compiledGoalRead = compiled;
  }
  const values = new Map<unknown, unknown>([
    [ORG_SLOT, t.orgId],
    [MODE_SLOT, t.mode],
    [ID_SLOT, id],
  ]);
  const parameters = compiledGoalRead.parameters.map((v) => (values.has(v) ? values.get(v) : v));
  const { rows } = await db.executeQuery<GoalRow>({ ...compiledGoalRead, parameters });
  return rows[0];
}

/** A visible goal the principal may change, its row locked for the rest of the transaction. */
export async function writableGoal(db: Kysely<DB>, p: Principal, id: number) {
  const goal = await findVisibleGoal(db, p, id);
  if (!goal) throw notFound('goal');
  await lockGoal(db, p, id);
  await assertCanWriteGoal(db, p, goal);
  return goal;
}

/**
 * A parent must be a goal the principal can see, and must not sit under the goal itself. The alignment
 * lock is taken first, so that two concurrent moves cannot each pass this check and form a cycle.
 */
export async function assertValidParent(
  db: Kysely<DB>,
  p: Principal,
  goalId: number | null,
  parentId: number,
) {
  await lockAlignment(db, p);
  const parent = await findVisibleGoal(db, p, parentId);
  if (!parent) throw invalid(`Parent goal ${parentId} does not exist.`);
  if (goalId === null) return;
  if (parentId === goalId || (await ancestorIds(db, p, parentId)).includes(goalId)) {
    throw invalid(
      'The goal cannot be aligned under itself or one of its own children: it would make a cycle.',
    );
  }
}
