import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, run, useCli } from './cli-process.js';
import { useGoalWorld } from './goal-fixtures.js';

/** `trellis push metrics FILE.csv`, the real CLI in a child process against a listening app. */
useCli();
const { t, org, f, members } = useGoalWorld({ members: { owner: {} } });

let url: string;
let bookings: number;
let logos: number;
let adminOnly: number;
const dir = mkdtempSync(join(tmpdir(), 'trellis-push-'));

beforeAll(async () => {
  url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const goal = await f.createGoal(org.key, {
    name: 'Sales',
    owner_user_id: org.adminId,
    milestones: [
      { name: 'Bookings', start_value: 0, target_value: 1000, owner_user_id: members.owner.id },
      { name: 'Logos', start_value: 0, target_value: 10, owner_user_id: members.owner.id },
      { name: 'Cash', start_value: 0, target_value: 10 },
    ],
  });
  [bookings, logos, adminOnly] = goal.milestones.map((m: { id: number }) => m.id);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const csv = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
/** The CLI with the environment carrying neither key nor URL unless the test passes them. */
const push = (args: string[], env: Record<string, string> = {}) => {
  const { TRELLIS_URL: _u, TRELLIS_KEY: _k, ...rest } = process.env;
  return run(['push', 'metrics', ...args], { ...rest, ...env });
};
const current = async (id: number) =>
  (await f.call(org.key, 'GET', `/v1/milestones/${id}`)).json().data.current_value as number;

describe('trellis push metrics', () => {
  it('applies a good file and prints a summary line, the key never printed', async () => {
    const file = csv(
      'good.csv',
      `milestone_id,value,comment\n${bookings},120,"week 1, from the CLI"\n\n${logos},3,\n`,
    );
    const res = await push([file, '--url', url, '--key', members.owner.key]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout.trim()).toBe(`applied 2 check-ins from ${file}`);
    expect(res.stdout + res.stderr).not.toContain(members.owner.key);
    expect(await current(bookings)).toBe(120);
    expect(await current(logos)).toBe(3);
  });

  it('takes the URL and key from TRELLIS_URL and TRELLIS_KEY', async () => {
    const file = csv('env.csv', `milestone_id,value\n${bookings},130\n`);
    const res = await push([file], { TRELLIS_URL: url, TRELLIS_KEY: members.owner.key });
    expect(res.code, res.stderr).toBe(0);
    expect(await current(bookings)).toBe(130);
  });

  it('changes nothing when one row is bad, and names its line', async () => {
    // Line 4 (after a blank line 3) is a milestone the owner may not update.
    const file = csv('bad.csv', `milestone_id,value\n${bookings},500\n\n${adminOnly},5\n${logos},7\n`);
    const res = await push([file, '--url', url, '--key', members.owner.key]);
    expect(res.code).toBe(1);
    expect(res.stdout).toContain(`${file}:4: insufficient_access`);
    expect(res.stderr).toMatch(/refused: .*1 bad row; nothing was applied \(bulk_rejected: .*request \S+\)/);
    expect(await current(bookings)).toBe(130);
    expect(await current(logos)).toBe(3);
  });

  it('applies the other rows with --partial and reports the bad one by line', async () => {
    const file = csv('partial.csv', `milestone_id,value\n${bookings},500\n${logos},lots\n${adminOnly},5\n`);
    const res = await push([file, '--partial', '--url', url, '--key', members.owner.key]);
    expect(res.code).toBe(1);
    expect(res.stdout).toContain(`${file}:3: invalid_parameters (value)`);
    expect(res.stdout).toContain(`${file}:4: insufficient_access`);
    expect(res.stdout).toContain(`applied 1 check-ins from ${file}; 2 bad rows skipped`);
    expect(await current(bookings)).toBe(500);
    expect(await current(logos)).toBe(3);
    expect(await current(adminOnly)).toBe(0);
  });

  it('shows a refused key with its code, description and request id, and exits non-zero', async () => {
    const file = csv('key.csv', `milestone_id,value\n${bookings},900\n`);
    const wrong = 'tw_live_nottherightkey0000000000000000';
    const res = await push([file, '--url', url, '--key', wrong]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^trellis: refused: \w+: .+ \(request \S+\)\n$/);
    expect(res.stderr).not.toContain('request unknown');
    expect(res.stdout + res.stderr).not.toContain(wrong);
    expect(await current(bookings)).toBe(500);
  });

  it('refuses a file without the header row, a missing key and a server that does not answer', async () => {
    const file = csv('nohead.csv', `${bookings},1\n`);
    const res = await push([file, '--url', url, '--key', members.owner.key]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('unknown column');
    const nokey = await push([file, '--url', url]);
    expect(nokey.code).toBe(2);
    expect(nokey.stderr).toContain('--key or TRELLIS_KEY is required');
    const good = csv('unreachable.csv', `milestone_id,value\n${bookings},1\n`);
    const nobody = `http://127.0.0.1:${await freePort()}`;
    const down = await push([good, '--url', nobody, '--key', members.owner.key]);
    expect(down.code).toBe(1);
    expect(down.stderr).toBe(`trellis: could not reach ${nobody}: ECONNREFUSED\n`);
    expect(await current(bookings)).toBe(500);
  });
});
