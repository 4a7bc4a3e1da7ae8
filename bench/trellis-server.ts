import { buildApp } from '../src/app.js';
import { connect } from '../src/db/connect.js';
import { listeningPrincipalCache } from '../src/domain/access/principal-cache.js';
import { reportListening } from './child.js';

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
reportListening(app.server.address(), () => app.close());
