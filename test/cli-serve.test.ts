import { type ChildProcess, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planDemo } from '../src/demo/plan.js';
import { DEMO_ADMIN } from '../src/demo/roster.js';
import { hashKey } from '../src/domain/keys/secret.js';
import { cliEnv, freePort, freshDatabase, run, serverUrl, start, useCli } from './cli-process.js';

/** `trellis serve` over HTTPS behind a proxy, and the keys `demo` and `keys create` print, through the real CLI. */
useCli();

let certDir = '';
let certPath = '';
let keyPath = '';
let ca: Buffer;

/** A self-signed certificate for 127.0.0.1 and localhost, made fresh for this file. */
beforeAll(() => {
  certDir = mkdtempSync(join(tmpdir(), 'trellis-tls-'));
  certPath = join(certDir, 'cert.pem');
  keyPath = join(certDir, 'key.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-days', '1'].concat([
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      keyPath,
      '-out',
      certPath,
    ]),
    { stdio: 'ignore' },
  );
  ca = readFileSync(certPath);
});
afterAll(() => rmSync(certDir, { recursive: true, force: true }));

interface Answer {
  status: number;
  /** The parts of the envelope (or /healthz) these cases read. */
  body: { status?: string; data?: unknown; total_count?: number; next?: string | null };
}

