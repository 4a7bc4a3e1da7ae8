import { cpus, loadavg } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import type { BenchDatabase } from './database.js';
import { add, describe, emptyTotals, type LoadOptions, load, type Target, type Totals } from './load.js';
import { postgresCpu } from './postgres-cpu.js';
import { type CapturedQuery, type Server, startServer } from './servers.js';

/**
 * One request, Trellis against its floor, side by side on the same database: both servers in child
 * processes with pools of the same size, warmed up, then measured with autocannon in rounds whose order
 * alternates. The last line printed is the ratio of their throughputs.
 */
export const loadConfig = {
  pool: Number(process.env.BENCH_POOL ?? 10),
  connections: Number(process.env.BENCH_CONNECTIONS ?? 10),
  duration: Number(process.env.BENCH_DURATION ?? 10),
  warmup: Number(process.env.BENCH_WARMUP ?? 3),
  rounds: Number(process.env.BENCH_ROUNDS ?? 2),
};

export interface Comparison {
  database: BenchDatabase;
  /** The page, with its query string; both servers answer it. */
  path: string;
  /** The key Trellis is called with (the floor takes none). */
  key: string;
  /** The floor's file next to this one, the queries it runs (in order) and any other settings. */
  floor: { file: string; queries?: CapturedQuery[]; env?: Record<string, string> };
  /** POSTs a body made anew for each request, instead of GETs. */
  post?: () => object;
  /** Headers made for each POSTed body (load.ts). */
  headersFor?: (body: string) => Record<string, string>;
  /** Proves both do the same work before measuring; default: both answer the same page. */
  check?: (trellis: Server, floor: Server) => Promise<void>;
}

async function fetchPage(server: Server, c: Comparison) {
  const response = await fetch(`${server.url}${c.path}`, { headers: { authorization: `Bearer ${c.key}` } });
  if (response.status !== 200) throw new Error(`${server.url}${c.path} answered ${response.status}`);
  const page = (await response.json()) as {
    next: string | null;
    next_cursor?: string | null;
    data: unknown[];
  };
  // `next` names the server's own port, and Trellis signs its cursor with its own secret (one HMAC, about
  // two microseconds, which the floor does not pay): both must have a cursor or neither; the rest is identical.
  return {
    ...page,
    next: page.next && new URL(page.next).pathname + new URL(page.next).search,
    next_cursor: page.next_cursor != null,
  };
}

/** Both servers must answer the same full page, or the comparison means nothing. */
async function assertSameAnswer(trellis: Server, floor: Server, c: Comparison) {
  const [a, b] = [await fetchPage(trellis, c), await fetchPage(floor, c)];
  if (a.data.length !== 100 || !isDeepStrictEqual(a, b)) {
    throw new Error('Trellis and the floor answer different pages: fix the floor before trusting the ratio');
  }
}

/** A connection string that names the application, so that its PostgreSQL backends can be told apart. */
const named = (url: string, name: string) => {
  const u = new URL(url);
  u.searchParams.set('application_name', name);
  return u.toString();
};

/** Starts both servers into `targets`, so that a failure to start the second still stops the first. */
async function startTargets(c: Comparison, targets: Target[]) {
  for (const [name, file, extra] of [
    ['trellis', './trellis-server.js', {}],
    ['floor', c.floor.file, { BENCH_QUERIES: JSON.stringify(c.floor.queries ?? []), ...c.floor.env }],
  ] as const) {
    const app = `trellis_bench_${name}`;
    const env = { BENCH_DB_URL: named(c.database.url, app), BENCH_POOL: String(loadConfig.pool), ...extra };
    targets.push({ name, server: await startServer(file, env), postgres: postgresCpu(c.database.url, app) });
  }
}

async function measure(targets: Target[], c: Comparison) {
  const options = (t: Target, duration: number): LoadOptions => ({
    url: `${t.server.url}${c.path}`,
    key: c.key,
    connections: loadConfig.connections,
    duration,
    ...(c.post && { post: c.post }),
    ...(c.headersFor && { headersFor: c.headersFor }),
  });
  for (const t of targets) await load(t, options(t, loadConfig.warmup));
  const totals = new Map<Target, Totals>(targets.map((t) => [t, emptyTotals()]));
  for (let round = 1; round <= loadConfig.rounds; round++) {
    for (const t of round % 2 === 1 ? targets : [...targets].reverse()) {
      const run = await load(t, options(t, loadConfig.duration));
      add(totals.get(t) as Totals, run);
      console.log(`round ${round}  ${describe(t.name, run)}`);
    }
  }
  return totals;
}

export function warnIfBusy() {
  const [oneMinute = 0] = loadavg();
  if (oneMinute > cpus().length / 2) {
    console.log(`note: load average ${oneMinute.toFixed(1)} before the run: other work shares the CPU`);
  }
}

export const loadLine = () =>
  `pool ${loadConfig.pool} · ${loadConfig.connections} connections × ${loadConfig.duration} s × ${loadConfig.rounds} rounds`;

/** Runs the comparison and prints each side's totals, then the ratio as the last line; returns the ratio. */
export async function compare(c: Comparison): Promise<number> {
  const targets: Target[] = [];
  const cleanUp = async () => {
    for (const t of targets) await t.server.stop();
  };
  process.once('SIGINT', () =>
    cleanUp()
      .then(() => c.database.drop())
      .finally(() => process.exit(130)),
  );
  try {
    await startTargets(c, targets);
    const [trellis, floor] = targets as [Target, Target];
    await (c.check ?? ((a, b) => assertSameAnswer(a, b, c)))(trellis.server, floor.server);
    const totals = await measure(targets, c);
    const rate = (t: Target) => {
      const total = totals.get(t) as Totals;
      return total.requests / total.seconds;
    };
    for (const t of targets) {
      const total = totals.get(t) as Totals;
      console.log(`${describe(t.name, { ...total, p99: Math.max(...total.p99) })} (p99: worst round)`);
    }
    const ratio = rate(trellis) / rate(floor);
    console.log(`ratio trellis/floor = ${ratio.toFixed(2)}`);
    return ratio;
  } finally {
    await cleanUp();
  }
}
