import { PerformanceObserver } from 'node:perf_hooks';

/**
 * The child side of servers.ts: says where it listens and answers the bench's questions about the CPU time
 * it has used, garbage collection included.
 */
export function reportListening(address: string | { port: number } | null, stop: () => Promise<unknown>) {
  /** Milliseconds spent collecting garbage since the server started listening. */
  let gcMs = 0;
  new PerformanceObserver((entries) => {
    for (const entry of entries.getEntries()) gcMs += entry.duration;
  }).observe({ entryTypes: ['gc'] });
  process.on('message', (message) => {
    if (message === 'usage') {
      const { user, system } = process.cpuUsage();
      process.send?.({ cpuMs: (user + system) / 1000, gcMs });
    }
  });
  // Exits without closing pools: a request the load generator abandoned may still be running a query.
  process.on('SIGTERM', () => stop().then(() => process.exit(0)));
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
}
