import { afterAll, beforeAll, expect } from 'vitest';
import type { Mode, TeamRole } from '../src/db/schema.js';
import { type Member, type Org, startTestApp, type TestApp } from './harness.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Goal fixtures through the API, plus directory rows the directory services do not create yet. */
export function goalFixtures(t: TestApp) {
  const call = (key: string, method: Method, url: string, payload?: object) =>
    t.request(key, { method, url, ...(payload && { payload }) });

  const createGoal = async (key: string, body: Record<string, unknown>) => {
    const res = await call(key, 'POST', '/v1/goals', {
      starts_on: '2020-01-01',
      ends_on: '2099-12-31',
      ...body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().data;
  };

  const getGoal = async (key: string, id: number) => (await call(key, 'GET', `/v1/goals/${id}`)).json().data;
  /** The status a key gets for one goal: 200 when it may see it, 404 when not. */
  const goalStatus = async (key: string, id: number) =>
    (await call(key, 'GET', `/v1/goals/${id}`)).statusCode;
  /** The ids of the goals a key lists (one page of 100), with extra query parameters. */
  const listedGoalIds = async (key: string, query = ''): Promise<number[]> =>
    (await call(key, 'GET', `/v1/goals?size=100${query}`)).json().data.map((g: { id: number }) => g.id);

  const checkIn = (key: string, milestoneId: number, body: object) =>
    call(key, 'POST', `/v1/milestones/${milestoneId}/checkins`, body);

  /** A period created through the API (201 checked), as the key's holder. */
  const createPeriod = async (key: string, body: Record<string, unknown>) => {
    const res = await call(key, 'POST', '/v1/periods', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json().data;
  };

  /** How many goals the organisation has in the database, deleted ones included. */
  const goalCount = async (org: Org) =>
    Number(
      (
        await t.db
          .selectFrom('goals')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('org_id', '=', org.orgId)
          .executeTakeFirstOrThrow()
      ).n,
    );

  const createTeam = async (org: Org, name: string, members: [number, TeamRole][], mode: Mode = 'live') => {
    const team = await t.db
      .insertInto('teams')
      .values({ org_id: org.orgId, mode, name, kind: 'functional' })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const [userId, role] of members) {
      await t.db
        .insertInto('team_members')
        .values({ org_id: org.orgId, mode, team_id: team.id, user_id: userId, team_role: role })
        .execute();
    }
    return team.id;
  };

  const createDepartment = async (org: Org, name: string, parentId: number | null = null) =>
    (
      await t.db
        .insertInto('departments')
        .values({ org_id: org.orgId, mode: 'live', name, parent_id: parentId })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;

  const scopeHrAdmin = async (org: Org, userId: number, departmentId: number) => {
    await t.db
      .insertInto('hr_admin_scopes')
      .values({
        org_id: org.orgId,
        mode: 'live',
        user_id: userId,
        scope_type: 'department',
        scope_id: departmentId,
      })
      .execute();
  };

  return {
    call,
    createGoal,
    getGoal,
    goalStatus,
    listedGoalIds,
    checkIn,
    createPeriod,
    goalCount,
    createTeam,
    createDepartment,
    scopeHrAdmin,
  };
}

export type GoalFixtures = ReturnType<typeof goalFixtures>;

type MemberOptions = NonNullable<Parameters<TestApp['createMember']>[1]>;
interface PeriodInput {
  name: string;
  starts_on: string;
  ends_on: string;
  [field: string]: unknown;
}
type Period = PeriodInput & { id: number };

export interface GoalWorldOptions<M extends string, P extends string> {
  /**
   * Members to create, in this order, by name: their options, or a function of the members made before
   * (for a manager_id, say).
   */
  members?: Record<M, MemberOptions | ((made: Record<M, Member>) => MemberOptions)>;
  /** Periods to create through the API, by name. */
  periods?: Record<P, PeriodInput>;
}

/**
 * The world a goal suite stands in, built once per file before its first test and closed after its last:
 * a fresh app and database (`t`), an organisation (`org`: its super admin's key is org.key), the goal
 * fixtures (`f`), and the members and periods the suite names. Every object handed back is filled in by
 * the suite's beforeAll, so a suite takes them apart at its top level:
 *
 *   const { t, org, f, members: { owner } } = useGoalWorld({ members: { owner: {} } });
 *
 * A suite's own beforeAll, registered after this call, runs after the world is built.
 */
export function useGoalWorld<M extends string = never, P extends string = never>(
  options: GoalWorldOptions<M, P> = {},
) {
  const t = {} as TestApp;
  const org = {} as Org;
  const f = {} as GoalFixtures;
  const names = <K extends string>(record: Record<K, unknown> | undefined) =>
    Object.keys(record ?? {}) as K[];
  const members = Object.fromEntries(names(options.members).map((name) => [name, {}])) as Record<M, Member>;
  const periods = Object.fromEntries(names(options.periods).map((name) => [name, {}])) as Record<P, Period>;

  beforeAll(async () => {
    Object.assign(t, await startTestApp());
    Object.assign(org, await t.createOrg());
    Object.assign(f, goalFixtures(t));
    for (const name of names<M>(options.members)) {
      const spec = (
        options.members as Record<M, MemberOptions | ((made: Record<M, Member>) => MemberOptions)>
      )[name];
      Object.assign(
        members[name],
        await t.createMember(org, typeof spec === 'function' ? spec(members) : spec),
      );
    }
    for (const name of names<P>(options.periods)) {
      const input = (options.periods as Record<P, PeriodInput>)[name];
      Object.assign(periods[name], await f.createPeriod(org.key, input));
    }
  });
  // t has no close when the world could not be built: vitest reports that failure, not this one.
  afterAll(() => t.close?.());

  return {
    t,
    org,
    f,
    members,
    periods,
    /** A check-in on a milestone through the API, as the key's holder. */
    checkIn: (key: string, milestoneId: number, body: object) => f.checkIn(key, milestoneId, body),
    /** How many goals the world's organisation has, deleted ones included. */
    goalCount: () => f.goalCount(org),
  };
}
