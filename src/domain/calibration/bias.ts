import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Principal } from '../access/principal.js';
import { AppError, notFound } from '../errors.js';
import * as repo from './bias-repo.js';
import * as cycleRepo from './cycle-repo.js';
import { assertSeesCycle } from './cycles.js';
import { countOf, trueOf } from './record-repo.js';
import { getSession } from './sessions.js';

/**
 * The bias views (issue 15 item 4, docs/calibration.md): the distribution of ratings by a grouping against
 * the target, and the movement from proposed to calibrated by manager. Aggregates over the records the
 * caller sees, counting only the values they may read record by record; the rest are `withheld`.
 */

export type { Grouping, Rating, Stage } from './bias-repo.js';

export interface DistributionQuery {
  by: repo.Grouping;
  rating: repo.Rating;
  stage: repo.Stage;
  session_id?: number | undefined;
}

type Settings = NonNullable<Awaited<ReturnType<typeof cycleRepo.findCycleSettings>>>;

/** The cycle's settings, before the caller's reach is known: nothing of them is answered until it is. */
async function settingsOf(db: Kysely<DB>, p: Principal, cycleId: number) {
  const settings = await cycleRepo.findCycleSettings(db, p, cycleId);
  if (!settings) throw notFound('calibration cycle');
  return settings;
}

/**
 * 404 for a cycle or session the caller does not see. Rows counted over its records show that they see
 * some (and so the cycle, and a session those records are in); only an empty answer asks the rules again.
 */
async function assertSeesScope(db: Kysely<DB>, p: Principal, scope: repo.Scope, sawRecords: boolean) {
  if (sawRecords) return;
  if (scope.sessionId === undefined) await assertSeesCycle(db, p, scope.cycleId, false);
  else await getSession(db, p, scope.cycleId, scope.sessionId);
}

function assertGrouping(by: repo.Grouping, settings: Settings) {
  if (by.kind === 'custom' && !settings.talent_fields.some((f) => f.key === by.key))
    throw new AppError(
      'invalid_operation',
      `by: "${by.key}" is not a talent field of this cycle (its fields: ${
        settings.talent_fields.map((f) => f.key).join(', ') || 'none'
      }).`,
    );
}

interface Tally {
  counts: number[];
  rated: number;
  unrated: number;
  total: number;
}
const emptyTally = (levels: string[]): Tally => ({
  counts: levels.map(() => 0),
  rated: 0,
  unrated: 0,
  total: 0,
});

function add(t: Tally, levels: string[], level: string | null, n: number) {
  const i = level === null ? -1 : levels.indexOf(level);
  if (i >= 0) {
    t.counts[i] = (t.counts[i] ?? 0) + n;
    t.rated += n;
  } else t.unrated += n;
  t.total += n;
}

const percent = (n: number, of: number) => Math.round((n * 1000) / of) / 10;

/** Percent per level of the rated records, the target beside it, and actual minus target. */
function againstTarget(t: Tally, target: number[] | null) {
  const percents = t.rated === 0 ? null : t.counts.map((n) => percent(n, t.rated));
  const difference =
    percents && target ? percents.map((v, i) => Math.round((v - (target[i] ?? 0)) * 10) / 10) : null;
  return { ...t, percents, target, difference };
}

const keyOf = (by: repo.Grouping, key: string | null) =>
  key !== null && (by.kind === 'department' || by.kind === 'manager') ? Number(key) : key;

export async function distribution(db: Kysely<DB>, p: Principal, cycleId: number, q: DistributionQuery) {
  const cycle = await settingsOf(db, p, cycleId);
  const scope = { cycleId, sessionId: q.session_id };
  const rows = await repo.selectDistribution(db, p, scope, { ...q, closed: cycle.state === 'closed' });
  await assertSeesScope(db, p, scope, rows.length > 0);
  assertGrouping(q.by, cycle);
  const levels = q.rating === 'performance' ? cycle.performance_levels : cycle.potential_levels;
  const groups = new Map<string | null, Tally & { key: string | number | null; label: string | null }>();
  const overall = emptyTally(levels);
  let withheld = 0;
  for (const row of rows) {
    const n = countOf(row.n);
    if (!trueOf(row.counted)) {
      withheld += n;
      continue;
    }
    let group = groups.get(row.key);
    if (!group) {
      group = { key: keyOf(q.by, row.key), label: row.label, ...emptyTally(levels) };
      groups.set(row.key, group);
    }
    add(group, levels, row.level, n);
    add(overall, levels, row.level, n);
  }
  const target = q.rating === 'performance' ? cycle.target_distribution : null;
  return {
    cycle_id: cycleId,
    session_id: q.session_id ?? null,
    rating: q.rating,
    stage: q.stage,
    levels,
    groups: [...groups.values()].sort(byLabel),
    overall: againstTarget(overall, target),
    withheld,
  };
}

/** Groups by label (or key), the group of records with none last. */
function byLabel(a: { key: unknown; label: string | null }, b: { key: unknown; label: string | null }) {
  const name = (g: { key: unknown; label: string | null }) =>
    g.label ?? (g.key === null ? null : String(g.key));
  const [x, y] = [name(a), name(b)];
  if (x === y) return 0;
  if (x === null) return 1;
  if (y === null) return -1;
  return x.localeCompare(y, 'en');
}

const MOVES = ['up', 'down', 'same', 'unproposed', 'not_calibrated'] as const;
type Moves = Record<(typeof MOVES)[number], number>;
const movesOf = (row: Record<string, unknown>, rating: repo.Rating): Moves =>
  Object.fromEntries(MOVES.map((m) => [m, countOf(row[`${rating}_${m}`])])) as Moves;
const sum = (a: Moves, b: Moves): Moves => Object.fromEntries(MOVES.map((m) => [m, a[m] + b[m]])) as Moves;
const noMoves = (): Moves => ({ up: 0, down: 0, same: 0, unproposed: 0, not_calibrated: 0 });

export async function movement(db: Kysely<DB>, p: Principal, cycleId: number, sessionId?: number) {
  const cycle = await settingsOf(db, p, cycleId);
  const scope = { cycleId, sessionId };
  const scales = { performance: cycle.performance_levels, potential: cycle.potential_levels };
  const rows = await repo.selectMovement(db, p, scope, scales);
  await assertSeesScope(db, p, scope, rows.length > 0);
  const totals = { total: 0, performance: noMoves(), potential: noMoves() };
  let withheld = 0;
  const managers = [];
  for (const row of rows) {
    const n = countOf(row.n);
    if (!trueOf(row.counted)) {
      withheld += n;
      continue;
    }
    const group = {
      manager_id: row.manager_id === null ? null : Number(row.manager_id),
      label: row.label,
      total: n,
      performance: movesOf(row, 'performance'),
      potential: movesOf(row, 'potential'),
    };
    managers.push(group);
    totals.total += n;
    totals.performance = sum(totals.performance, group.performance);
    totals.potential = sum(totals.potential, group.potential);
  }
  managers.sort((a, b) =>
    byLabel({ key: a.manager_id, label: a.label }, { key: b.manager_id, label: b.label }),
  );
  return { cycle_id: cycleId, session_id: sessionId ?? null, managers, totals, withheld };
}
