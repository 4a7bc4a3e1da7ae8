import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { buildApp } from '../src/app.js';
import { connect } from '../src/db/connect.js';
import { listeningPrincipalCache } from '../src/domain/access/principal-cache.js';
import { reportListening } from './child.js';

/**
 * BENCH_CPU_PROFILE=file.cpuprofile: profiles this process from listening to stopping (start-up, compiling
 * every route's schemas, is left out) and writes the profile there, with the number of requests served in
 * file.requests, so that self time can be divided per request (open the profile in Chrome's DevTools, or sum
 * its samples per function). Off by default: the profiler costs CPU.
 */
async function startProfile(file: string | undefined): Promise<() => Promise<void>> {
  if (!file) return async () => {};
  let requests = 0;
  app.server.on('request', () => requests++);
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    await writeFile(file, JSON.stringify(profile));
    await writeFile(`${file}.requests`, String(requests));
  };
}

// Trellis as the bench runs it: the built app on PostgreSQL, in its own process (its own event loop and core).
const database = await connect({
  databaseUrl: process.env.BENCH_DB_URL,
  poolSize: Number(process.env.BENCH_POOL ?? 10),
});
const app = await buildApp({
  db: database.db,
  logger: { level: process.env.BENCH_LOG_LEVEL ?? 'warn' },
  principals: await listeningPrincipalCache(database),
});
await app.listen({ host: '127.0.0.1', port: 0 });
const stopProfile = await startProfile(process.env.BENCH_CPU_PROFILE);
reportListening(app.server.address(), () => stopProfile().then(() => app.close()));
