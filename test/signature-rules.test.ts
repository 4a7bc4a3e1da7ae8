import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { AppError } from '../src/domain/errors.js';
import {
  checkedTimestamp,
  generateHookToken,
  generateSigningSecret,
  type SignedHeaders,
  TOLERANCE_SECONDS,
  verifySignature,
} from '../src/domain/metric-hooks/signature.js';
import { eventBody, messageIdOf, signedHeaders } from '../src/domain/webhooks/signing.js';

/**
 * The two Standard Webhooks signatures, checked against the real `standardwebhooks` library: the inbound
 * metric hook's check (metric-hooks/signature.ts) and the outbound webhooks' signing (webhooks/signing.ts).
 * Called directly, so that mutation testing can run this suite once per mutant (docs/testing.md);
 * metric-hooks.test.ts and the webhook suites pin the same through HTTP.
 */
const NOW_MS = Date.UTC(2026, 0, 15, 12, 0, 0);
const NOW_S = NOW_MS / 1000;
const body = '{"value":42}';

/** Headers the real library signs `payload` with, at `seconds`. */
function signed(secret: string, seconds: number, payload = body, id = 'msg_1'): SignedHeaders {
  const signature = new Webhook(secret).sign(id, new Date(seconds * 1000), payload);
  return { id, timestamp: String(seconds), signature };
}

/** The sentence a refused message gets, or null when it passes both checks. */
function refusal(secret: string, headers: SignedHeaders, payload = body): string | null {
  try {
    checkedTimestamp(headers, NOW_MS);
    verifySignature(secret, headers, payload);
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('invalid_webhook_secret');
    return (error as Error).message;
  }
}

describe('an inbound metric hook message', () => {
  const secret = generateSigningSecret();

  it('passes when the real library signed it now, and gives its time', () => {
    expect(refusal(secret, signed(secret, NOW_S))).toBeNull();
    expect(checkedTimestamp(signed(secret, NOW_S - 7), NOW_MS)).toBe(NOW_S - 7);
  });

  it('is refused without any of its three headers', () => {
    const good = signed(secret, NOW_S);
    for (const missing of ['id', 'timestamp', 'signature'] as const) {
      expect(refusal(secret, { ...good, [missing]: undefined }), missing).toMatch(/^Send the webhook-id/);
      expect(refusal(secret, { ...good, [missing]: '' }), missing).toMatch(/^Send the webhook-id/);
    }
  });

  it('takes a webhook-id of 255 characters, not 256', () => {
    expect(refusal(secret, signed(secret, NOW_S, body, 'i'.repeat(255)))).toBeNull();
    expect(refusal(secret, signed(secret, NOW_S, body, 'i'.repeat(256)))).toBe(
      'webhook-id is longer than 255 characters.',
    );
  });

  it('takes a timestamp of unix seconds only', () => {
    const good = signed(secret, NOW_S);
    for (const timestamp of [`${NOW_S}.5`, `x${NOW_S}`, `${NOW_S}x`, '1234567890123', '-5', 'now']) {
      expect(refusal(secret, { ...good, timestamp }), timestamp).toBe(
        'webhook-timestamp must be unix seconds.',
      );
    }
  });

  it('is believed within five minutes either way, not a second beyond', () => {
    expect(refusal(secret, signed(secret, NOW_S - TOLERANCE_SECONDS))).toBeNull();
    expect(refusal(secret, signed(secret, NOW_S + TOLERANCE_SECONDS))).toBeNull();
    expect(refusal(secret, signed(secret, NOW_S - TOLERANCE_SECONDS - 1))).toBe(
      'The message is too old: webhook-timestamp is stale.',
    );
    expect(refusal(secret, signed(secret, NOW_S + TOLERANCE_SECONDS + 1))).toBe(
      'webhook-timestamp is too far in the future.',
    );
    expect(TOLERANCE_SECONDS).toBe(300);
    // Milliseconds are dropped, not rounded: 299.9 s later is still within the five minutes.
    expect(checkedTimestamp(signed(secret, NOW_S - 300), NOW_MS + 999)).toBe(NOW_S - 300);
  });

  it("is refused when the signature is not the body's under this secret", () => {
    const good = signed(secret, NOW_S);
    const wrong = "The signature is not this body's under the webhook's secret.";
    expect(refusal(secret, good, '{"value":43}')).toBe(wrong);
    expect(refusal(generateSigningSecret(), good)).toBe(wrong);
    expect(refusal(secret, { ...good, id: 'msg_2' })).toBe(wrong);
    expect(refusal(secret, { ...good, timestamp: String(NOW_S - 1) })).toBe(wrong);
    const mac = good.signature?.slice(3) ?? '';
    expect(refusal(secret, { ...good, signature: `v2,${mac}` })).toBe(wrong);
    expect(refusal(secret, { ...good, signature: 'v1,' })).toBe(wrong);
    expect(refusal(secret, { ...good, signature: `v1,${mac.slice(0, 20)}` })).toBe(wrong);
  });

  it('passes when any one of several space-separated signatures is right', () => {
    const good = signed(secret, NOW_S);
    const other = signed(generateSigningSecret(), NOW_S).signature;
    expect(refusal(secret, { ...good, signature: `${other} ${good.signature}` })).toBeNull();
    expect(refusal(secret, { ...good, signature: `v1 ${good.signature} v1,AAAA` })).toBeNull();
  });

  it('has an unguessable URL token and a whsec_ secret of 32 bytes', () => {
    const token = generateHookToken();
    expect(token).toMatch(/^hk_[A-Za-z0-9_-]{43}$/);
    expect(generateHookToken()).not.toBe(token);
    const made = generateSigningSecret();
    expect(made).toMatch(/^whsec_/);
    expect(Buffer.from(made.slice(6), 'base64')).toHaveLength(32);
    expect(generateSigningSecret()).not.toBe(made);
  });
});

describe('an outbound webhook message', () => {
  const secret = generateSigningSecret();
  // The library checks the timestamp against its own clock: sign now, 600 ms into a second.
  const second = Math.floor(Date.now() / 1000);
  const at = new Date(second * 1000 + 600);
  const payload = eventBody('goal.updated', '2026-01-15T12:00:00.000Z', { id: 7 });

  it('carries headers the real library verifies', () => {
    const headers = signedHeaders(secret, messageIdOf(42), at, payload);
    expect(headers['webhook-id']).toBe('evt_42');
    expect(headers['webhook-timestamp']).toBe(String(second));
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    const wh = new Webhook(secret);
    const verified = wh.verify(payload, headers);
    expect(verified).toEqual({
      type: 'goal.updated',
      timestamp: '2026-01-15T12:00:00.000Z',
      data: { id: 7 },
    });
  });

  it('does not verify under another secret or for another body', () => {
    const headers = signedHeaders(secret, messageIdOf(42), new Date(), payload);
    expect(() => new Webhook(generateSigningSecret()).verify(payload, headers)).toThrow();
    expect(() => new Webhook(secret).verify(`${payload} `, headers)).toThrow();
  });

  it('verifies with our own inbound check too', () => {
    const headers = signedHeaders(secret, 'evt_1', new Date(NOW_MS + 600), payload);
    const inbound = {
      id: headers['webhook-id'],
      timestamp: headers['webhook-timestamp'],
      signature: headers['webhook-signature'],
    };
    expect(refusal(secret, inbound, payload)).toBeNull();
  });
});
