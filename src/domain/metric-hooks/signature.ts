import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors.js';

/**
 * Standard Webhooks (https://www.standardwebhooks.com): `webhook-signature` holds one or more
 * space-separated `v1,<base64 HMAC-SHA256>` over `${webhook-id}.${webhook-timestamp}.${body}`, keyed by
 * the base64 bytes of the `whsec_…` secret; the timestamp is unix seconds.
 */
const SECRET_PREFIX = 'whsec_';
/** Both ways: a message signed further in the past is stale, further in the future is not believed. */
export const TOLERANCE_SECONDS = 5 * 60;

/** The hook's URL part: 32 random bytes, unguessable; only its SHA-256 is stored. */
export const generateHookToken = () => `hk_${randomBytes(32).toString('base64url')}`;

/** A signing secret as Standard Webhooks libraries take it: `whsec_` and 32 random bytes in base64. */
export const generateSigningSecret = () => `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;

export interface SignedHeaders {
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
}

const refused = (why: string) => new AppError('invalid_webhook_secret', why);

/** The message's time (unix seconds) once its headers are well-formed and its time is within tolerance. */
export function checkedTimestamp(headers: SignedHeaders, nowMs: number): number {
  if (!headers.id || !headers.timestamp || !headers.signature) {
    throw refused(
      'Send the webhook-id, webhook-timestamp and webhook-signature headers (Standard Webhooks).',
    );
  }
  if (headers.id.length > 255) throw refused('webhook-id is longer than 255 characters.');
  if (!/^\d{1,12}$/.test(headers.timestamp)) throw refused('webhook-timestamp must be unix seconds.');
  const sentAt = Number(headers.timestamp);
  const now = Math.floor(nowMs / 1000);
  if (sentAt < now - TOLERANCE_SECONDS) throw refused('The message is too old: webhook-timestamp is stale.');
  if (sentAt > now + TOLERANCE_SECONDS) throw refused('webhook-timestamp is too far in the future.');
  return sentAt;
}

/** Throws invalid_webhook_secret unless one of the header's `v1` signatures is the body's, compared in constant time. */
export function verifySignature(secret: string, headers: SignedHeaders, body: string): void {
  const key = Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
  const expected = createHmac('sha256', key).update(`${headers.id}.${headers.timestamp}.${body}`).digest();
  for (const entry of (headers.signature ?? '').split(' ')) {
    const [version, value] = entry.split(',', 2);
    if (version !== 'v1' || !value) continue;
    const given = Buffer.from(value, 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return;
  }
  throw refused("The signature is not this body's under the webhook's secret.");
}
