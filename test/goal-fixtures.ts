import { expect } from 'vitest';
import type { Mode, TeamRole } from '../src/db/schema.js';
import type { Org, TestApp } from './harness.js';

/** Goal fixtures through the API, plus directory rows the directory services do not create yet. */
export function goalFixtures(t: TestApp) {
  const call = (
    key: string,
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    payload?: object,
  ) => t.request(key, { method, url, ...(payload && { payload }) });

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

  return { call, createGoal, getGoal, goalStatus, listedGoalIds, createTeam, createDepartment, scopeHrAdmin };
}
