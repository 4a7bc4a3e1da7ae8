import { describe, expect, it } from 'vitest';
import { useGoalWorld } from './goal-fixtures.js';

const { t, org, f } = useGoalWorld();

const comment = (key: string, path: string, body: unknown) =>
  f.call(key, 'POST', `${path}/comments`, { body });
const bodies = async (key: string, path: string) =>
  (await f.call(key, 'GET', `${path}/comments`)).json().data.map((c: { body: string }) => c.body);

describe('comments', () => {
  it('lets anyone who sees the goal comment on it and its milestones, each list on its own', async () => {
    const owner = await t.createMember(org);
    const colleague = await t.createMember(org);
    const goal = await f.createGoal(owner.key, {
      name: 'Public goal',
      milestones: [{ name: 'Signups', target_value: 100 }],
    });
    const onGoal = await comment(colleague.key, `/v1/goals/${goal.id}`, 'Great goal!');
    expect(onGoal.statusCode).toBe(201);
    expect(onGoal.json().data).toMatchObject({
      goal_id: goal.id,
      milestone_id: null,
      author_user_id: colleague.id,
      body: 'Great goal!',
      edited: false,
    });
    const m = goal.milestones[0].id;
    expect((await comment(owner.key, `/v1/milestones/${m}`, 'Halfway there')).statusCode).toBe(201);
    expect(await bodies(owner.key, `/v1/goals/${goal.id}`)).toEqual(['Great goal!']);
    expect(await bodies(colleague.key, `/v1/milestones/${m}`)).toEqual(['Halfway there']);
  });

  it('lets only the author edit, and the author or an admin delete', async () => {
    const author = await t.createMember(org);
    const other = await t.createMember(org);
    const goal = await f.createGoal(author.key, { name: 'Discussed' });
    const id = (await comment(author.key, `/v1/goals/${goal.id}`, 'first draft')).json().data.id;
    const refused = await f.call(other.key, 'PATCH', `/v1/comments/${id}`, { body: 'vandalised' });
    expect(refused.statusCode).toBe(403);
    expect((await f.call(other.key, 'DELETE', `/v1/comments/${id}`)).statusCode).toBe(403);
    const edited = await f.call(author.key, 'PATCH', `/v1/comments/${id}`, { body: 'final words' });
    expect(edited.statusCode).toBe(200);
    expect(edited.json().data).toMatchObject({ body: 'final words', edited: true });
    expect(await bodies(other.key, `/v1/goals/${goal.id}`)).toEqual(['final words']);
    const second = (await comment(other.key, `/v1/goals/${goal.id}`, 'off topic')).json().data.id;
    expect((await f.call(org.key, 'DELETE', `/v1/comments/${second}`)).statusCode).toBe(200);
    expect((await f.call(author.key, 'DELETE', `/v1/comments/${id}`)).statusCode).toBe(200);
    expect(await bodies(author.key, `/v1/goals/${goal.id}`)).toEqual([]);
    expect((await f.call(author.key, 'PATCH', `/v1/comments/${id}`, { body: 'back' })).statusCode).toBe(404);
    // The history keeps what happened to the comments.
    const history = (await f.call(author.key, 'GET', `/v1/goals/${goal.id}/history`)).json().data;
    expect(history.map((e: { action: string }) => e.action)).toEqual([
      'goal.created',
      'comment.created',
      'comment.updated',
      'comment.created',
      'comment.deleted',
      'comment.deleted',
    ]);
  });

  it('hides the comments of a goal the caller cannot see, and refuses empty or oversize ones', async () => {
    const owner = await t.createMember(org);
    const stranger = await t.createMember(org);
    const secret = await f.createGoal(owner.key, { name: 'Private', visibility: 'private' });
    const id = (await comment(owner.key, `/v1/goals/${secret.id}`, 'note to self')).json().data.id;
    expect((await f.call(stranger.key, 'GET', `/v1/goals/${secret.id}/comments`)).statusCode).toBe(404);
    expect((await comment(stranger.key, `/v1/goals/${secret.id}`, 'peek')).statusCode).toBe(404);
    expect((await f.call(stranger.key, 'PATCH', `/v1/comments/${id}`, { body: 'x' })).statusCode).toBe(404);
    expect((await comment(owner.key, `/v1/goals/${secret.id}`, '')).statusCode).toBe(400);
    expect((await comment(owner.key, `/v1/goals/${secret.id}`, 'x'.repeat(4001))).statusCode).toBe(400);
    expect(await bodies(owner.key, `/v1/goals/${secret.id}`)).toEqual(['note to self']);
  });
});
