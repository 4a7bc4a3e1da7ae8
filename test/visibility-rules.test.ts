import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replaceHrScope } from '../src/domain/access/hr-scopes.js';
import { createDepartment } from '../src/domain/departments/service.js';
import { AppError } from '../src/domain/errors.js';
import { createMilestone, updateMilestone } from '../src/domain/goals/milestones.js';
import { createGoal, updateGoal, visibleGoalNames } from '../src/domain/goals/service.js';
import { createTeam, setTeamMember } from '../src/domain/teams/service.js';
import { type BareWorld, bareWorld } from './bare-world.js';

/**
 * Who sees and changes a goal (goals/visibility.ts), through the goal services over a migrated database and
 * no app, so that mutation testing can run this suite once per mutant (docs/testing.md). goal-visibility,
 * goal-owners and rules-pinned-access pin the same through HTTP. boss manages owner; hr covers owner's
 * department; lead leads the team; stranger is none of these.
 */
let w: BareWorld;
let privateGoal: number;
let teamGoal: number;

const DATES = { starts_on: '2026-01-01', ends_on: '2026-12-31' };

beforeAll(async () => {
  w = await bareWorld('Visible');
  const { as, operator, person, principal } = w;
  const dept = (await createDepartment(w.db, operator, { name: 'Ops', parent_id: null })).id;
  const boss = await person('boss', 'member');
  await person('owner', 'member', { manager_id: boss, department_id: dept });
  await person('hr', 'hr_admin');
  await person('lead', 'member');
  await person('stranger', 'member');
  await person('admin', 'admin');
  await person('data', 'member');
  as.data = principal(as.data?.userId ?? 0, 'member', true);
  await replaceHrScope(w.db, operator, as.hr?.userId ?? 0, { department_ids: [dept], group_ids: [] });
  const team = await createTeam(w.db, operator, { name: 'Crew', kind: 'functional' });
  await setTeamMember(w.db, operator, { teamId: team.id, userId: as.lead?.userId ?? 0 }, 'owner');
  privateGoal = (await createGoal(w.db, who('owner'), { name: 'Secret', visibility: 'private', ...DATES }))
    .id;
  teamGoal = (
    await createGoal(w.db, operator, {
      name: 'Crew goal',
      goal_type: 'team',
      owner_team_id: team.id,
      owner_user_id: null,
      visibility: 'private',
      ...DATES,
    })
  ).id;
});
afterAll(async () => {
  await w?.close();
});

const who = (name: string) => w.who(name);

/** The people, among those named, who see the goal. */
async function seeing(goalId: number, names: string[]) {
  const seen: string[] = [];
  for (const name of names)
    if ((await visibleGoalNames(w.db, who(name), [goalId])).has(goalId)) seen.push(name);
  return seen;
}

/** The people, among those named, whose rename of the goal goes through. */
async function changing(goalId: number, names: string[]) {
  const changed: string[] = [];
  for (const name of names) {
    try {
      await updateGoal(w.db, who(name), goalId, { name: `Renamed by ${name}` });
      changed.push(name);
    } catch (error) {
      // Refused as not there when they cannot see it, as not theirs to change when they can.
      if (!(error instanceof AppError) || error.code === 'invalid_operation') throw error;
      if (error.code === 'insufficient_access') expect(error.message).toBe('You cannot change this goal.');
    }
  }
  return changed;
}

const EVERYONE = ['owner', 'boss', 'hr', 'lead', 'stranger', 'admin', 'data'];

describe('a private goal', () => {
  it("is seen by its owner, the owner's managers, an hr_admin covering them and org admins only", async () => {
    expect(await seeing(privateGoal, EVERYONE)).toEqual(['owner', 'boss', 'hr', 'admin', 'data']);
  });

  it('is not seen through a scope its holder keeps after losing the hr_admin role', async () => {
    // A demoted hr_admin's scope is kept, unused, until the role returns (docs/directory.md).
    w.as.demoted = w.principal(who('hr').userId, 'member');
    expect(await seeing(privateGoal, ['demoted', 'stranger'])).toEqual([]);
  });

  it("is changed by its owner, the owner's managers and org admins only", async () => {
    expect(await changing(privateGoal, EVERYONE)).toEqual(['owner', 'boss', 'admin', 'data']);
  });
});

describe("a team's goal", () => {
  it("is changed by the team's lead and org admins, not by others", async () => {
    expect(await changing(teamGoal, ['lead', 'stranger', 'owner', 'admin'])).toEqual(['lead', 'admin']);
  });
});

describe('owners', () => {
  const goalFor = (by: string, owner: string) =>
    createGoal(w.db, who(by), {
      name: `${owner} by ${by}`,
      owner_user_id: who(owner).userId,
      ...DATES,
    });

  it("lets a manager set a report's goal, refuses a stranger in the owner rule's words", async () => {
    await expect(goalFor('boss', 'owner')).resolves.toMatchObject({ owner_user_id: who('owner').userId });
    await expect(goalFor('stranger', 'owner')).rejects.toThrow(
      'You can set goals for yourself, your reports and teams you lead.',
    );
  });

  it('keeps company goals to org admins', async () => {
    const company = (by: string) =>
      createGoal(w.db, who(by), {
        name: 'Company',
        goal_type: 'company',
        owner_user_id: null,
        ...DATES,
      });
    await expect(company('boss')).rejects.toThrow('Only admins set company and department goals.');
    await expect(company('admin')).resolves.toMatchObject({ goal_type: 'company' });
  });
});

describe('a milestone', () => {
  it('is updated by its own owner, and by those who change the goal, not by others', async () => {
    const goal = await createGoal(w.db, who('owner'), {
      name: 'Open',
      visibility: 'public',
      ...DATES,
    });
    const milestone = await createMilestone(w.db, who('owner'), goal.id, {
      name: 'Step',
      owner_user_id: who('stranger').userId,
    });
    const rename = (name: string) => updateMilestone(w.db, who(name), milestone.id, { name: `by ${name}` });
    await expect(rename('stranger')).resolves.toMatchObject({ name: 'by stranger' });
    await expect(rename('owner')).resolves.toMatchObject({ name: 'by owner' });
    await expect(rename('lead')).rejects.toThrow('You cannot change this goal.');
  });
});
