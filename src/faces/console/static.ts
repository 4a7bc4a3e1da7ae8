import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../http/instance.js';
import { CONSOLE_CSP } from '../../http/security-headers.js';

/**
 * The console's own screens (console/src/routes.ts): each answers index.html and the app routes in the
 * browser. Only these fall back, so the console never shadows /v1, /auth, /docs or any other face.
 */
// `/admin/*` and `/me/*` hold the admin screens and a person's own (tokens, apps, people areas): the console
// answers any path under them and shows its own "not found" for one it does not know.
export const CONSOLE_SCREENS = [
  '/',
  '/sign-in',
  '/notice',
  '/tree',
  '/goals/:id',
  '/admin',
  '/admin/*',
  '/me',
  '/me/*',
];

const NOT_BUILT = 'The console is not built. Run `npm run build`, then start trellis again.\n';

/** dist/console, whether the server runs from its sources (src/…) or from its build (dist/src/…). */
export function defaultConsoleDir(): string {
  // Three levels up is dist/ when running the build, the repository when running the sources (whose
  // console/ folder holds the sources, never the built files).
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  return basename(root) === 'dist' ? join(root, 'console') : join(root, 'dist', 'console');
}

/** Serves the built console at `/` under its own strict CSP, or says how to build it when it is absent. */
export async function registerConsole(app: App, consoleDir: string) {
  const dir = resolve(consoleDir);
  const built = existsSync(join(dir, 'index.html'));
  await app.register(async (scope) => {
    scope.addHook('onSend', consoleHeaders);
    if (!built) {
      for (const path of CONSOLE_SCREENS) scope.get(path, { schema: { hide: true } }, notBuilt);
      return;
    }
    // wildcard: false serves only the files present at start, so an unknown path stays a JSON 404.
    await scope.register(fastifyStatic, { root: dir, wildcard: false, index: false, cacheControl: false });
    for (const path of CONSOLE_SCREENS) {
      scope.get(path, { schema: { hide: true } }, (_request, reply) => reply.sendFile('index.html'));
    }
  });
}

const notBuilt = async (_request: FastifyRequest, reply: FastifyReply) =>
  reply.status(404).type('text/plain; charset=utf-8').send(NOT_BUILT);

/** Hashed assets never change under their name; the page itself is checked again on every visit. */
async function consoleHeaders(request: FastifyRequest, reply: FastifyReply) {
  reply.header('content-security-policy', CONSOLE_CSP);
  reply.header('x-frame-options', 'DENY');
  reply.header('referrer-policy', 'same-origin');
  const hashed = request.url.startsWith('/assets/');
  reply.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
}
