/** The child side of servers.ts: says where it listens and answers CPU-time questions from the bench. */
export function reportListening(address: string | { port: number } | null, stop: () => Promise<unknown>) {
  process.on('message', (message) => {
    if (message === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send?.({ cpuMs: (user + system) / 1000 });
    }
  });
  // Exits without closing pools: a request the load generator abandoned may still be running a query.
  process.on('SIGTERM', () => stop().then(() => process.exit(0)));
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
}
