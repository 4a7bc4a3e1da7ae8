import { describe, expect, it } from 'vitest';
import { useGoalWorld } from './goal-fixtures.js';

const {
  org,
  f,
  checkIn,
  members: { goalOwner, milestoneOwner, outsider },
} = useGoalWorld({ members: { goalOwner: {}, milestoneOwner: {}, outsider: {} } });

/** An ISO date `offset` days from today (UTC), so that colour tests hold whenever they run. */
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

const patchMilestone = (key: string, id: number, body: object) =>
  f.call(key, 'PATCH', `/v1/milestones/${id}`, body);
const getMilestone = async (key: string, id: number) =>
  (await f.call(key, 'GET', `/v1/milestones/${id}`)).json().data;
const addMilestone = (key: string, goalId: number, body: object) =>
  f.call(key, 'POST', `/v1/goals/${goalId}/milestones`, body);

describe('PATCH /v1/milestones/{id}', () => {
  it('recomputes the milestone, its goal and a parent rolling up from children when the metric changes', async () => {
    const parent = await f.createGoal(org.key, { name: 'Company plan', progress_source: 'children' });
    await f.createGoal(org.key, { name: 'Idle sibling', parent_id: parent.id });
    const goal = await f.createGoal(goalOwner.key, {
      name: 'Grow usage',
      parent_id: parent.id,
      milestones: [
        { name: 'Active teams', start_value: 0, target_value: 10, current_value: 5 },
        { name: 'Weekly users', start_value: 0, target_value: 100, current_value: 60 },
      ],
    });
    const [teams, users] = goal.milestones;
    expect(goal.progress).toBe(55);
    expect((await f.getGoal(org.key, parent.id)).progress).toBe(27.5);

    const retargeted = await patchMilestone(goalOwner.key, teams.id, { target_value: 20 });
    expect(retargeted.statusCode, retargeted.body).toBe(200);
    expect(retargeted.json().data).toMatchObject({ target_value: 20, current_value: 5, progress: 25 });
    const restarted = await patchMilestone(goalOwner.key, users.id, { start_value: 20 });
    // (60 − 20) / (100 − 20) = 50
    expect(restarted.json().data.progress).toBe(50);
    expect((await f.getGoal(org.key, goal.id)).progress).toBe(37.5);

    const weighted = await patchMilestone(goalOwner.key, teams.id, { weight: 3 });
    expect(weighted.json().data.weight).toBe(3);
    // (25·3 + 50·1) / 4 = 31.25; the parent averages it with the idle sibling at 0.
    expect((await f.getGoal(org.key, goal.id)).progress).toBe(31.25);
    expect((await f.getGoal(org.key, parent.id)).progress).toBe(15.625);
  });

  it('adds a new milestone owner as a contributor, who can then see a private goal', async () => {
    const goal = await f.createGoal(goalOwner.key, {
      name: 'Quiet plan',
      visibility: 'private',
      milestones: [{ name: 'Interviews', target_value: 12 }],
    });
    const m = goal.milestones[0];
    expect(m.owner_user_id).toBe(goalOwner.id);
    expect((await f.call(milestoneOwner.key, 'GET', `/v1/goals/${goal.id}`)).statusCode).toBe(404);
    const res = await patchMilestone(goalOwner.key, m.id, { owner_user_id: milestoneOwner.id });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data.owner_user_id).toBe(milestoneOwner.id);
    const seen = await f.call(milestoneOwner.key, 'GET', `/v1/goals/${goal.id}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json().data.contributors).toEqual([{ user_id: milestoneOwner.id, can_edit: false }]);
  });

  it("lets the milestone's owner edit it but not the goal's other milestones", async () => {
    const goal = await f.createGoal(goalOwner.key, {
      name: 'Shared plan',
      milestones: [
        { name: 'Theirs', target_value: 10, owner_user_id: milestoneOwner.id },
        { name: 'Not theirs', target_value: 10 },
      ],
    });
    const [theirs, notTheirs] = goal.milestones;
    const edited = await patchMilestone(milestoneOwner.key, theirs.id, { name: 'Renamed', target_value: 4 });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json().data).toMatchObject({ name: 'Renamed', target_value: 4 });
    const checked = await checkIn(milestoneOwner.key, theirs.id, { value: 2 });
    expect(checked.statusCode, checked.body).toBe(201);
    expect(checked.json().data.goal.progress).toBe(25);
    const refused = await patchMilestone(milestoneOwner.key, notTheirs.id, { name: 'Taken over' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toBe('insufficient_access');
    expect((await getMilestone(goalOwner.key, notTheirs.id)).name).toBe('Not theirs');
  });

  it("refuses the milestone's owner handing it to someone else: that would show a private goal to anyone", async () => {
    const goal = await f.createGoal(goalOwner.key, {
      name: 'Private plan',
      visibility: 'private',
      milestones: [{ name: 'Theirs', target_value: 10, owner_user_id: milestoneOwner.id }],
    });
    const m = goal.milestones[0];
    const res = await patchMilestone(milestoneOwner.key, m.id, { owner_user_id: outsider.id });
    expect(res.statusCode, res.body).toBe(403);
    expect(res.json().error).toBe('insufficient_access');
    expect((await getMilestone(goalOwner.key, m.id)).owner_user_id).toBe(milestoneOwner.id);
    expect((await f.call(outsider.key, 'GET', `/v1/goals/${goal.id}`)).statusCode).toBe(404);
    // Naming themselves again is no hand-over; the goal's owner may hand it on.
    const same = await patchMilestone(milestoneOwner.key, m.id, {
      owner_user_id: milestoneOwner.id,
      name: 'Mine',
    });
    expect(same.statusCode, same.body).toBe(200);
    expect((await patchMilestone(goalOwner.key, m.id, { owner_user_id: outsider.id })).statusCode).toBe(200);
  });

  it('refuses a non-writer with 403 and changes nothing', async () => {
    const goal = await f.createGoal(goalOwner.key, {
      name: 'Guarded',
      milestones: [{ name: 'Leads', target_value: 10, current_value: 5 }],
    });
    const m = goal.milestones[0];
    const res = await patchMilestone(outsider.key, m.id, {
      target_value: 5,
      weight: 0,
      owner_user_id: outsider.id,
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toBe('insufficient_access');
    expect(await getMilestone(goalOwner.key, m.id)).toMatchObject({
      target_value: 10,
      weight: 1,
      progress: 50,
      owner_user_id: goalOwner.id,
    });
    const after = await f.getGoal(goalOwner.key, goal.id);
    expect(after).toMatchObject({ progress: 50, contributors: [] });
    expect((await checkIn(outsider.key, m.id, { value: 9 })).statusCode).toBe(403);
  });
});

describe('creating milestones through the API', () => {
  it('needs range_yellow and range_red on a range metric', async () => {
    const goal = await f.createGoal(org.key, { name: 'Keep latency steady' });
    const band = { name: 'p95 ms', direction: 'range', start_value: 100, target_value: 200 };
    const bare = await addMilestone(org.key, goal.id, band);
    expect(bare.statusCode).toBe(422);
    expect(bare.json().error).toBe('invalid_operation');
    const halfway = await addMilestone(org.key, goal.id, { ...band, range_yellow: 20 });
    expect(halfway.json().error).toBe('invalid_operation');
    const inline = await f.call(org.key, 'POST', '/v1/goals', {
      name: 'Inline range',
      starts_on: '2020-01-01',
      ends_on: '2099-12-31',
      milestones: [band],
    });
    expect(inline.statusCode).toBe(422);
    expect((await f.call(org.key, 'GET', '/v1/goals?q=inline range')).json().total_count).toBe(0);

    const ok = await addMilestone(org.key, goal.id, { ...band, range_yellow: 20, range_red: 50 });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().data).toMatchObject({
      direction: 'range',
      range_yellow: 20,
      range_red: 50,
      current_value: 100,
      progress: 100,
      progress_color: 'on_track',
    });
    expect((await f.getGoal(org.key, goal.id)).milestones).toHaveLength(1);
  });

  it('needs a currency_code with the currency unit, and refuses one with any other unit', async () => {
    const goal = await f.createGoal(org.key, { name: 'Raise revenue' });
    const noCode = await addMilestone(org.key, goal.id, { name: 'ARR', unit: 'currency', target_value: 1e6 });
    expect(noCode.statusCode).toBe(422);
    expect(noCode.json().error).toBe('invalid_operation');
    const strayCode = await addMilestone(org.key, goal.id, {
      name: 'Deals',
      unit: 'number',
      target_value: 30,
      currency_code: 'EUR',
    });
    expect(strayCode.statusCode).toBe(422);
    expect(strayCode.json().error).toBe('invalid_operation');
    const binaryCode = await addMilestone(org.key, goal.id, { name: 'Launch', currency_code: 'EUR' });
    expect(binaryCode.statusCode).toBe(422);
    const ok = await addMilestone(org.key, goal.id, {
      name: 'ARR',
      unit: 'currency',
      currency_code: 'EUR',
      target_value: 1e6,
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().data).toMatchObject({ unit: 'currency', currency_code: 'EUR', target_value: 1e6 });
    expect((await f.getGoal(org.key, goal.id)).milestones).toHaveLength(1);
  });

  it('stores update_interval and confidence given at creation', async () => {
    const goal = await f.createGoal(org.key, {
      name: 'Hire',
      milestones: [{ name: 'Offers', target_value: 8, update_interval: 'monthly', confidence: 0.7 }],
    });
    expect(goal.milestones[0]).toMatchObject({ update_interval: 'monthly', confidence: 0.7 });
    const added = await addMilestone(org.key, goal.id, {
      name: 'Onsites',
      target_value: 20,
      update_interval: 'daily',
      confidence: 0.25,
    });
    expect(added.statusCode).toBe(201);
    expect(await getMilestone(org.key, added.json().data.id)).toMatchObject({
      update_interval: 'daily',
      confidence: 0.25,
    });
    const plain = await addMilestone(org.key, goal.id, { name: 'Referrals', target_value: 5 });
    expect(plain.json().data).toMatchObject({ update_interval: 'weekly', confidence: null });
  });
});

describe('check-ins into closed records', () => {
  const expectRefused = async (milestoneId: number, reason: RegExp) => {
    const refused = await checkIn(org.key, milestoneId, { value: 3 });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error).toBe('invalid_operation');
    expect(refused.json().error_description).toMatch(reason);
    const history = (await f.call(org.key, 'GET', `/v1/milestones/${milestoneId}/checkins`)).json();
    expect(history.total_count).toBe(0);
    expect((await getMilestone(org.key, milestoneId)).current_value).toBe(0);
    const allowed = await checkIn(org.key, milestoneId, { value: 3, allow_closed_period: true });
    expect(allowed.statusCode, allowed.body).toBe(201);
    expect(allowed.json().data.checkin.closed_period_override).toBe(true);
    expect((await getMilestone(org.key, milestoneId)).progress).toBe(30);
  };

  it('refuses a check-in on a closed goal unless allow_closed_period is sent', async () => {
    const goal = await f.createGoal(org.key, { name: 'Done', milestones: [{ name: 'm', target_value: 10 }] });
    expect((await f.call(org.key, 'PATCH', `/v1/goals/${goal.id}`, { status: 'closed' })).statusCode).toBe(
      200,
    );
    await expectRefused(goal.milestones[0].id, /the goal is closed/);
  });

  it('refuses a check-in on an archived goal unless allow_closed_period is sent', async () => {
    const goal = await f.createGoal(org.key, { name: 'Old', milestones: [{ name: 'm', target_value: 10 }] });
    await f.call(org.key, 'PATCH', `/v1/goals/${goal.id}`, { status: 'archived' });
    await expectRefused(goal.milestones[0].id, /the goal is archived/);
    const plain = await f.createGoal(org.key, { name: 'Old, no milestones', status: 'archived' });
    const onGoal = await f.call(org.key, 'POST', `/v1/goals/${plain.id}/checkins`, { value: 40 });
    expect(onGoal.statusCode).toBe(422);
    expect((await f.getGoal(org.key, plain.id)).progress).toBe(0);
  });

  it('refuses a check-in on a closed milestone of an open goal unless allow_closed_period is sent', async () => {
    const goal = await f.createGoal(org.key, {
      name: 'Open',
      milestones: [
        { name: 'closed', target_value: 10 },
        { name: 'open', target_value: 10 },
      ],
    });
    const [closed, open] = goal.milestones;
    const res = await patchMilestone(org.key, closed.id, { status: 'closed' });
    expect(res.json().data.status).toBe('closed');
    expect((await checkIn(org.key, open.id, { value: 1 })).statusCode).toBe(201);
    await expectRefused(closed.id, /the milestone is closed/);
  });
});

describe('check-in history', () => {
  it('records the API key each check-in came through', async () => {
    const goal = await f.createGoal(goalOwner.key, {
      name: 'Keyed',
      milestones: [{ name: 'Calls', target_value: 100 }],
    });
    const m = goal.milestones[0];
    const firstKeyId = (await f.call(goalOwner.key, 'GET', '/v1/me')).json().data.api_key_id;
    const second = await f.call(org.key, 'POST', '/v1/api-keys', { user: goalOwner.id, name: 'CRM sync' });
    expect(second.statusCode, second.body).toBe(201);
    const { id: secondKeyId, key: secondKey } = second.json().data;
    expect(secondKeyId).not.toBe(firstKeyId);

    const a = await checkIn(goalOwner.key, m.id, { value: 10 });
    const b = await checkIn(secondKey, m.id, { value: 20 });
    expect(a.json().data.checkin).toMatchObject({ api_key_id: firstKeyId, user_id: goalOwner.id });
    expect(b.json().data.checkin).toMatchObject({ api_key_id: secondKeyId, user_id: goalOwner.id });
    const history = (await f.call(goalOwner.key, 'GET', `/v1/goals/${goal.id}/checkins`)).json().data;
    expect(history.map((c: { value: number; api_key_id: number }) => [c.value, c.api_key_id])).toEqual([
      [20, secondKeyId],
      [10, firstKeyId],
    ]);
    const audit = (
      await f.call(org.key, 'GET', `/v1/audit-events?action=milestone.checked_in&object_id=${m.id}`)
    ).json().data;
    expect(audit.map((e: { api_key_id: number }) => e.api_key_id).sort()).toEqual(
      [firstKeyId, secondKeyId].sort(),
    );
  });

  it('places a back-dated check-in in the past without overriding the newer value', async () => {
    const goal = await f.createGoal(org.key, {
      name: 'Backfill',
      starts_on: day(-30),
      ends_on: day(30),
      milestones: [{ name: 'Tickets closed', target_value: 40 }],
    });
    const m = goal.milestones[0];
    const latest = await checkIn(org.key, m.id, { value: 30, confidence: 0.8 });
    const latestAt = latest.json().data.checkin.checked_in_at;
    const earlier = `${day(-10)}T09:00:00.000Z`;
    const backdated = await checkIn(org.key, m.id, { value: 5, confidence: 0.2, checked_in_at: earlier });
    expect(backdated.statusCode, backdated.body).toBe(201);
    expect(backdated.json().data.checkin.checked_in_at).toBe(earlier);
    expect(await getMilestone(org.key, m.id)).toMatchObject({
      current_value: 30,
      confidence: 0.8,
      progress: 75,
      last_checkin_at: latestAt,
    });
    const after = await f.getGoal(org.key, goal.id);
    expect(after).toMatchObject({ progress: 75, last_checkin_at: latestAt });
    const history = (await f.call(org.key, 'GET', `/v1/milestones/${m.id}/checkins`)).json().data;
    expect(history.map((c: { value: number }) => c.value)).toEqual([30, 5]);
  });
});

describe('progress_color through the API', () => {
  it('reads needs_attention far behind elapsed time and on_track on pace', async () => {
    const behind = await f.createGoal(org.key, {
      name: 'Late start',
      starts_on: day(-90),
      ends_on: day(9),
      milestones: [{ name: 'm', target_value: 10 }],
    });
    expect(behind.progress_color).toBe('needs_attention');
    const onPace = await f.createGoal(org.key, {
      name: 'Steady',
      starts_on: day(-10),
      ends_on: day(10),
      milestones: [{ name: 'm', target_value: 10 }],
    });
    // Half the time has gone: 0 is far behind until a check-in brings it to half-way.
    expect(onPace.progress_color).toBe('needs_attention');
    const res = await checkIn(org.key, onPace.milestones[0].id, { value: 5 });
    expect(res.json().data.goal).toMatchObject({ progress: 50, progress_color: 'on_track' });
    expect((await f.getGoal(org.key, onPace.id)).progress_color).toBe('on_track');
    expect((await f.getGoal(org.key, behind.id)).progress_color).toBe('needs_attention');
  });

  it('colours a milestone with its own dates by them', async () => {
    const goal = await f.createGoal(org.key, {
      name: 'Two pacings',
      starts_on: day(-100),
      ends_on: day(100),
      milestones: [
        { name: 'Paced by the goal', target_value: 10 },
        { name: 'Starts today', target_value: 10, starts_on: day(0), ends_on: day(100) },
      ],
    });
    const [byGoal, own] = goal.milestones;
    expect(byGoal.progress_color).toBe('needs_attention');
    expect(own.progress_color).toBe('on_track');
    const moved = await patchMilestone(org.key, own.id, { starts_on: day(-100), ends_on: day(-1) });
    expect(moved.json().data.progress_color).toBe('needs_attention');
  });

  it('returns the children’s progress and colours in GET /v1/goals/{id}/tree', async () => {
    const dates = { starts_on: day(-10), ends_on: day(10) };
    const parent = await f.createGoal(org.key, { name: 'Roll-up', progress_source: 'children', ...dates });
    const ahead = await f.createGoal(org.key, {
      name: 'On pace',
      parent_id: parent.id,
      ...dates,
      milestones: [{ name: 'm', target_value: 10 }],
    });
    const lagging = await f.createGoal(org.key, {
      name: 'Lagging',
      parent_id: parent.id,
      ...dates,
      milestones: [{ name: 'm', target_value: 10 }],
    });
    await checkIn(org.key, ahead.milestones[0].id, { value: 5 });
    await checkIn(org.key, lagging.milestones[0].id, { value: 2 });
    const tree = await f.call(org.key, 'GET', `/v1/goals/${parent.id}/tree`);
    expect(tree.statusCode).toBe(200);
    const root = tree.json().data;
    // About half the time has gone: 35 is within 25 points of it, 20 is not.
    expect(root).toMatchObject({ id: parent.id, progress: 35, progress_color: 'at_risk' });
    expect(
      root.children.map((c: { id: number; progress: number; progress_color: string }) => [
        c.id,
        c.progress,
        c.progress_color,
      ]),
    ).toEqual([
      [ahead.id, 50, 'on_track'],
      [lagging.id, 20, 'needs_attention'],
    ]);
  });
});
