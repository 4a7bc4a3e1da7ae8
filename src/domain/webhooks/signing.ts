import { createHmac } from 'node:crypto';

/**
 * The Standard Webhooks headers of one message (https://www.standardwebhooks.com): `webhook-id`, unix-second
 * `webhook-timestamp`, and `webhook-signature` = `v1,` and the base64 HMAC-SHA256 of `id.timestamp.body`,
 * keyed by the base64 bytes after `whsec_`. Every Standard Webhooks library verifies it (the tests use one).
 */
export function signedHeaders(secret: string, messageId: string, at: Date, body: string) {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const mac = createHmac('sha256', key).update(`${messageId}.${timestamp}.${body}`).digest('base64');
  return { 'webhook-id': messageId, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${mac}` };
}

/** An event's `webhook-id`: stable across retries and redeliveries, so receivers can drop repeats. */
export const messageIdOf = (eventId: number) => `evt_${eventId}`;

/** The body an endpoint receives: Standard Webhooks' `{type, timestamp, data}`. */
export const eventBody = (type: string, createdAt: string, data: unknown) =>
  JSON.stringify({ type, timestamp: createdAt, data });
