import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { expectError } from './envelope-assert.js';
import { type Org, startTestApp, type TestApp } from './harness.js';

/** Answers the router, Node's parser or a plugin would give in its own shape: each must be the envelope. */
let t: TestApp;
let org: Org;
let port: number;

beforeAll(async () => {
  t = await startTestApp();
  org = await t.createOrg();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.app.server.address() as AddressInfo).port;
}, 300_000);
afterAll(() => t.close());

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request over a real socket, past light-my-request, so that Node's own parser sees it. */
function raw(path: string, headers: Record<string, string> = {}) {
  return new Promise<RawAnswer>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The envelope of a raw answer, read as expectError reads an injected one. */
function expectRawError(res: RawAnswer, status: number, code: string) {
  expect(res.status, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const body = JSON.parse(res.body);
  expect(body).toMatchObject({ success: false, error: code, message: expect.any(String) });
  expect(body.error_description).toEqual(expect.any(String));
  expect(body.request_id).toEqual(expect.any(String));
  expect(body.request_id).toBe(res.headers['x-request-id']);
  expect(res.headers['x-content-type-options']).toBe('nosniff');
}

describe('malformed URLs', () => {
  it.each(['/v1/goals/%FF', '/v1/users/%E0%A4%A', '/%FF'])('%s is a 400 in the envelope', async (url) => {
    const res = await t.request(org.key, { url });
    expectError(res, 400, 'invalid_parameters', url);
    expectRawError(await raw(url, { authorization: `Bearer ${org.key}` }), 400, 'invalid_parameters');
  });

  it('keeps the request id the client sent', async () => {
    const res = await t.request(org.key, { url: '/v1/goals/%FF', headers: { 'x-request-id': 'trace-42' } });
    expect(res.json().request_id).toBe('trace-42');
  });

  it('a 200-character id reaches the route: its own 4xx, in the envelope', async () => {
    const long = 'a'.repeat(200);
    expectError(await t.request(org.key, { url: `/v1/goals/${long}` }), 400, 'invalid_parameters');
    const email = `${'a'.repeat(190)}@example.com`;
    expectError(await t.request(org.key, { url: `/v1/users/${email}` }), 404, 'invalid_resource_id');
  });

  it('a path id past the router limit is a 400 in the envelope', async () => {
    const url = `/v1/goals/${'1'.repeat(2000)}`;
    expectError(await t.request(org.key, { url }), 400, 'invalid_parameters', 'over the limit');
  });
});

describe('headers Node refuses before Fastify sees the request', () => {
  it('a 70 KB header is a 431 in the envelope, with the request id in the body and header', async () => {
    const res = await raw('/v1/me', { authorization: `Bearer ${org.key}`, 'x-big': 'x'.repeat(70_000) });
    expectRawError(res, 431, 'headers_too_large');
  });
});

describe('security headers', () => {
  const check = (res: LightMyRequestResponse, noStore: boolean) => {
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    if (noStore) expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['strict-transport-security']).toBeUndefined();
  };

  it('on a /v1 success and a /v1 error', async () => {
    const ok = await t.request(org.key, { url: '/v1/me' });
    expect(ok.statusCode).toBe(200);
    check(ok, true);
    const denied = await t.request(null, { url: '/v1/me' });
    expectError(denied, 401, 'missing_access_token');
    check(denied, true);
    check(await t.request(org.key, { url: '/v1/nope' }), true);
  });

  it('on /openapi.json and /healthz', async () => {
    for (const url of ['/openapi.json', '/healthz']) {
      const res = await t.app.inject({ url });
      expect(res.statusCode).toBe(200);
      check(res, true);
    }
  });

  it('on /docs: a CSP the page can live with, and no framing', async () => {
    const page = await t.app.inject({ url: '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('swagger-ui-bundle.js');
    for (const url of [
      '/docs/',
      '/docs/static/swagger-ui-bundle.js',
      '/docs/static/swagger-initializer.js',
    ]) {
      const res = await t.app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      check(res, false);
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(res.headers['x-frame-options']).toBe('DENY');
    }
    // The old index page still leads to the UI.
    const old = await t.app.inject({ url: '/docs/static/index.html' });
    expect(old.statusCode).toBe(302);
    expect(old.headers['x-frame-options']).toBe('DENY');
  });

  it('Strict-Transport-Security only when TLS is served', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trellis-hsts-'));
    const [keyPath, certPath] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
    const subject = ['-subj', '/CN=localhost', '-days', '1', '-keyout', keyPath, '-out', certPath];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', ...subject], {
      stdio: 'ignore',
    });
    const https = { key: readFileSync(keyPath), cert: readFileSync(certPath) };
    rmSync(dir, { recursive: true, force: true });
    const tls = await buildApp({ db: t.db, https });
    try {
      for (const url of ['/healthz', '/v1/me', '/docs/']) {
        const res = await tls.inject({ url });
        expect(res.headers['strict-transport-security'], url).toBe('max-age=31536000');
      }
    } finally {
      await tls.close();
    }
  });
});

describe('credentials in the query string, whatever their case', () => {
  it.each(['ACCESS_TOKEN', 'Token', 'Api_Key', 'KEY'])('?%s=x is refused', async (name) => {
    const res = await t.request(org.key, { url: `/v1/me?${name}=x` });
    expectError(res, 400, 'access_token_in_query', name);
  });
});
