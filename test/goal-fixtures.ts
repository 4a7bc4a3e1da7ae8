import { afterAll, beforeAll, expect } from 'vitest';
import type { Mode, TeamRole } from '../src/db/schema.js';
import { getHrScope, replaceHrScope } from '../src/domain/access/hr-scopes.js';
import { operatorPrincipal } from '../src/domain/access/principal.js';
import { createDepartment as newDepartment } from '../src/domain/departments/service.js';
import { createTeam as newTeam, removeTeamMember, setTeamMember } from '../src/domain/teams/service.js';
import { type Member, type Org, startTestApp, type TestApp } from './harness.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Goal fixtures through the API; teams, departments and HR scopes through the directory services. */
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

  /** A goal of the org's admin with a milestone per target, each from 0, owned by `ownerId`: their ids in order. */
  const ownedMilestones = async (org: Org, ownerId: number, targets: Record<string, number>) => {
    const milestones = Object.entries(targets).map(([name, target_value]) => ({
      name,
      start_value: 0,
      target_value,
      owner_user_id: ownerId,
    }));
    const goal = await createGoal(org.key, { name: 'Metrics', owner_user_id: org.adminId, milestones });
    return (goal.milestones as { id: number }[]).map((m) => m.id);
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

  /** The organisation's super admin, as the CLI acts: no key, recorded in the audit log. */
  const operator = (org: Org, mode: Mode = 'live') => operatorPrincipal(org.orgId, org.adminId, mode);

  const createTeam = async (org: Org, name: string, members: [number, TeamRole][], mode: Mode = 'live') => {
    const p = operator(org, mode);
    const team = await newTeam(t.db, p, { name, kind: 'functional' });
    for (const [userId, role] of members) await setTeamMember(t.db, p, { teamId: team.id, userId }, role);
    return team.id;
  };

  const joinTeam = (org: Org, teamId: number, userId: number, role: TeamRole) =>
    setTeamMember(t.db, operator(org), { teamId, userId }, role);
  const leaveTeam = (org: Org, teamId: number, userId: number) =>
    removeTeamMember(t.db, operator(org), { teamId, userId });

  const createDepartment = async (org: Org, name: string, parentId: number | null = null) =>
    (await newDepartment(t.db, operator(org), { name, parent_id: parentId })).id;

  /** Adds a department to the ones a person covers as hr_admin. */
  const scopeHrAdmin = async (org: Org, userId: number, departmentId: number) => {
    const p = operator(org);
    const scope = await getHrScope(t.db, p, userId);
    await replaceHrScope(t.db, p, userId, {
      department_ids: [...scope.department_ids, departmentId],
      group_ids: scope.group_ids,
    });
  };

  return {
    call,
    createGoal,
    ownedMilestones,
    getGoal,
    goalStatus,
    listedGoalIds,
    checkIn,
    createPeriod,
    goalCount,
    createTeam,
    joinTeam,
    leaveTeam,
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
