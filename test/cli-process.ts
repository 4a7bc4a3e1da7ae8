import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';

/**
 * The real `trellis` command in a child process, for tests that need a process of its own (to stop,
 * restart or kill it), each against its own database: a PGlite directory, or a fresh database on
 * TEST_DATABASE_URL's server. A test file calls useCli() once at its top.
 */
export const serverUrl = process.env.TEST_DATABASE_URL;
const cleanups: (() => Promise<void> | void)[] = [];

export async function freshDatabase(): Promise<Record<string, string>> {
  if (!serverUrl) {
    const dir = mkdtempSync(join(tmpdir(), 'trellis-cli-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return { TRELLIS_DATA_DIR: dir };
  }
  const name = `trellis_cli_${randomBytes(6).toString('hex')}`;
  const admin = async (text: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    await client.query(text);
    await client.end();
  };
  await admin(`create database ${name}`);
  cleanups.push(() => admin(`drop database if exists ${name} with (force)`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { DATABASE_URL: url.toString() };
}

export function cliEnv(database: Record<string, string>, extra: Record<string, string> = {}) {
  const env: Record<string, string | undefined> = {
    ...process.env,
    LOG_LEVEL: 'warn',
    ...database,
    ...extra,
  };
  if (!database.DATABASE_URL) delete env.DATABASE_URL;
  return env;
}

let cli = '';

/**
 * The CLI as one bundled file, built once per test file with esbuild (which tsx and vitest bring): the
 * same source as `npm run build`, but a spawn then starts in a second less than through tsx. Databases
 * and bundles are removed after the file.
 */
export function useCli() {
  beforeAll(buildCli);
  afterAll(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });
}

async function buildCli() {
  mkdirSync(join('node_modules', '.cache'), { recursive: true });
  const dir = mkdtempSync(join('node_modules', '.cache', 'trellis-cli-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cli = join(dir, 'main.mjs');
  await build({
    entryPoints: ['src/cli/main.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: cli,
    logLevel: 'error',
  });
}

export function start(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [cli, ...args], { env });
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function run(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  const child = start(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

export const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
