import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const SAFE_ID = /^[\w.:@/+=-]{1,128}$/;

/** A request id the server makes. */
export const newRequestId = (): string => randomUUID();

/** The client's X-Request-Id when it is a sane token, a fresh UUID otherwise. */
export function requestIdFor(req: IncomingMessage): string {
  const sent = req.headers['x-request-id'];
  return typeof sent === 'string' && SAFE_ID.test(sent) ? sent : newRequestId();
}
