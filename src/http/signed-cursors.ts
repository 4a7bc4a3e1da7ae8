import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../domain/errors.js';
import { principalOf } from './auth.js';
import type { CursorSecrets } from './cursor-secrets.js';

/**
 * A cursor as a client sees it: base64url of a version byte, the id of the secret that signed it (4 bytes),
 * an HMAC-SHA256 (32 bytes) and the domain's position. The MAC covers the position and what it was made
 * for: the route, its path parameters, its filters and the caller. None of those travel in the cursor; they
 * are read off the request that brings it back, so a cursor replayed anywhere else fails verification.
 */
const VERSION = 1;
const HEADER = 1 + 4 + 32;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** The query parameters that move through a list rather than choose it. */
const PAGING = new Set(['page', 'size', 'cursor']);

/** Objects with their keys sorted, at every depth; arrays keep their order (it may mean something). */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, canonical(v)]));
}

/** What a cursor is bound to, as one string: the same list asked for by the same caller gives the same one. */
export function cursorBinding(request: FastifyRequest): string {
  const { orgId, mode, apiKeyId, userId } = principalOf(request);
  const query = Object.entries((request.query ?? {}) as Record<string, unknown>).filter(
    ([name]) => !PAGING.has(name),
  );
  return JSON.stringify([
    request.method,
    request.routeOptions.url ?? '',
    canonical(request.params ?? {}),
    canonical(Object.fromEntries(query)),
    [orgId, mode, apiKeyId, userId],
  ]);
}

const macOf = (secret: Buffer, binding: string, position: Buffer) =>
  createHmac('sha256', secret).update(`trellis cursor v${VERSION}\n${binding}\n`).update(position).digest();

/** Signs the domain's position for this binding with the newest secret. */
export async function signCursor(secrets: CursorSecrets, position: string, binding: string): Promise<string> {
  const { id, secret } = await secrets.signing();
  const body = Buffer.from(position);
  const header = Buffer.alloc(HEADER);
  header.writeUInt8(VERSION, 0);
  header.writeUInt32BE(id, 1);
  macOf(secret, binding, body).copy(header, 5);
  return Buffer.concat([header, body]).toString('base64url');
}

/**
 * The position inside a cursor this API signed for this binding, with a secret that still verifies.
 * Anything else (malformed, tampered, expired, made for another list or caller) is 400 invalid_cursor,
 * and the answer never says which: a forger learns nothing from it.
 */
export async function openCursor(secrets: CursorSecrets, cursor: string, binding: string): Promise<string> {
  const bytes = BASE64URL.test(cursor) ? Buffer.from(cursor, 'base64url') : Buffer.alloc(0);
  // One spelling per cursor: trailing bits or characters the decoder drops do not make a second one.
  if (bytes.length <= HEADER || bytes.toString('base64url') !== cursor || bytes[0] !== VERSION) {
    throw new AppError('invalid_cursor');
  }
  const secret = await secrets.verifying(bytes.readUInt32BE(1));
  const position = bytes.subarray(HEADER);
  if (!secret || !timingSafeEqual(bytes.subarray(5, HEADER), macOf(secret.secret, binding, position))) {
    throw new AppError('invalid_cursor');
  }
  return position.toString();
}
