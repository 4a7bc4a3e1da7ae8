import autocannon from 'autocannon';
import type { postgresCpu } from './postgres-cpu.js';
import type { Server } from './servers.js';

export interface Target {
  name: string;
  server: Server;
  postgres: ReturnType<typeof postgresCpu>;
}

/** What one target did over every measured run. */
export interface Totals {
  requests: number;
  seconds: number;
  p99: number[];
  nodeMs: number;
  /** The part of nodeMs spent collecting garbage. */
  gcMs: number;
  postgresMs: number | null;
}

export const emptyTotals = (): Totals => ({
  requests: 0,
  seconds: 0,
  p99: [],
  nodeMs: 0,
  gcMs: 0,
  postgresMs: 0,
});

export interface LoadOptions {
  url: string;
  key: string;
  connections: number;
  duration: number;
  /** POSTs a JSON body made anew for every request, instead of GETs. */
  post?: () => object;
  /** Headers made for each POSTed body (a signature over it, a fresh message id). */
  headersFor?: (body: string) => Record<string, string>;
}

/** One autocannon run against a target, with the CPU its server process and its PostgreSQL backends used. */
export async function load(target: Target, options: LoadOptions) {
  const before = await target.server.usage();
  const postgresSince = await target.postgres.start();
  const { post } = options;
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.duration,
    headers: {
      ...(options.key && { authorization: `Bearer ${options.key}` }),
      ...(post && { 'content-type': 'application/json' }),
    },
    ...(post && {
      method: 'POST' as const,
      requests: [
        {
          setupRequest: (request) => {
            const body = JSON.stringify(post());
            const headers = options.headersFor && { ...request.headers, ...options.headersFor(body) };
            return { ...request, body, ...(headers && { headers }) };
          },
        },
      ],
    }),
  });
  const after = await target.server.usage();
  const postgresMs = await postgresSince();
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(
      `${target.name}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  }
  return {
    requests: result.requests.total,
    seconds: result.duration,
    p99: result.latency.p99,
    nodeMs: after.cpuMs - before.cpuMs,
    gcMs: after.gcMs - before.gcMs,
    postgresMs,
  };
}

export function add(totals: Totals, run: Awaited<ReturnType<typeof load>>) {
  totals.requests += run.requests;
  totals.seconds += run.seconds;
  totals.p99.push(run.p99);
  totals.nodeMs += run.nodeMs;
  totals.gcMs += run.gcMs;
  totals.postgresMs =
    totals.postgresMs === null || run.postgresMs === null ? null : totals.postgresMs + run.postgresMs;
}

/** `name  1234 req/s  p99 12 ms  cpu per request: node 1.23 ms (gc 0.05), postgres 2.34 ms` */
export function describe(name: string, t: Omit<Totals, 'p99'> & { p99: number }) {
  const perRequest = (ms: number | null) =>
    ms === null ? 'n/a' : `${(ms / Math.max(t.requests, 1)).toFixed(2)} ms`;
  return (
    `${name.padEnd(8)}${(t.requests / t.seconds).toFixed(0).padStart(6)} req/s  p99 ${String(t.p99).padStart(4)} ms  ` +
    `cpu per request: node ${perRequest(t.nodeMs)} (gc ${perRequest(t.gcMs)}), postgres ${perRequest(t.postgresMs)}`
  );
}
