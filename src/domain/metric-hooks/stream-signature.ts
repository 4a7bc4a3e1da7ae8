import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors.js';

/** The stream's URL part: 32 random bytes, unguessable; only its SHA-256 is stored. */
export const generateStreamKey = () => `ds_${randomBytes(32).toString('base64url')}`;

/** The secret `x-stream-signature` is made with: 32 random bytes. */
export const generateStreamSecret = () => `dss_${randomBytes(32).toString('base64url')}`;

const same = (given: Buffer, expected: Buffer) =>
  given.length === expected.length && timingSafeEqual(given, expected);

/**
 * `x-stream-signature`: the HMAC-SHA256 of the raw body keyed by the stream's secret, in hex (optionally
 * `sha256=`-prefixed) or base64; or the secret itself, which is what WorkBoard's own senders send (a static
 * signature shown at creation, docs/webhooks.md). Every comparison is constant-time.
 */
export function verifyStreamSignature(secret: string, header: string | undefined, body: string): void {
  if (!header) throw new AppError('invalid_webhook_secret', 'Send the x-stream-signature header.');
  const given = header.trim().replace(/^sha256=/i, '');
  const mac = createHmac('sha256', secret).update(body).digest();
  const candidates = [
    /^[0-9a-f]{64}$/i.test(given) && same(Buffer.from(given, 'hex'), mac),
    same(Buffer.from(given, 'base64'), mac),
    same(Buffer.from(given), Buffer.from(secret)),
  ];
  if (!candidates.includes(true)) {
    throw new AppError(
      'invalid_webhook_secret',
      "The signature is not this body's under the stream's secret.",
    );
  }
}
