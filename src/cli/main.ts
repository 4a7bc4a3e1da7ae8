#!/usr/bin/env node
import { ConfigError, type Env, loadConfig } from '../config.js';
import { AppError } from '../domain/errors.js';
import { UsageError } from './args.js';
import {
  acceptNoticeCommand,
  cursorsRotateCommand,
  demoCommand,
  initCommand,
  keysCreateCommand,
  keysRevokeCommand,
  migrateCommand,
  type Print,
} from './commands.js';
import { InUseError } from './lock.js';

const USAGE = `Usage: trellis <command> [options]

  serve [--demo] [--port N] [--host H]   open the database, migrate, listen; --demo creates the demo
                                          organisation in an empty database and prints a fresh API key
  worker                                 deliver outbound webhooks alone (serve runs a worker too unless
                                          TRELLIS_WORKER=false); any number may run on one PostgreSQL
  migrate                                apply pending database migrations
  init --org-name NAME --admin-email EMAIL [--slug S] [--admin-first-name F] [--admin-last-name L] [--json]
                                          create an organisation and its super admin; prints their live key
  keys create --user EMAIL|ID --name NAME [--mode live|test] [--org SLUG] [--json]
  keys revoke ID [--org SLUG]
  users accept-notice --email EMAIL [--org SLUG]
  cursors rotate [--grace-hours H]       sign list cursors with a new secret; the older ones still verify for
                                          H hours (default 24; 0 refuses every cursor handed out before now)
  demo [--json]                          create the demo organisation (about 200 people) and print a key
  push metrics FILE.csv [--url URL] [--key KEY] [--partial]
                                          check in on milestones from a CSV file through a running server:
                                          a header row is required, columns milestone_id,value[,comment];
                                          URL and key also from TRELLIS_URL and TRELLIS_KEY. One bad row and
                                          nothing is applied (its line is named), unless --partial
  help                                   this text

Configuration comes from the environment (PORT, HOST, DATABASE_URL, TRELLIS_DATA_DIR, TRELLIS_TLS_CERT,
TRELLIS_TLS_KEY, TRELLIS_TRUST_PROXY, TRELLIS_DB_POOL_SIZE, TRELLIS_WORKER, TRELLIS_WEBHOOK_ALLOW, LOG_LEVEL); see README.md.
On PGlite (no DATABASE_URL) one process at a time opens ./data: stop "trellis serve" before other commands.
Exit codes: 0 done, 1 the command failed, 2 bad command line or configuration.`;

type Command = (argv: string[], env: Env, print: Print) => Promise<void>;

const withConfig =
  (run: (argv: string[], config: ReturnType<typeof loadConfig>, print: Print) => Promise<void>): Command =>
  (argv, env, print) =>
    run(argv, loadConfig(env), print);

const commands: Record<string, Command> = {
  serve: async (argv, env, print) => {
    // Fastify and the routes load only for serve, so that the other commands start quickly.
    const { parseServe, serve } = await import('./serve.js');
    const flags = parseServe(argv);
    await serve(
      loadConfig(env, { port: flags.port, host: flags.host }),
      { demo: flags.demo ?? false },
      print,
    );
  },
  migrate: withConfig(migrateCommand),
  init: withConfig(initCommand),
  'keys create': withConfig(keysCreateCommand),
  'keys revoke': withConfig(keysRevokeCommand),
  'users accept-notice': withConfig(acceptNoticeCommand),
  'cursors rotate': withConfig(cursorsRotateCommand),
  worker: async (argv, env, print) => {
    const { workerCommand } = await import('./worker.js');
    await workerCommand(argv, loadConfig(env), print);
  },
  demo: withConfig(demoCommand),
  'push metrics': async (argv, env, print) => {
    // Talks to a server over HTTP: no configuration, no database.
    const { pushMetricsCommand, terminalProgress } = await import('./push.js');
    await pushMetricsCommand(argv, env, { print, progress: terminalProgress() });
  },
};

/** `keys create`, `users accept-notice` and `cursors rotate` are two words; everything else is one. */
function findCommand(argv: string[]): { name: string; rest: string[] } | null {
  const [first = '', second = ''] = argv;
  if (commands[`${first} ${second}`]) return { name: `${first} ${second}`, rest: argv.slice(2) };
  // No one-word command shares its name with a two-word group: `keys` alone finds nothing.
  if (commands[first]) return { name: first, rest: argv.slice(1) };
  return null;
}

/** One line on stderr for any failure: what went wrong, never a stack unless LOG_LEVEL asks for it. */
function describe(error: unknown): string {
  if (error instanceof AppError) return error.description ?? error.message;
  if (error instanceof AggregateError && !error.message) return describe(error.errors[0]);
  if (error instanceof Error) return error.message || (error as NodeJS.ErrnoException).code || error.name;
  return String(error);
}

async function main(argv: string[], env: Env): Promise<number> {
  const print: Print = (line) => process.stdout.write(`${line}\n`);
  const [first] = argv;
  if (first === 'help' || argv.includes('--help') || argv.includes('-h')) {
    print(USAGE);
    return 0;
  }
  const found = findCommand(argv);
  if (!found) {
    process.stderr.write(
      `trellis: ${first ? `unknown command "${argv.slice(0, 2).join(' ')}"` : 'no command given'}. Run "trellis help".\n`,
    );
    return 2;
  }
  try {
    await commands[found.name]?.(found.rest, env, print);
    return 0;
  } catch (error) {
    return report(error, env);
  }
}

/** Prints the failure as one line and chooses the exit code: 2 for the command line or configuration. */
function report(error: unknown, env: Env): number {
  // Usage errors already name the command ("trellis init: ..."); the others get the program's name.
  if (error instanceof UsageError) process.stderr.write(`${error.message}. Run "trellis help".\n`);
  else process.stderr.write(`trellis: ${describe(error)}\n`);
  if (error instanceof UsageError || error instanceof ConfigError) return 2;
  const expected = error instanceof AppError || error instanceof InUseError;
  if (!expected && /debug|trace/.test(env.LOG_LEVEL ?? ''))
    process.stderr.write(`${(error as Error).stack}\n`);
  return 1;
}

process.exitCode = await main(process.argv.slice(2), process.env);
