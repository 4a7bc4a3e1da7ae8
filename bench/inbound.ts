import { createHmac, randomBytes } from 'node:crypto';
import { connect } from '../src/db/connect.js';
import { operatorPrincipal } from '../src/domain/access/principal.js';
import { createMetricHook } from '../src/domain/metric-hooks/service.js';
import { buildChain, type Chain, chainProgress, DEPTH } from './chains.js';
import { compare, loadLine, warnIfBusy } from './compare.js';
import { type BenchDatabase, createBenchDatabase } from './database.js';
import type { Server } from './servers.js';

/**
 * Signed inbound metric-hook updates (POST /v1/hooks/{id}, Standard Webhooks) on a milestone five levels
 * deep, every ancestor rolling up: Trellis against floor-inbound-server.ts (node:http verifying the same
 * HMAC with node:crypto, then one round trip of bare SQL making the same row changes). Each request carries
 * a fresh webhook-id and a new value, so replay protection and the roll-up both do their work. The last line
 * is the throughput ratio.
 */
const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres';

/** A hook bound to the chain's milestone, made by the admin through the service as the console would. */
async function createHook(database: BenchDatabase, chain: Chain) {
  const { db, close } = await connect({ databaseUrl: database.url, poolSize: 1 });
  try {
    const p = operatorPrincipal(database.orgId, database.adminId);
    return await createMetricHook(db, p, { name: 'bench', milestone_id: chain.milestone });
  } finally {
    await close();
  }
}

/** Standard Webhooks headers for `body`: a fresh message id, now, and the v1 signature under `secret`. */
export function signer(secret: string) {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  return (body: string): Record<string, string> => {
    const id = `msg_${randomBytes(12).toString('hex')}`;
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
    return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` };
  };
}

/** One signed update of 40 on each side must leave both chains with the same progress at every level. */
function sameRollUp(
  database: BenchDatabase,
  path: string,
  chains: [Chain, Chain],
  sign: ReturnType<typeof signer>,
) {
  return async (trellis: Server, floor: Server) => {
    for (const server of [trellis, floor]) {
      const body = JSON.stringify({ action: 'set', value: 40 });
      const response = await fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...sign(body) },
        body,
      });
      if (!response.ok)
        throw new Error(`${server.url}${path} answered ${response.status}: ${await response.text()}`);
    }
    const [a, b] = [await chainProgress(database, chains[0]), await chainProgress(database, chains[1])];
    if (a.join() !== b.join() || a[0] === 0) {
      throw new Error(`the chains rolled up differently: trellis ${a}, floor ${b}`);
    }
    console.log(`after one signed update of 40, both chains read ${a.join(' / ')} from the top down`);
  };
}

console.log(`POST /v1/hooks/{id}, signed, ${DEPTH} levels deep · ${loadLine()}`);
warnIfBusy();
const database = await createBenchDatabase(serverUrl, 100);
try {
  const chains: [Chain, Chain] = [await buildChain(database, 'Trellis'), await buildChain(database, 'Floor')];
  const { hook, token, secret } = await createHook(database, chains[0]);
  const path = `/v1/hooks/${token}`;
  const sign = signer(secret);
  await compare({
    database,
    path,
    key: '',
    floor: {
      file: './floor-inbound-server.js',
      env: {
        BENCH_ORG_ID: String(database.orgId),
        BENCH_MILESTONE_ID: String(chains[1].milestone),
        BENCH_USER_ID: String(database.adminId),
        BENCH_HOOK_ID: String(hook.id),
        BENCH_HOOK_SECRET: secret,
      },
    },
    post: () => ({ action: 'set', value: Math.round(Math.random() * 1000) / 10 }),
    headersFor: sign,
    check: sameRollUp(database, path, chains, sign),
  });
} finally {
  await database.drop();
}
