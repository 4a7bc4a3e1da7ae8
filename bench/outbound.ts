import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from '../src/db/connect.js';
import { operatorPrincipal } from '../src/domain/access/principal.js';
import { recordChanges } from '../src/domain/changes.js';
import { inTransaction } from '../src/domain/transactions.js';
import { parseAllowList } from '../src/domain/webhooks/addresses.js';
import { createEndpoint } from '../src/domain/webhooks/endpoints.js';
import { eventBody, messageIdOf, signedHeaders } from '../src/domain/webhooks/signing.js';
import { deliveryWorker } from '../src/jobs/worker.js';
import { createBenchDatabase } from './database.js';

// Outbound webhooks: EVENTS events delivered by the worker to a loopback receiver, against a floor that POSTs
// the same signed bodies to the same receiver with the same concurrency and no database at all.
const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000);
const CONCURRENCY = 32;

async function startReceiver() {
  const seen = new Set<string>();
  let requests = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests++;
      seen.add(String(req.headers['webhook-id']));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    counts: () => ({ distinct: seen.size, requests }),
    reset: () => {
      seen.clear();
      requests = 0;
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** The floor: the same signed POSTs, CONCURRENCY in flight over keep-alive connections. */
async function floor(url: string, bodies: { headers: Record<string, string>; body: string }[]) {
  const agent = new http.Agent({ keepAlive: true });
  let next = 0;
  const sender = async () => {
    while (next < bodies.length) {
      const message = bodies[next++] as (typeof bodies)[number];
      await new Promise<void>((resolve, reject) => {
        const req = http.request(url, {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', ...message.headers },
        });
        req.on('response', (res) => res.resume().on('end', resolve));
        req.on('error', reject);
        req.end(message.body);
      });
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, sender));
  agent.destroy();
  return performance.now() - started;
}

async function main() {
  const bench = await createBenchDatabase(serverUrl, 1);
  const database = await connect({ databaseUrl: bench.url, poolSize: 4 });
  const receiver = await startReceiver();
  try {
    const admin = operatorPrincipal(bench.orgId, bench.adminId);
    const allow = parseAllowList(['127.0.0.0/8']);
    const { secret } = await createEndpoint(database.db, admin, { url: receiver.url }, allow);
    const objects = Array.from({ length: EVENTS }, (_, i) => ({ objectId: i + 1, changes: { n: i } }));
    await inTransaction(database.db, (trx) => recordChanges(trx, admin, 'goal.updated', objects));

    const worker = deliveryWorker({ db: database.db, allow, batchSize: CONCURRENCY });
    const started = performance.now();
    while ((await worker.runOnce()) > 0);
    const trellisMs = performance.now() - started;
    await worker.stop();
    const delivered = receiver.counts();
    const left = await database.db
      .selectFrom('webhook_deliveries')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('status', '!=', 'succeeded')
      .executeTakeFirstOrThrow();

    const events = await database.db
      .selectFrom('events')
      .select(['id', 'type', 'payload', 'created_at'])
      .execute();
    const bodies = events.map((e) => {
      const body = eventBody(e.type, e.created_at, e.payload);
      return { headers: signedHeaders(secret, messageIdOf(e.id), new Date(), body), body };
    });
    receiver.reset();
    const floorMs = await floor(receiver.url, bodies);

    const rate = (ms: number) => Math.round((EVENTS / ms) * 1000);
    console.log(`Outbound webhooks: ${EVENTS} events, ${CONCURRENCY} in flight, loopback receiver`);
    console.log(`  Trellis worker: ${(trellisMs / 1000).toFixed(2)} s, ${rate(trellisMs)} events/s`);
    console.log(
      `  outbox drained: ${Number(left.n) === 0 ? 'yes' : `no, ${left.n} left`}; received ${delivered.distinct} distinct of ${EVENTS} (${delivered.requests} requests): ${delivered.distinct === EVENTS && delivered.requests === EVENTS ? 'none lost, none twice' : 'MISMATCH'}`,
    );
    console.log(`  floor (bare http POSTs): ${(floorMs / 1000).toFixed(2)} s, ${rate(floorMs)} events/s`);
    console.log(`ratio (floor time / Trellis time): ${(floorMs / trellisMs).toFixed(2)}`);
  } finally {
    await receiver.close();
    await database.close();
    await bench.drop();
  }
}

await main();
