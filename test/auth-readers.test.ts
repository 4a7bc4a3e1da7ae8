import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerOrSessionCredential, principalOf, schemeCredential } from '../src/http/auth.js';
import { PLAIN_SESSION_COOKIE } from '../src/http/session-cookie.js';
import { credentialServer, refusalOf } from './auth-server.js';

/**
 * How a request's credential is read off it (http/auth.ts): the real readers mounted on a bare Fastify
 * server, each route answering with the credential it read, so that this suite needs no database and
 * mutation testing can run it once per mutant (docs/testing.md). auth-rules.test.ts checks who that
 * credential makes the caller; rules-pinned-access.test.ts and security.test.ts ask the same of the app.
 */
let server: FastifyInstance;

beforeAll(async () => {
  server = await credentialServer((s) => {
    s.all('/bearer', async (request) => schemeCredential('Bearer')(request));
    s.all('/apitoken', async (request) => schemeCredential('APIToken')(request));
    s.all('/v1', async (request) => bearerOrSessionCredential(request));
    // A route wired without authentication: asking who calls must fail, never answer as nobody.
    s.get('/unguarded', async (request) => ({ user: principalOf(request).userId }));
  });
});
afterAll(() => server?.close());

const send = (url: string, headers: Record<string, string> = {}, method: 'GET' | 'POST' = 'GET') =>
  server.inject({ method, url, headers });
const read = async (url: string, headers: Record<string, string>, method: 'GET' | 'POST' = 'GET') =>
  (await send(url, headers, method)).json();
const refusal = (url: string, headers: Record<string, string> = {}) => refusalOf(server, url, headers);

describe('a key in the Authorization header', () => {
  it('is read after the scheme, in any case, after any spaces', async () => {
    for (const authorization of ['Bearer k3y', 'bearer  k3y', 'BEARER\tk3y']) {
      expect(await read('/bearer', { authorization }), authorization).toEqual({
        kind: 'api_key',
        secret: 'k3y',
      });
    }
    expect(await read('/apitoken', { authorization: 'APIToken k3y' })).toEqual({
      kind: 'api_key',
      secret: 'k3y',
    });
    expect(await read('/bearer', { authorization: `Bearer ${'k'.repeat(200)}` })).toMatchObject({
      secret: 'k'.repeat(200),
    });
  });

  it('is read as an access token by its prefix, which knows whether the request writes', async () => {
    const token = { authorization: 'Bearer twa_live_abc' };
    expect(await read('/bearer', token)).toEqual({
      kind: 'access_token',
      secret: 'twa_live_abc',
      write: false,
    });
    expect(await read('/bearer', token, 'POST')).toMatchObject({ write: true });
  });

  it('is refused, saying how to send it, under another scheme, with more around it, or too long', async () => {
    for (const authorization of [
      'Token k3y',
      'xBearer k3y',
      'Bearer k3y junk',
      'Bearerk3y',
      'Bearer ',
      'k3y',
      `Bearer ${'k'.repeat(201)}`,
    ]) {
      expect(await refusal('/bearer', { authorization }), authorization).toEqual({
        status: 401,
        error: 'invalid_access_token',
        description: 'Send the key as "Authorization: Bearer <key>".',
      });
    }
    expect(await refusal('/apitoken', { authorization: 'Bearer k3y' })).toMatchObject({
      description: 'Send the key as "Authorization: APIToken <key>".',
    });
  });

  it('is asked for when there is none', async () => {
    expect(await refusal('/bearer')).toMatchObject({ status: 401, error: 'missing_access_token' });
    expect(await refusal('/v1')).toMatchObject({ status: 401, error: 'missing_access_token' });
  });
});

describe('a credential in the query string', () => {
  it('is refused under every name, in any case, beside a valid header or a session', async () => {
    const header = { authorization: 'Bearer k3y' };
    for (const name of ['access_token', 'api_key', 'apikey', 'key', 'token', 'Token', 'API_KEY']) {
      for (const url of ['/bearer', '/v1']) {
        const res = await refusal(`${url}?${name}=x`, header);
        expect(res, `${url} ${name}`).toMatchObject({ status: 400, error: 'access_token_in_query' });
      }
    }
    expect(await refusal('/bearer?size=1&token=x', header)).toMatchObject({ error: 'access_token_in_query' });
    const cookie = { cookie: `${PLAIN_SESSION_COOKIE}=s3ss10n` };
    expect(await refusal('/v1?key=x', cookie)).toMatchObject({ error: 'access_token_in_query' });
  });

  it('is not seen in a parameter that only looks like one', async () => {
    expect(await read('/bearer?tokens=x&keys=y', { authorization: 'Bearer k3y' })).toMatchObject({
      secret: 'k3y',
    });
  });
});

describe('the session cookie on /v1', () => {
  const cookie = `${PLAIN_SESSION_COOKIE}=s3ss10n`;

  it('is read when no header is sent, with the CSRF token of a write', async () => {
    expect(await read('/v1', { cookie })).toEqual({
      kind: 'session',
      secret: 's3ss10n',
      csrf: null,
      write: false,
    });
    expect(await read('/v1', { cookie, 'x-csrf-token': 'c5rf' }, 'POST')).toEqual({
      kind: 'session',
      secret: 's3ss10n',
      csrf: 'c5rf',
      write: true,
    });
  });

  it('gives way to a header, which alone judges the request', async () => {
    expect(await read('/v1', { cookie, authorization: 'Bearer k3y' })).toEqual({
      kind: 'api_key',
      secret: 'k3y',
    });
    const bad = await refusal('/v1', { cookie, authorization: 'Token k3y' });
    expect(bad).toMatchObject({ status: 401, error: 'invalid_access_token' });
  });
});

it('refuses to say who calls a route that did not authenticate', async () => {
  const res = await send('/unguarded', { authorization: 'Bearer k3y' });
  expect(res.statusCode).toBe(500);
  expect(res.json().description).toBe('GET /unguarded is not authenticated');
});
