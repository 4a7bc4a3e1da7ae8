import type { FastifyReply, FastifyRequest } from 'fastify';

/** A year: browsers remember to use https only once they have reached the server over it. */
const HSTS = 'max-age=31536000';

/** Headers of every answer, including those written outside Fastify's hooks (client-error.ts). */
export function answerHeaders(tls: boolean): Record<string, string> {
  return {
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
    ...(tls && { 'Strict-Transport-Security': HSTS }),
  };
}

/**
 * The console's policy (src/faces/console/): its own scripts and styles only, nothing inline, and API calls
 * to this server alone. Styles set through the CSSOM (a progress bar's width) are not inline styles.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The Swagger UI's own CSP (it hashes its inline bits), never framed, and usable over plain http. */
export const docsCsp = (header: string) =>
  header
    .replace(/frame-ancestors [^;]*;/, "frame-ancestors 'none';")
    .replace(/\s*upgrade-insecure-requests;/, '');

/**
 * An onSend hook: nosniff on every answer, no-store unless the route chose its own caching (the Swagger
 * UI's static files do), HSTS when serving TLS, and no framing of the docs.
 */
export function securityHeaders(tls: boolean, docsPrefix: string) {
  const { 'Cache-Control': cache, ...always } = answerHeaders(tls);
  return async (request: FastifyRequest, reply: FastifyReply) => {
    reply.headers(always);
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', cache);
    if (request.url === docsPrefix || request.url.startsWith(`${docsPrefix}/`)) {
      reply.header('x-frame-options', 'DENY');
    }
  };
}
