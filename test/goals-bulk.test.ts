import { describe, expect, it } from 'vitest';
import { useGoalWorld } from './goal-fixtures.js';

const {
  t,
  org,
  f,
  goalCount,
  members: { sam },
} = useGoalWorld({
  members: { sam: {} },
  periods: { fy2027: { name: 'FY2027', starts_on: '2027-01-01', ends_on: '2027-12-31' } },
});

const upload = (key: string, rows: object[], mode?: string, headers: Record<string, string> = {}) =>
  t.request(key, {
    method: 'POST',
    url: '/v1/goals/bulk',
    payload: { ...(mode && { mode }), rows },
    headers,
  });
const uploadCsv = (key: string, csv: string, query = '') =>
  t.request(key, {
    method: 'POST',
    url: `/v1/goals/bulk${query}`,
    payload: csv,
    headers: { 'content-type': 'text/csv' },
  });
const dates = { start_date: '2027-01-01', end_date: '2027-06-30' };

describe('bulk goal upload', () => {
  it('creates goals with their milestones, alignment, period, categories and progress from JSON', async () => {
    const res = await upload(org.key, [
      { type: 'goal', key: 'top', name: 'Grow the business', period: 'FY2027', goal_type: 'company' },
      {
        type: 'goal',
        key: 'sales',
        name: 'Double sales',
        parent_key: 'top',
        ...dates,
        categories: ['Sales'],
      },
      { type: 'milestone', name: 'New logos', progress: 50 },
      {
        type: 'milestone',
        name: 'ARR',
        start_value: 10,
        target_value: 20,
        current_value: 12,
        owner_email: sam.email,
      },
      {
        type: 'goal',
        name: "Sam's goal",
        owner_email: sam.email,
        ...dates,
        progress: 30,
        description: 'Mine',
      },
    ]);
    expect(res.statusCode, res.body).toBe(201);
    const result = res.json().data;
    expect(result).toMatchObject({ created_goals: 3, created_milestones: 2, failed: 0, errors: [] });
    const [top, sales, own] = result.goals;
    expect(result.goals.map((g: { row: number; key: string | null }) => [g.row, g.key])).toEqual([
      [1, 'top'],
      [2, 'sales'],
      [5, null],
    ]);
    const topGoal = await f.getGoal(org.key, top.id);
    expect(topGoal).toMatchObject({ goal_type: 'company', starts_on: '2027-01-01', ends_on: '2027-12-31' });
    const salesGoal = await f.getGoal(org.key, sales.id);
    expect(salesGoal).toMatchObject({ parent_id: top.id, categories: ['Sales'], owner_user_id: org.adminId });
    expect(salesGoal.milestones).toMatchObject([
      { name: 'New logos', unit: 'percent', current_value: 50, progress: 50 },
      { name: 'ARR', current_value: 12, progress: 20, owner_user_id: sam.id },
    ]);
    expect(salesGoal.progress).toBe(35);
    // A milestone's owner takes part in the goal, as with one milestone created on its own.
    expect(salesGoal.contributors).toEqual([{ user_id: sam.id, can_edit: false }]);
    const ownGoal = await f.getGoal(sam.key, own.id);
    expect(ownGoal).toMatchObject({ owner_user_id: sam.id, progress: 30, description: 'Mine' });
    // A goal's progress without milestones is recorded as a check-in, so that it has a history.
    const checkins = (await f.call(org.key, 'GET', `/v1/goals/${own.id}/checkins`)).json();
    expect(checkins.data).toMatchObject([{ value: 30, user_id: org.adminId }]);
    const history = (await f.call(org.key, 'GET', `/v1/goals/${sales.id}/history`)).json().data;
    expect(history[0]).toMatchObject({ action: 'goal.created', changes: { bulk_upload_row: 2 } });
  });

  it("reads Betterworks' CSV columns, and counts rows as the spreadsheet's lines", async () => {
    const csv = [
      'name,type,progress,start_date,end_date,owner_email,categories,description,key,goal_key',
      `Ship v2,goal,,2027-01-01,2027-03-31,${sam.email},Product;Engineering,"The big one, finally",v2,`,
      'Beta customers,milestone,25,,,,,,,v2',
      'Launch,milestone,100,,,,,,,v2',
    ].join('\n');
    const res = await uploadCsv(org.key, csv);
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().data.goals[0].id;
    const goal = await f.getGoal(org.key, id);
    expect(goal).toMatchObject({
      name: 'Ship v2',
      owner_user_id: sam.id,
      categories: ['Engineering', 'Product'],
      description: 'The big one, finally',
      progress: 62.5,
    });
    const bad = await uploadCsv(org.key, `${csv}\nOrphan,milestone,10,,,,,,,nope`);
    expect(bad.statusCode).toBe(422);
    expect(bad.json().details).toMatchObject([{ row: 5, field: 'goal_key' }]);
    const unknown = await uploadCsv(org.key, 'name,type,colour\nX,goal,red');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error_description).toMatch(/colour/);
  });

  it("takes a goal row's milestones inline in JSON, and fails the whole row for one bad milestone", async () => {
    const res = await upload(
      org.key,
      [
        {
          type: 'goal',
          name: 'Inline',
          ...dates,
          milestones: [
            { name: 'Half', progress: 50 },
            { name: 'Count', start_value: 0, target_value: 8, current_value: 2, owner_email: sam.email },
          ],
        },
        {
          type: 'goal',
          name: 'Inline but bad',
          ...dates,
          milestones: [{ name: 'Fine' }, { name: 'Flat', unit: 'number', start_value: 3, target_value: 3 }],
        },
      ],
      'partial',
    );
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().data).toMatchObject({ created_goals: 1, created_milestones: 2, failed: 1 });
    expect(res.json().data.errors).toMatchObject([{ row: 2, field: 'milestones.1.target_value' }]);
    const goal = await f.getGoal(org.key, res.json().data.goals[0].id);
    expect(goal.milestones.map((m: { progress: number }) => m.progress)).toEqual([50, 25]);
    expect(goal.progress).toBe(37.5);
  });

  it('writes nothing in all_or_nothing mode when any row fails, and says why for each', async () => {
    const before = await goalCount();
    const res = await upload(org.key, [
      { type: 'goal', name: 'Fine', ...dates },
      { type: 'goal', name: 'No dates' },
      { type: 'goal', name: 'Unknown owner', owner_email: 'nobody@example.com', ...dates },
      { type: 'milestone', name: 'Bad metric', unit: 'number', start_value: 5, target_value: 5 },
      { type: 'goal', name: 'Wrong field', colour: 'red', ...dates },
    ]);
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toBe('bulk_rejected');
    expect(res.json().details).toMatchObject([
      { row: 2, field: 'start_date', error: 'missing_required_parameters' },
      { row: 3, field: 'owner_email', error: 'invalid_operation' },
      { row: 4, field: 'goal_key', message: 'Its goal row 3 failed.' },
      { row: 5, field: 'colour', error: 'invalid_parameters' },
    ]);
    expect(await goalCount()).toBe(before);
  });

  it('applies the valid rows in partial mode; a failed goal takes its milestones and children with it', async () => {
    const before = await goalCount();
    const res = await upload(
      org.key,
      [
        { type: 'goal', key: 'a', name: 'Good parent', ...dates },
        { type: 'milestone', name: 'Good milestone', progress: 10 },
        { type: 'goal', key: 'b', name: 'Bad parent', period: 'No such period' },
        { type: 'milestone', name: 'Orphaned', progress: 10 },
        { type: 'goal', name: 'Child of bad', parent_key: 'b', ...dates },
        { type: 'goal', name: 'Child of good', parent_key: 'a', ...dates },
        {
          type: 'goal',
          name: 'Out of period',
          period: 'FY2027',
          start_date: '2026-12-01',
          end_date: '2027-02-01',
        },
      ],
      'partial',
    );
    expect(res.statusCode, res.body).toBe(201);
    const result = res.json().data;
    expect(result).toMatchObject({ created_goals: 2, created_milestones: 1, failed: 4 });
    expect(result.errors.map((e: { row: number; field: string }) => [e.row, e.field])).toEqual([
      [3, 'period'],
      [4, 'goal_key'],
      [5, 'parent_key'],
      [7, 'start_date'],
    ]);
    expect(await goalCount()).toBe(before + 2);
    const child = await f.getGoal(org.key, result.goals[1].id);
    expect(child).toMatchObject({ name: 'Child of good', parent_id: result.goals[0].id });
  });

  it("holds members to the creation rules: their own goals and their reports', never company goals", async () => {
    const boss = await t.createMember(org);
    const report = await t.createMember(org, { fields: { manager_id: boss.id } });
    const res = await upload(
      boss.key,
      [
        { type: 'goal', name: 'Mine', ...dates },
        { type: 'goal', name: 'For my report', owner_email: report.email, ...dates },
        { type: 'goal', name: 'For a peer', owner_email: sam.email, ...dates },
        { type: 'goal', name: 'Company', goal_type: 'company', ...dates },
      ],
      'partial',
    );
    expect(res.statusCode).toBe(201);
    expect(res.json().data.errors).toMatchObject([
      { row: 3, error: 'insufficient_access' },
      { row: 4, field: 'goal_type', error: 'invalid_operation' },
    ]);
    expect(res.json().data.created_goals).toBe(2);
    const hidden = await f.createGoal(sam.key, { name: 'Sam private', visibility: 'private' });
    const parentHidden = await upload(boss.key, [
      { type: 'goal', name: 'x', parent_id: hidden.id, ...dates },
    ]);
    expect(parentHidden.json().details).toMatchObject([{ row: 1, field: 'parent_id' }]);
  });

  it('rolls existing parents that sum up their children once, and accepts 10,000 rows but not one more', async () => {
    const parent = await f.createGoal(org.key, { name: 'Roll-up parent', progress_source: 'children' });
    const res = await upload(org.key, [
      { type: 'goal', name: 'Child 1', parent_id: parent.id, progress: 40, ...dates },
      { type: 'goal', name: 'Child 2', parent_id: parent.id, progress: 80, ...dates },
    ]);
    expect(res.statusCode).toBe(201);
    expect((await f.getGoal(org.key, parent.id)).progress).toBe(60);
    const many = Array.from({ length: 10_001 }, (_, i) => ({ type: 'goal', name: `G${i}`, ...dates }));
    const tooMany = await upload(org.key, many);
    expect(tooMany.statusCode).toBe(400);
    const before = await goalCount();
    const max = await upload(org.key, many.slice(1));
    expect(max.statusCode).toBe(201);
    expect(await goalCount()).toBe(before + 10_000);
  });

  it('replays a retried upload with the same Idempotency-Key instead of creating the goals twice', async () => {
    const rows = [
      { type: 'goal', name: 'Retried', ...dates },
      { type: 'milestone', name: 'Once', progress: 5 },
    ];
    const headers = { 'idempotency-key': 'goal-upload-1' };
    const first = await upload(org.key, rows, undefined, headers);
    expect(first.statusCode).toBe(201);
    const before = await goalCount();
    const retry = await upload(org.key, rows, undefined, headers);
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(first.json());
    expect(await goalCount()).toBe(before);
    const changed = await upload(org.key, [{ ...rows[0], name: 'Other' }], undefined, headers);
    expect(changed.statusCode).toBe(409);
  });
});
