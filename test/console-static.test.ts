import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { connect, type Database } from '../src/db/connect.js';
import type { App } from '../src/http/instance.js';

/** `/` serves the built console (src/faces/console/static.ts) without shadowing any other route. */

const INDEX =
  '<!doctype html><title>Trellis console</title><script type="module" src="/assets/app-1a2b.js"></script>';

let database: Database;
let dir: string;
let built: App;
let absent: App;

async function appServing(consoleDir: string) {
  const app = await buildApp({ db: database.db, consoleDir });
  await app.ready();
  return app;
}

beforeAll(async () => {
  // Serving files reads no rows: an empty in-memory database is enough.
  database = await connect({});
  dir = mkdtempSync(join(tmpdir(), 'trellis-console-'));
  mkdirSync(join(dir, 'built', 'assets'), { recursive: true });
  writeFileSync(join(dir, 'built', 'index.html'), INDEX);
  writeFileSync(join(dir, 'built', 'assets', 'app-1a2b.js'), 'console.log("console")');
  mkdirSync(join(dir, 'absent'));
  // A relative folder works as well as an absolute one (the static plugin itself takes only absolute roots).
  built = await appServing(relative(process.cwd(), join(dir, 'built')));
  absent = await appServing(join(dir, 'absent'));
  // Two whole apps are built: on a loaded two-core machine that can pass the default hook timeout.
}, 300_000);

afterAll(async () => {
  await built?.close();
  await absent?.close();
  await database.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the built console', () => {
  it('answers its screens with index.html under a CSP that allows no inline or foreign script', async () => {
    const app = built;
    for (const url of ['/', '/sign-in', '/notice', '/tree', '/goals/42']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toMatch(/^text\/html/);
      expect(res.body, url).toBe(INDEX);
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers['cache-control'], url).toBe('no-cache');
    }
  });

  it('serves hashed assets to be cached for good', async () => {
    const app = built;
    const res = await app.inject({ method: 'GET', url: '/assets/app-1a2b.js' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('console.log("console")');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('leaves the API, the sign-in pages, the docs and unknown paths to their own answers', async () => {
    const app = built;
    const api = await app.inject({ method: 'GET', url: '/v1/goals' });
    expect(api.statusCode).toBe(401);
    expect(api.json()).toMatchObject({ success: false, error: 'missing_access_token' });
    const signIn = await app.inject({ method: 'GET', url: '/auth/sign-in' });
    expect(signIn.body).toContain('<form');
    expect(signIn.body).not.toBe(INDEX);
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await app.inject({ method: 'GET', url: '/docs/json' })).json()).toHaveProperty('openapi');
    for (const url of ['/goals', '/goals/42/edit', '/nowhere', '/wb/apis/x', '/assets/missing.js']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json(), url).toMatchObject({ success: false, error: 'unknown_route' });
    }
  });

  it('keeps its screens out of the OpenAPI document', async () => {
    const app = built;
    const paths = Object.keys((app.swagger() as { paths: Record<string, unknown> }).paths);
    // Every documented path belongs to the API, the sign-in and OAuth pages or a compatible face: none is a screen.
    const documented = /^\/(v1|auth|oauth|wb|\.well-known)\//;
    expect(paths.filter((path) => !documented.test(path))).toEqual([]);
  });
});

describe('a server whose console is not built', () => {
  it('says at / how to build it', async () => {
    const app = absent;
    for (const url of ['/', '/tree']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.body).toContain('npm run build');
    }
  });
});