/** One HTTPS request that trusts only the test's certificate, so a plain-HTTP or other server fails it. */
function https(port: number, method: string, path: string, headers: Record<string, string>, body?: unknown) {
  return new Promise<Answer>((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        ca,
        headers: { ...headers, ...(payload && { 'content-type': 'application/json' }) },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Sends these bytes over TLS and reads until the server closes the connection. */
function tlsExchange(port: number, bytes: string) {
  return new Promise<string>((resolve) => {
    const socket = tlsConnect({ port, host: '127.0.0.1', ca, servername: 'localhost' }, () =>
      socket.write(bytes),
    );
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(text));
  });
}

function waitForBanner(child: ChildProcess, pattern: RegExp) {
  let stdout = '';
  return new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk) => {
      stdout += chunk;
      if (pattern.test(stdout)) resolve(stdout);
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${stdout}`)));
  });
}

/** One database, used in order: refused start-ups leave it untouched, then demo, keys, and serve on it. */
describe('trellis serve with TLS, and the keys the CLI prints', () => {
  let database: Record<string, string>;
  let server: ChildProcess | undefined;
  let liveKey = '';
  let testKey = '';
  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(() => {
    server?.kill('SIGKILL');
  });

  it('an unreadable certificate or key stops start-up with one line and exit code 2', async () => {
    const missing = join(certDir, 'missing.pem');
    const [noCert, keyIsDirectory] = await Promise.all([
      run(['serve'], cliEnv(database, { TRELLIS_TLS_CERT: missing, TRELLIS_TLS_KEY: keyPath })),
      run(['serve'], cliEnv(database, { TRELLIS_TLS_CERT: certPath, TRELLIS_TLS_KEY: certDir })),
    ]);
    expect(noCert).toEqual({
      code: 2,
      stdout: '',
      stderr: `trellis: TRELLIS_TLS_CERT cannot be read from ${missing} (ENOENT)\n`,
    });
    expect(keyIsDirectory).toEqual({
      code: 2,
      stdout: '',
      stderr: `trellis: TRELLIS_TLS_KEY cannot be read from ${certDir} (EISDIR)\n`,
    });
    // It stopped before opening the database: the PGlite directory is still empty (no files, no lock).
    if (database.TRELLIS_DATA_DIR) expect(readdirSync(database.TRELLIS_DATA_DIR)).toEqual([]);
  }, 60_000);

  it('demo --json prints one JSON object with a live key; keys create --mode test --json prints a tw_test_ key', async () => {
    const demo = await run(['demo', '--json'], cliEnv(database));
    expect(demo).toMatchObject({ code: 0, stderr: '' });
    expect(demo.stdout.trimEnd().split('\n')).toHaveLength(1);
    const printed = JSON.parse(demo.stdout);
    expect(printed).toEqual({
      org_id: expect.any(Number),
      slug: 'demo',
      people: planDemo().people.length,
      key: expect.stringMatching(/^tw_live_[A-Za-z0-9_-]{32,}$/),
    });
    liveKey = printed.key;

    // The only organisation, so no --org is needed.
    const keys = await run(
      ['keys', 'create', '--user', DEMO_ADMIN.email, '--name', 'sandbox sync', '--mode', 'test', '--json'],
      cliEnv(database),
    );
    expect(keys).toMatchObject({ code: 0, stderr: '' });
    expect(keys.stdout.trimEnd().split('\n')).toHaveLength(1);
    const created = JSON.parse(keys.stdout);
    expect(created).toMatchObject({
      name: 'sandbox sync',
      mode: 'test',
      key: expect.stringMatching(/^tw_test_/),
    });
    testKey = created.key;
  }, 120_000);

  it('serves HTTPS with the configured certificate; each key sees its own mode; a trusted proxy shapes next', async () => {
    expect(liveKey && testKey).toBeTruthy();
    const port = await freePort();
    const child = start(
      ['serve', '--host', '127.0.0.1'],
      cliEnv(database, {
        PORT: String(port),
        TRELLIS_TLS_CERT: certPath,
        TRELLIS_TLS_KEY: keyPath,
        TRELLIS_TRUST_PROXY: '127.0.0.1',
      }),
    );
    server = child;
    const banner = await waitForBanner(child, /API reference: .*\n/);
    expect(banner).toContain(`Trellis is listening on https://127.0.0.1:${port} `);
    expect(banner).toContain(`https://127.0.0.1:${port}/docs`);

    // The request verifies the server's certificate against ours alone.
    expect(await https(port, 'GET', '/healthz', {})).toEqual({ status: 200, body: { status: 'ok' } });

    const live = { authorization: `Bearer ${liveKey}` };
    const test = { authorization: `Bearer ${testKey}` };
    const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'okr.example.com' };
    const people = await https(port, 'GET', '/v1/users?size=5', { ...live, ...forwarded });
    expect(people.status).toBe(200);
    expect(people.body.total_count).toBe(planDemo().people.length);
    expect(people.body.next).toBe('https://okr.example.com/v1/users?size=5&page=2');

    // The demo's sandbox starts as a copy of the live directory; from there, each mode's writes stay in it.
    const me = await https(port, 'GET', '/v1/me', test);
    expect(me.body.data).toMatchObject({ mode: 'test', user: { email: DEMO_ADMIN.email } });
    const newcomer = (email: string) => ({ email, first_name: 'New', last_name: 'Person' });
    const sandboxOnly = 'sandbox.only@example.com';
    const liveOnly = 'live.only@example.com';
    expect((await https(port, 'POST', '/v1/users', test, newcomer(sandboxOnly))).status).toBe(201);
    expect((await https(port, 'POST', '/v1/users', live, newcomer(liveOnly))).status).toBe(201);
    const lookups = await Promise.all(
      [test, live].flatMap((key) =>
        [sandboxOnly, liveOnly].map((email) => https(port, 'GET', `/v1/users/${email}`, key)),
      ),
    );
    expect(lookups.map((answer) => answer.status)).toEqual([200, 404, 404, 200]);
    const counts = await Promise.all([test, live].map((key) => https(port, 'GET', '/v1/users?size=1', key)));
    expect(counts.map((answer) => answer.body.total_count)).toEqual([
      planDemo().people.length + 1,
      planDemo().people.length + 1,
    ]);

    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 120_000);

  it('takes its rate limits and timeouts from the environment, over TLS too', async () => {
    expect(liveKey).toBeTruthy();
    const port = await freePort();
    const child = start(
      ['serve', '--host', '127.0.0.1'],
      cliEnv(database, {
        PORT: String(port),
        TRELLIS_TLS_CERT: certPath,
        TRELLIS_TLS_KEY: keyPath,
        TRELLIS_RATE_LIMIT_PER_KEY: '2',
        TRELLIS_HEADERS_TIMEOUT: '1',
        TRELLIS_REQUEST_TIMEOUT: '1',
      }),
    );
    server = child;
    await waitForBanner(child, /API reference: .*\n/);
    const me = `GET /v1/me HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${liveKey}\r\nConnection: close\r\n\r\n`;
    const answers = [await tlsExchange(port, me), await tlsExchange(port, me), await tlsExchange(port, me)];
    expect(answers.map((text) => text.split(' ')[1])).toEqual(['200', '200', '429']);
    expect(answers[2]).toMatch(/\r\nretry-after: \d+\r\n/i);
    expect(answers[2]).toContain('"error":"rate_limited"');
    // Headers that never finish: a 408 in the envelope after the configured second, not Node's minute.
    const started = Date.now();
    const late = await tlsExchange(port, 'GET /healthz HTTP/1.1\r\nHost: loc');
    expect(late).toMatch(/^HTTP\/1\.1 408 /);
    expect(late).toContain('"error":"request_timeout"');
    expect(Date.now() - started).toBeLessThan(10_000);
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 120_000);

  // PostgreSQL only: with PGlite the server holds the data directory, so nothing else can change the key.
  it.skipIf(!serverUrl)(
    'with TRELLIS_KEY_CACHE=false asks the database on every request: a change it is not told of counts at once',
    async () => {
      const port = await freePort();
      const child = start(
        ['serve', '--host', '127.0.0.1'],
        cliEnv(database, { PORT: String(port), TRELLIS_KEY_CACHE: 'false' }),
      );
      server = child;
      await waitForBanner(child, /API reference: .*\n/);
      const me = () =>
        fetch(`http://127.0.0.1:${port}/v1/me`, { headers: { authorization: `Bearer ${liveKey}` } });
      expect((await me()).status).toBe(200);
      const client = new pg.Client({ connectionString: database.DATABASE_URL });
      await client.connect();
      try {
        // Without its notice: a cached principal would still pass.
        await client.query('alter table api_keys disable trigger api_keys_auth_changed');
        await client.query(`update api_keys set status = 'revoked' where key_hash = $1`, [hashKey(liveKey)]);
        await client.query('alter table api_keys enable trigger api_keys_auth_changed');
      } finally {
        await client.end();
      }
      expect((await (await me()).json()).error).toBe('access_token_revoked');
      child.kill('SIGTERM');
    },
    60_000,
  );
});
