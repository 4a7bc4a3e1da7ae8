import { type AddressInfo, connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import type { App } from '../src/http/instance.js';
import { DEFAULT_TIMEOUTS, type ServerTimeouts } from '../src/http/timeouts.js';
import { type Org, startTestApp, type TestApp } from './harness.js';

/** The server's timeouts over real sockets, with deadlines short enough to wait for. */
const SHORT: ServerTimeouts = { headers: 300, request: 600, keepAlive: 300, connection: 5000 };

let t: TestApp;
let org: Org;
const servers: App[] = [];

/** An app on the suite's database, listening on a free port with these timeouts. */
async function listening(timeouts: ServerTimeouts): Promise<number> {
  const app = await buildApp({ db: t.db, timeouts });
  servers.push(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return (app.server.address() as AddressInfo).port;
}

let port: number;
beforeAll(async () => {
  t = await startTestApp();
  org = await t.createOrg();
  port = await listening(SHORT);
}, 300_000);
afterAll(async () => {
  await Promise.all(servers.map((app) => app.close()));
  await t.close();
});

interface Exchange {
  /** Everything the server sent before the connection closed. */
  text: string;
  /** Milliseconds from the first byte sent to the close. */
  elapsed: number;
}

/** Sends these bytes and nothing more, then reads until the server closes the connection. */
function sendAndWait(
  serverPort: number,
  bytes: string,
  thenIdle?: (socket: ReturnType<typeof connect>) => void,
) {
  return new Promise<Exchange>((resolve) => {
    const started = Date.now();
    const socket = connect(serverPort, '127.0.0.1');
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
      thenIdle?.(socket);
    });
    // A reset is a close too: what matters is what arrived before it.
    socket.on('error', () => undefined);
    socket.on('close', () => resolve({ text, elapsed: Date.now() - started }));
    socket.write(bytes);
  });
}

/** The status, headers and JSON body of one raw HTTP answer. */
function parse(text: string) {
  const [head = '', body = ''] = text.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(
    lines.map((line) => [
      line.slice(0, line.indexOf(':')).toLowerCase(),
      line.slice(line.indexOf(':') + 1).trim(),
    ]),
  );
  return { status: Number(statusLine.split(' ')[1]), headers, body: body ? JSON.parse(body) : null };
}

function expectTimeoutAnswer(exchange: Exchange) {
  const answer = parse(exchange.text);
  expect(answer.status, exchange.text).toBe(408);
  expect(answer.headers['content-type']).toMatch(/^application\/json/);
  expect(answer.headers.connection).toBe('close');
  expect(answer.body).toMatchObject({
    success: false,
    error: 'request_timeout',
    message: expect.any(String),
  });
  expect(answer.body.request_id).toBe(answer.headers['x-request-id']);
}

describe('server timeouts', () => {
  it('answers 408 in the envelope and closes when the headers do not arrive in time', async () => {
    const exchange = await sendAndWait(port, 'GET /v1/me HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bea');
    expectTimeoutAnswer(exchange);
    expect(exchange.elapsed).toBeGreaterThanOrEqual(SHORT.headers);
  });

  it('answers 408 when the body does not arrive in time, and writes nothing', async () => {
    const email = `slow-${Date.now()}@example.com`;
    const body = JSON.stringify({ email, first_name: 'Slow', last_name: 'Sender' });
    const exchange = await sendAndWait(
      port,
      [
        'POST /v1/users HTTP/1.1',
        'Host: localhost',
        `Authorization: Bearer ${org.key}`,
        'Content-Type: application/json',
        `Content-Length: ${body.length}`,
        '',
        body.slice(0, -5),
      ].join('\r\n'),
    );
    expectTimeoutAnswer(exchange);
    expect(exchange.elapsed).toBeGreaterThanOrEqual(SHORT.request);
    const users = await t.db.selectFrom('users').select('id').where('email', '=', email).execute();
    expect(users).toEqual([]);
  });

  it('closes a kept-alive connection that stays idle past the keep-alive timeout', async () => {
    const exchange = await sendAndWait(port, 'GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
    const answer = parse(exchange.text);
    expect(answer.status).toBe(200);
    expect(exchange.elapsed).toBeGreaterThanOrEqual(SHORT.keepAlive - 50);
  });

  it('closes a connection on which nothing moves for the connection timeout', async () => {
    const quiet = await listening({ headers: 5000, request: 5000, keepAlive: 5000, connection: 300 });
    const exchange = await sendAndWait(quiet, 'GET /v1/me HTTP/1.1\r\nHost: local');
    // Before either deadline: the socket was idle, so it was dropped without an answer.
    expect(exchange.text).toBe('');
    expect(exchange.elapsed).toBeGreaterThanOrEqual(300);
    expect(exchange.elapsed).toBeLessThan(5000);
  });

  it('has them by default, where Fastify and Node would wait on a slow body for ever', () => {
    // The harness builds the app without timeouts, as the benches and other programs do.
    const server = t.app.server;
    expect(server.headersTimeout).toBe(DEFAULT_TIMEOUTS.headers);
    expect(server.requestTimeout).toBe(DEFAULT_TIMEOUTS.request);
    expect(server.keepAliveTimeout).toBe(DEFAULT_TIMEOUTS.keepAlive);
    expect(server.timeout).toBe(DEFAULT_TIMEOUTS.connection);
  });
});
