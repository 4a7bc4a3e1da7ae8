import { spawn, spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { useGoalWorld } from './goal-fixtures.js';

/** The senders in examples/, run for real against a listening app where they can be. */
const { t, org, f, members } = useGoalWorld({ members: { owner: {} } });
const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const tools = ['bash', 'curl', 'openssl'].every(has);

let base: string;
let milestone: number;

beforeAll(async () => {
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const goal = await f.createGoal(org.key, {
    name: 'Support',
    owner_user_id: org.adminId,
    milestones: [
      { name: 'Tickets closed', start_value: 0, target_value: 100, owner_user_id: members.owner.id },
    ],
  });
  milestone = goal.milestones[0].id;
});

const current = async () =>
  (await f.call(org.key, 'GET', `/v1/milestones/${milestone}`)).json().data.current_value as number;

function cronPush(args: string[], env: Record<string, string>) {
  const child = spawn('bash', ['examples/cron-push.sh', ...args], {
    env: { PATH: process.env.PATH, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
}

describe.skipIf(!tools)('examples/cron-push.sh', () => {
  it('signs an update the server accepts, and the milestone moves', async () => {
    const res = await f.call(members.owner.key, 'POST', '/v1/metric-hooks', {
      name: 'cron',
      milestone_id: milestone,
    });
    expect(res.statusCode, res.body).toBe(201);
    const { url, signing_secret } = res.json().data as { url: string; signing_secret: string };
    const env = { TRELLIS_HOOK_URL: `${base}${new URL(url).pathname}`, TRELLIS_HOOK_SECRET: signing_secret };

    const set = await cronPush(['42', 'from "cron", with a \\ backslash'], env);
    expect(set.code, set.stderr).toBe(0);
    expect(await current()).toBe(42);
    const checkins = (await f.call(org.key, 'GET', `/v1/milestones/${milestone}/checkins`)).json().data;
    expect(checkins[0]).toMatchObject({ value: 42, comment: 'from "cron", with a \\ backslash' });

    const add = await cronPush(['8'], { ...env, TRELLIS_HOOK_ACTION: 'add' });
    expect(add.code, add.stderr).toBe(0);
    expect(await current()).toBe(50);

    // Another secret: refused with the server's code and request id, and nothing moves.
    const wrong = await cronPush(['99'], {
      ...env,
      TRELLIS_HOOK_SECRET: 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0',
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('invalid_webhook_secret');
    expect(wrong.stderr).toContain('request_id');
    expect(await current()).toBe(50);
  });
});
