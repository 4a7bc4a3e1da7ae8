import { readFileSync } from 'node:fs';
import { buildApp } from '../app.js';
import { type Config, ConfigError } from '../config.js';
import type { Database } from '../db/connect.js';
import { type DemoStart, prepareDemo } from '../demo/service.js';
import { listeningPrincipalCache } from '../domain/access/principal-cache.js';
import type { App } from '../http/instance.js';
import type { DeliveryWorker } from '../jobs/worker.js';
import { smtpMailer } from '../mail/transports.js';
import { parseCommand } from './args.js';
import type { Print } from './commands.js';
import { openDatabase } from './database.js';
import { startWorker, webhookAllowList } from './worker.js';

/** How long in-flight requests get to finish after SIGINT/SIGTERM before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

export const serveOptions = {
  demo: { type: 'boolean' },
  port: { type: 'string' },
  host: { type: 'string' },
} as const;

export function parseServe(argv: string[]) {
  return parseCommand('serve', argv, serveOptions).values;
}

function readTls(tls: Config['tls']) {
  if (!tls) return null;
  const read = (setting: string, path: string) => {
    try {
      return readFileSync(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new ConfigError(`${setting} cannot be read from ${path} (${code})`);
    }
  };
  return { cert: read('TRELLIS_TLS_CERT', tls.certPath), key: read('TRELLIS_TLS_KEY', tls.keyPath) };
}

/** Opens and migrates the database, prepares the demo if asked, builds the app and listens. */
export async function serve(config: Config, options: { demo: boolean }, print: Print) {
  const https = readTls(config.tls);
  const database = await openDatabase(config);
  let app: App | undefined;
  let worker: DeliveryWorker | undefined;
  try {
    const demo = options.demo ? await prepareDemo(database.db) : null;
    app = await buildApp({
      db: database.db,
      logger: { level: config.logLevel },
      trustProxy: config.trustProxy,
      https,
      rateLimit: config.rateLimit,
      timeouts: config.timeouts,
      mailer: config.mail.transport === 'smtp' ? smtpMailer(config.mail) : undefined,
      publicUrl: config.publicUrl,
      secureCookies: config.secureCookies,
      webhookAllow: webhookAllowList(config),
      ...(config.keyCache && { principals: await listeningPrincipalCache(database) }),
    });
    await app.listen({ port: config.port, host: config.host });
    const log = app.log;
    if (config.webhooks.inProcessWorker) {
      worker = startWorker(config, database, (err) => log.error({ err }, 'webhook delivery round failed'));
    }
    printBanner(config, demo, print);
  } catch (error) {
    await worker?.stop();
    await app?.close();
    await database.close();
    throw error;
  }
  closeOnSignals(app, database, worker);
}

function baseUrl(config: Config) {
  const wildcard = config.host === '0.0.0.0' || config.host === '::';
  const host = wildcard ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host;
  return `${config.tls ? 'https' : 'http'}://${host}:${config.port}`;
}

function printBanner(config: Config, demo: DemoStart | null, print: Print) {
  const url = baseUrl(config);
  const engine =
    config.database.engine === 'pglite'
      ? `PGlite in ${config.database.dataDir}`
      : 'PostgreSQL (DATABASE_URL)';
  print('');
  print(`Trellis is listening on ${url} (data: ${engine})`);
  print(`  API reference:  ${url}/docs   (OpenAPI: ${url}/openapi.json)`);
  if (demo?.kind === 'ready') {
    const verb = demo.created ? 'created' : 'found';
    print(`  Demo:           ${verb} "${demo.org.name}" (slug ${demo.org.slug}, ${demo.org.people} people)`);
    print(`  Demo API key:   ${demo.key.key}`);
    print('                  (super admin; a new key is made and the previous one revoked at every start)');
    print(`  Try:            curl -H "Authorization: Bearer ${demo.key.key}" ${url}/v1/users`);
    print(`  Console:        ${url}/   sign in as ${demo.signIn.email} with ${demo.signIn.password}`);
    print('                  (a new password at every start)');
  } else if (demo?.kind === 'other-organizations') {
    print(
      '  Demo:           skipped: this database already holds organisations; make a key with "trellis keys create"',
    );
  }
  print('');
}

/** Stops taking connections, lets requests in flight finish, closes the database (and the PGlite lock). */
function closeOnSignals(app: App, database: Database, worker: DeliveryWorker | undefined) {
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) process.exit(1); // a second Ctrl-C means now
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      app.log.error('shutdown took too long; exiting with requests still open');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    timer.unref();
    Promise.all([app.close(), worker?.stop()])
      .then(() => database.close())
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
