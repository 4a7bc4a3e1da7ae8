import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkedStep, checkInAtOnce, writeAtOnce } from '../src/domain/goals/checkin-at-once.js';
import { checkInMilestone, listMilestoneCheckins } from '../src/domain/goals/checkins.js';
import { createMilestone, updateMilestone } from '../src/domain/goals/milestones.js';
import { createGoal, getGoal, updateGoal } from '../src/domain/goals/service.js';
import { type BareWorld, bareWorld } from './bare-world.js';

// The one-round-trip check-in (docs/goals.md, Roll-up) against the general path it stands in for: the same
// answer, the same audit rows and outbox events, and nothing written when what it checked has moved.

let w: BareWorld;
const DATES = { starts_on: '2026-01-01', ends_on: '2099-12-31' };

beforeAll(async () => {
  w = await bareWorld('At once');
  await w.person('owner', 'member');
});
afterAll(async () => {
  await w?.close();
});

/** Three goals, each rolling up from the one below and a sibling at 50%; the lowest holds one milestone. */
async function chain(name: string) {
  const p = w.who('owner');
  let parent: number | null = null;
  for (const level of ['top', 'mid']) {
    const goal = await createGoal(w.db, p, {
      name: `${name} ${level}`,
      parent_id: parent,
      progress_source: 'children',
      ...DATES,
    });
    parent = goal.id;
    const sibling = await createGoal(w.db, p, {
      name: `${name} ${level} sibling`,
      parent_id: parent,
      ...DATES,
    });
    await createMilestone(w.db, p, sibling.id, {
      name: 'Half',
      start_value: 0,
      target_value: 2,
      current_value: 1,
    });
  }
  const leaf = await createGoal(w.db, p, { name: `${name} leaf`, parent_id: parent, ...DATES });
  const m = await createMilestone(w.db, p, leaf.id, { name: 'Sales', start_value: 0, target_value: 30 });
  return { leaf: leaf.id, milestone: m.id, top: leaf.id };
}

/** The rows a check-in left in the audit log and the outbox, without their ids, times and the chain's ids. */
async function recorded(since: number, until: number, ids: Map<number, string>) {
  const name = (id: unknown) => ids.get(Number(id)) ?? 'other';
  const audit = await w.db
    .selectFrom('audit_events')
    .select(['action', 'object_type', 'object_id', 'changes', 'actor_user_id', 'request_id'])
    .where('id', '>', since)
    .where('id', '<=', until)
    .orderBy('id')
    .execute();
  const events = await w.db
    .selectFrom('events')
    .select(['type', 'object_id', 'payload'])
    .where('id', '>', since)
    .where('id', '<=', until)
    .orderBy('id')
    .execute();
  const plain = (changes: unknown) => {
    const { checkin_id, ...rest } = changes as Record<string, unknown>;
    return { ...rest, ...(checkin_id !== undefined && { checkin_id: typeof checkin_id }) };
  };
  return {
    audit: audit.map((r) => ({ ...r, object_id: name(r.object_id), changes: plain(r.changes) })),
    events: events.map((e) => {
      const payload = e.payload as Record<string, unknown>;
      return {
        ...e,
        object_id: name(e.object_id),
        payload: { ...payload, id: name(payload.id), changes: plain(payload.changes) },
      };
    }),
  };
}

/** The newest id given to an audit row or an event (they share one sequence). */
const lastId = async () => {
  const newest = async (table: 'audit_events' | 'events') =>
    Number(
      (
        await w.db
          .selectFrom(table)
          .select((eb) => eb.fn.max('id').as('id'))
          .executeTakeFirst()
      )?.id ?? 0,
    );
  return Math.max(await newest('audit_events'), await newest('events'));
};

