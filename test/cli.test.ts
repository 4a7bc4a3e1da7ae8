import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { connect } from '../src/db/connect.js';
import { planDemo } from '../src/demo/plan.js';
import { cliEnv, freePort, freshDatabase, run, serverUrl, start, useCli } from './cli-process.js';

/** The `trellis` command end to end, each case through the real CLI in a child process. */
useCli();

/** Builds the app on the same database, asks it one question with each key, and closes it again. */
async function askApp(database: Record<string, string>, keys: string[], url: string) {
  const { db, close } = await connect({
    databaseUrl: database.DATABASE_URL,
    dataDir: database.TRELLIS_DATA_DIR,
  });
  const app = await buildApp({ db });
  try {
    const answers = [];
    for (const key of keys) {
      answers.push(await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } }));
    }
    return answers;
  } finally {
    await app.close();
    await close();
  }
}

/**
 * One database for the whole file, in the order an operator would go: start the demo, stop it, add an
 * organisation of their own and manage its keys. (A fresh PGlite directory costs seconds of initdb.)
 */
describe('trellis', () => {
  let database: Record<string, string>;
  let server: ChildProcess | undefined;
  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(() => {
    server?.kill('SIGKILL');
  });

  it('serve --demo creates the demo organisation, prints a key that lists its people, and stops cleanly', async () => {
    const port = await freePort();
    const child = start(['serve', '--demo', '--host', '127.0.0.1'], cliEnv(database, { PORT: String(port) }));
    server = child;
    let stdout = '';
    const key = await new Promise<string>((resolve, reject) => {
      child.stdout?.on('data', (chunk) => {
        stdout += chunk;
        const found = /Demo API key:\s+(tw_live_\S+)/.exec(stdout);
        if (found?.[1]) resolve(found[1]);
      });
      child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${stdout}`)));
    });
    expect(stdout).toContain(`http://127.0.0.1:${port}/docs`);

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok' });
    const users = await fetch(`http://127.0.0.1:${port}/v1/users?size=5`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(users.status).toBe(200);
    expect((await users.json()).total_count).toBeGreaterThan(150);

    if (!serverUrl) {
      // PGlite is one process at a time: a second command is turned away with the advice, not let in.
      const second = await run(['migrate'], cliEnv(database));
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(/PGlite admits one process at a time, so stop it first/);
    }

    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 120_000);

  it('init prints a working key; keys and the privacy notice are managed from the CLI', async () => {
    const init = await run(
      ['init', '--org-name', 'Acme Corp', '--admin-email', 'ada@acme.test', '--json'],
      cliEnv(database),
    );
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    const created = JSON.parse(init.stdout);
    expect(created).toMatchObject({ slug: 'acme-corp', key: expect.stringMatching(/^tw_live_/) });

    // A demo colleague has not accepted the privacy notice yet: the CLI records it for them.
    const colleague = planDemo().people.find((p) => p.title === 'Chief of Staff')?.email ?? '';
    const forColleague = await run(
      ['keys', 'create', '--user', colleague, '--name', 'okr sync', '--org', 'demo', '--json'],
      cliEnv(database),
    );
    expect(forColleague.code).toBe(0);
    const colleagueKey = JSON.parse(forColleague.stdout);
    expect(colleagueKey).toMatchObject({
      name: 'okr sync',
      mode: 'live',
      key: expect.stringMatching(/^tw_live_/),
    });
    const accepted = await run(
      ['users', 'accept-notice', '--email', colleague, '--org', 'demo'],
      cliEnv(database),
    );
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toMatch(/^.+ <.+@juniper\.example> has accepted the privacy notice\.\n$/);

    const acme = ['--org', 'acme-corp'];
    const second = await run(
      ['keys', 'create', '--user', 'ada@acme.test', '--name', 'old script', ...acme, '--json'],
      cliEnv(database),
    );
    const revokedKey = JSON.parse(second.stdout);
    const revoked = await run(['keys', 'revoke', String(revokedKey.id), ...acme], cliEnv(database));
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain(`Revoked the API key ${revokedKey.id} "old script"`);

    // One app on the same database (the CLI has exited: PGlite is one process at a time).
    const answers = await askApp(database, [created.key, colleagueKey.key, revokedKey.key], '/v1/me');
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 401]);
    expect(answers[0]?.json().data.user.email).toBe('ada@acme.test');
    expect(answers[1]?.json().data.user.email).toBe(colleague);
    expect(answers[2]?.json().error).toBe('access_token_revoked');
  }, 120_000);

  it('says what is wrong in one line: exit 2 for the command line or configuration, 1 for a failed command', async () => {
    const [unknownFlag, badPort, whichOrg] = await Promise.all([
      run(['init', '--org-name', 'X', '--admin-email', 'x@x.test', '--colour'], cliEnv(database)),
      run(['migrate'], cliEnv(database, { PORT: 'abc' })),
      // The demo and Acme now share the database, so a command must say which organisation it means.
      run(['keys', 'create', '--user', 'ada@acme.test', '--name', 'second'], cliEnv(database)),
    ]);
    expect(unknownFlag).toMatchObject({ code: 2, stdout: '' });
    expect(unknownFlag.stderr).toBe(`trellis init: unknown option '--colour'. Run "trellis help".\n`);
    expect(badPort).toMatchObject({
      code: 2,
      stderr: 'trellis: PORT must be an integer from 1 to 65535, got "abc"\n',
    });
    expect(whichOrg).toMatchObject({
      code: 1,
      stderr: 'trellis: Several organisations exist: name one with --org.\n',
    });
  }, 120_000);

  it('cursors rotate signs with a new secret; cursors handed out before verify for the grace period only', async () => {
    const colleague = planDemo().people.find((p) => p.title === 'Chief of Staff')?.email ?? '';
    const made = await run(
      ['keys', 'create', '--user', colleague, '--name', 'cursor walk', '--org', 'demo', '--json'],
      cliEnv(database),
    );
    expect(made.code, made.stderr).toBe(0);
    const { key } = JSON.parse(made.stdout);
    const [first] = await askApp(database, [key], '/v1/users?size=2');
    expect(first?.statusCode, first?.body).toBe(200);
    const walk = `/v1/users?size=2&cursor=${first?.json().next_cursor}`;

    const rotated = await run(['cursors', 'rotate', '--grace-hours', '2'], cliEnv(database));
    expect(rotated.stderr).toBe('');
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toMatch(/^Cursors are signed with secret \d+ from now on/);
    expect(rotated.stdout).toMatch(
      /\n1 older secret\(s\) still verify cursors handed out before now, until 20/,
    );
    const until = Date.parse(/until (\S+)\.\n$/.exec(rotated.stdout)?.[1] ?? '');
    expect(Math.abs(until - (Date.now() + 2 * 3_600_000))).toBeLessThan(60_000);
    expect((await askApp(database, [key], walk))[0]?.statusCode).toBe(200);

    const now = await run(['cursors', 'rotate', '--grace-hours', '0'], cliEnv(database));
    expect(now.code).toBe(0);
    expect(now.stdout).toContain('No older secret verifies any more');
    const [refused] = await askApp(database, [key], walk);
    expect(refused?.statusCode).toBe(400);
    expect(refused?.json().error).toBe('invalid_cursor');

    const bad = await run(['cursors', 'rotate', '--grace-hours', 'soon'], cliEnv(database));
    expect(bad).toMatchObject({ code: 2, stdout: '' });
    expect(bad.stderr).toBe(
      'trellis cursors rotate: --grace-hours must be a number of hours from 0 to 8760, got "soon". Run "trellis help".\n',
    );
  }, 120_000);
});
