import { isIPv6 } from 'node:net';
import rateLimit, { type CreateRateLimitOptions } from '@fastify/rate-limit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../domain/errors.js';
import { hashKey } from '../domain/keys/secret.js';
import type { CredentialReader } from './auth.js';
import type { App } from './instance.js';

/** Requests a window each API key and each client address may make; null turns a limit off. */
export interface RateLimits {
  perKey: number | null;
  perAddress: number | null;
  /** The window the counts run over: a minute unless a test wants less. */
  windowMs?: number;
}

/** Keys and addresses each limiter remembers (least recently seen forgotten first: they start afresh). */
const REMEMBERED = 20_000;

type Check = ReturnType<App['createRateLimit']>;
/** `cache` sizes the limiter's own store; the plugin's types leave it out, its local store reads it. */
type LimiterOptions = CreateRateLimitOptions & { cache: number };
type Verdict = Awaited<ReturnType<Check>>;

/** Checks a request's API key against its limit, before the key is looked up; the face reads the key. */
export type KeyLimit = (
  request: FastifyRequest,
  reply: FastifyReply,
  read: CredentialReader,
) => Promise<void>;

/** An IPv6 address's eight groups, without leading zeros: `2001:db8::1` → 2001, db8, 0, 0, 0, 0, 0, 1. */
function ipv6Groups(ip: string): string[] {
  const [head = '', tail] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((group) => group.replace(/^0+(?=.)/, ''));
}

/**
 * The address a client is counted under: its IP as the trust-proxy setting reads it, but an IPv6 client's
 * /64, since one host is usually handed a whole /64 and could otherwise take a fresh address per request.
 */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1]) return mapped[1];
  if (!isIPv6(ip)) return ip;
  return `${ipv6Groups(ip).slice(0, 4).join(':')}::/64`;
}

/** The limit's headers on every answer it counts; the tighter of two limits is the one shown. */
function enforce(verdict: Verdict, reply: FastifyReply, whose: string) {
  if (verdict.isAllowed) return;
  const shown = reply.getHeader('x-ratelimit-remaining');
  if (shown === undefined || verdict.remaining <= Number(shown)) {
    reply.header('x-ratelimit-limit', verdict.max);
    reply.header('x-ratelimit-remaining', verdict.remaining);
    reply.header('x-ratelimit-reset', verdict.ttlInSeconds);
  }
  if (!verdict.isExceeded) return;
  reply.header('retry-after', verdict.ttlInSeconds);
  throw new AppError(
    'rate_limited',
    `More than ${verdict.max} requests in ${verdict.timeWindow / 1000} s from this ${whose}; retry in ${verdict.ttlInSeconds} s.`,
  );
}

/** The credential's hash, or null when there is none to count (the face's authentication refuses it). */
function credentialHash(request: FastifyRequest, read: CredentialReader): string | null {
  try {
    return hashKey(read(request).secret).toString('base64url');
  } catch {
    return null;
  }
}

/**
 * Registers the per-address limit on every route (an onRequest hook, so before any authentication or
 * body) and returns the per-key one for the faces to run before they authenticate. Counts are kept in
 * this process (@fastify/rate-limit's local store); a refused request writes nothing and reads no key.
 */
export async function registerRateLimits(app: App, limits: RateLimits): Promise<KeyLimit | undefined> {
  const timeWindow = limits.windowMs ?? 60_000;
  await app.register(rateLimit, { global: false });
  if (limits.perAddress) {
    const byAddress: LimiterOptions = {
      max: limits.perAddress,
      timeWindow,
      cache: REMEMBERED,
      keyGenerator: (request) => addressKey(request.ip),
    };
    const check = app.createRateLimit(byAddress);
    app.addHook('onRequest', async (request, reply) => {
      // Health probes come from load balancers, which share the address of everything they forward.
      if (request.routeOptions.config.rateLimit === false) return;
      enforce(await check(request), reply, 'address');
    });
  }
  if (!limits.perKey) return undefined;
  // Counted by the key's hash, never the key, and across faces: one key, one budget.
  const hashes = new WeakMap<FastifyRequest, string>();
  const byKey: LimiterOptions = {
    max: limits.perKey,
    timeWindow,
    cache: REMEMBERED,
    keyGenerator: (request) => hashes.get(request) ?? '',
  };
  const check = app.createRateLimit(byKey);
  return async (request, reply, read) => {
    const hash = credentialHash(request, read);
    if (hash === null) return;
    hashes.set(request, hash);
    enforce(await check(request), reply, 'API key');
  };
}