describe('a check-in at once', () => {
  it('answers and records what the general path does', async () => {
    const a = await chain('A');
    const b = await chain('B');
    const p = { ...w.who('owner'), requestId: 'req-twin' };
    const input = { value: 10, comment: 'ten', confidence: 0.7 };
    const beforeA = await lastId();
    const fast = await checkInAtOnce(w.db, p, a.milestone, input);
    expect(fast).toBeDefined();
    const beforeB = await lastId();
    const general = await w.db.transaction().execute((trx) => checkInMilestone(trx, p, b.milestone, input));
    const afterB = await lastId();

    const goalOf = (answer: NonNullable<typeof fast>) => {
      const { id, name, parent_id, milestones, created_at, updated_at, last_checkin_at, ...rest } =
        answer.goal as unknown as Record<string, unknown> & { milestones: Record<string, unknown>[] };
      return {
        ...rest,
        milestones: milestones.map(
          ({ id: _, goal_id, created_at: c, updated_at: u, last_checkin_at: l, ...m }) => m,
        ),
      };
    };
    expect(fast && goalOf(fast)).toEqual(goalOf(general));
    const checkinOf = ({
      id,
      goal_id,
      milestone_id,
      checked_in_at,
      created_at,
      ...rest
    }: Record<string, unknown>) => rest;
    expect(checkinOf(fast?.checkin ?? {})).toEqual(checkinOf(general.checkin));
    expect(fast?.checkin.checked_in_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const ids = async (c: Awaited<ReturnType<typeof chain>>) => {
      const leaf = await getGoal(w.db, w.who('owner'), c.leaf);
      const mid = leaf.parent_id ?? 0;
      const top = (await getGoal(w.db, w.who('owner'), mid)).parent_id ?? 0;
      return new Map([
        [c.milestone, 'milestone'],
        [c.leaf, 'leaf'],
        [mid, 'mid'],
        [top, 'top'],
      ]);
    };
    const fastRows = await recorded(beforeA, beforeB, await ids(a));
    const generalRows = await recorded(beforeB, afterB, await ids(b));
    expect(fastRows.audit.map((r) => `${r.action} ${r.object_id}`)).toEqual([
      'milestone.checked_in milestone',
      'goal.progress_changed leaf',
      'goal.progress_changed mid',
      'goal.progress_changed top',
    ]);
    expect(fastRows).toEqual(generalRows);
  });

  it('writes any text given exactly, quotes and backslashes included', async () => {
    const { milestone } = await chain('Text');
    const comment = `it's "quoted" \\ back\\slash $1 $lock -- not a comment; '); drop table goals; -- é ✓ 😀`;
    expect(await checkInAtOnce(w.db, w.who('owner'), milestone, { value: 3, comment })).toBeDefined();
    const page = await listMilestoneCheckins(w.db, w.who('owner'), milestone, { limit: 10 });
    expect(page.rows.map((r) => r.comment)).toEqual([comment]);
  });

  it('leaves to the general path what it does not take', async () => {
    const { milestone } = await chain('Others');
    const p = w.who('owner');
    expect(await checkInAtOnce(w.db, p, milestone, { add: 1 })).toBeUndefined();
    expect(await checkInAtOnce(w.db, p, milestone, { comment: 'only words' })).toBeUndefined();
    expect(
      await checkInAtOnce(w.db, p, milestone, { value: 1, checked_in_at: new Date().toISOString() }),
    ).toBeUndefined();
    expect(
      await w.db.transaction().execute((trx) => checkInAtOnce(trx, p, milestone, { value: 1 })),
    ).toBeUndefined();
    expect(await checkInAtOnce(w.db, w.who('root'), milestone + 1_000_000, { value: 1 })).toBeUndefined();
    const page = await listMilestoneCheckins(w.db, p, milestone, { limit: 10 });
    expect(page.rows).toEqual([]);
  });

  it('writes nothing when what it checked moved before the lock', async () => {
    const { milestone, leaf } = await chain('Moved');
    const p = w.who('owner');
    const step = await checkedStep(w.db, p, milestone, { value: 15 });
    expect(step).toBeDefined();
    if (!step) return;
    await updateMilestone(w.db, p, milestone, { target_value: 60 });
    const before = await lastId();
    expect(await writeAtOnce(w.db, p, step)).toBeUndefined();
    expect(await lastId()).toBe(before);
    expect((await listMilestoneCheckins(w.db, p, milestone, { limit: 10 })).rows).toEqual([]);
    expect((await getGoal(w.db, p, leaf)).progress).toBe(0);
    // So does a change to the goal the checks read: here its dates.
    const later = await checkedStep(w.db, p, milestone, { value: 15 });
    if (!later) throw new Error('the check-in should take the one-call path');
    await updateGoal(w.db, p, leaf, { ends_on: '2099-06-30' });
    expect(await writeAtOnce(w.db, p, later)).toBeUndefined();
    expect((await listMilestoneCheckins(w.db, p, milestone, { limit: 10 })).rows).toEqual([]);
    // The general path then checks in against the milestone as it now stands: 15 of 60.
    const { goal } = await checkInMilestone(w.db, p, milestone, { value: 15 });
    expect(goal.milestones[0]?.progress).toBe(25);
  });
});
