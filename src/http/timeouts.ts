import type { FastifyServerOptions } from 'fastify';

/** How long the server waits on a client, in milliseconds (docs/limits.md). */
export interface ServerTimeouts {
  /** The request line and headers must arrive within this (Node's headersTimeout): else 408. */
  headers: number;
  /** The whole request, body included (Node's requestTimeout): else 408. */
  request: number;
  /** An idle kept-alive connection is closed after this (Node's keepAliveTimeout). */
  keepAlive: number;
  /** A connection on which nothing moves for this long is closed (Node's server.timeout). */
  connection: number;
}

/** What `trellis serve` uses unless told otherwise; src/config.ts reads the same defaults in seconds. */
export const DEFAULT_TIMEOUTS: ServerTimeouts = {
  headers: 30_000,
  request: 120_000,
  // Fastify's own default: longer than the 60 s idle timeout of common load balancers, which close first.
  keepAlive: 72_000,
  connection: 300_000,
};

/** Node checks the headers and request deadlines on a timer: every second, or more often for short ones. */
const checkingInterval = (t: ServerTimeouts) => Math.max(10, Math.min(1000, Math.floor(t.headers / 4)));

/**
 * The timeouts as Fastify's options, and the settings Node takes only when the server is made
 * (headersTimeout and the checking interval, whose default of 30 s would make a 30 s deadline 60).
 */
export function timeoutOptions(
  timeouts: ServerTimeouts,
  https: { key: Buffer; cert: Buffer } | null,
): Partial<FastifyServerOptions> & { https?: object; http?: object } {
  const node = { headersTimeout: timeouts.headers, connectionsCheckingInterval: checkingInterval(timeouts) };
  return {
    requestTimeout: timeouts.request,
    keepAliveTimeout: timeouts.keepAlive,
    connectionTimeout: timeouts.connection,
    ...(https ? { https: { ...https, ...node } } : { http: node }),
  };
}
