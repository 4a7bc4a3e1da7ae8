import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AppError } from '../src/domain/errors.js';
import {
  CODE_LIFETIME_MS,
  DEFAULT_ROTATION_OVERLAP_S,
  MAX_ROTATION_OVERLAP_S,
  narrowScope,
  parseScope,
  pkceChallengeProblem,
  pkceVerifierMatches,
  redirectUriProblem,
  redirectUriRegistered,
  scopeAllowsWrite,
  TOKEN_LIFETIME_MS,
} from '../src/domain/oauth/rules.js';
import {
  hashSecret,
  isAccessToken,
  newAccessToken,
  newClientHash,
  newClientId,
  newCode,
  newInstantToken,
  newRefreshToken,
  secretMatches,
} from '../src/domain/oauth/secret.js';

/**
 * The OAuth rules every path decides the same way (oauth/rules.ts) and the client secrets (oauth/secret.ts),
 * called directly so that mutation testing can run this suite once per mutant (docs/testing.md); the
 * oauth-* suites pin the same through HTTP and a real OAuth client.
 */
const challengeOf = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');
// RFC 7636, appendix B.
const RFC_VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const RFC_CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

function scopeRefusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('invalid_scope');
    return (error as Error).message;
  }
  throw new Error('expected invalid_scope');
}

describe('client secrets', () => {
  it('matches the hash it was stored as, and nothing else', () => {
    const secret = newClientHash();
    const stored = hashSecret(secret);
    expect(secretMatches(secret, stored)).toBe(true);
    expect(secretMatches(`${secret}x`, stored)).toBe(false);
    expect(secretMatches(newClientHash(), stored)).toBe(false);
    expect(secretMatches(secret, null)).toBe(false);
    expect(stored.equals(createHash('sha256').update(secret).digest())).toBe(true);
  });

  it('says what each secret is by its prefix, with 32 random bytes behind it', () => {
    const body = /[A-Za-z0-9_-]{43}$/;
    expect(newClientHash()).toMatch(new RegExp(`^twh_${body.source}`));
    expect(newCode()).toMatch(new RegExp(`^twcode_${body.source}`));
    expect(newAccessToken('live')).toMatch(new RegExp(`^twa_live_${body.source}`));
    expect(newAccessToken('test')).toMatch(/^twa_test_/);
    expect(newInstantToken('test')).toMatch(new RegExp(`^twi_test_${body.source}`));
    expect(newRefreshToken()).toMatch(new RegExp(`^twr_${body.source}`));
    expect(newClientId()).toMatch(/^twc_[A-Za-z0-9_-]{16}$/);
    expect(newClientHash()).not.toBe(newClientHash());
  });

  it('takes only app and instant tokens as access tokens', () => {
    expect(isAccessToken(newAccessToken('live'))).toBe(true);
    expect(isAccessToken(newInstantToken('live'))).toBe(true);
    expect(isAccessToken(newRefreshToken())).toBe(false);
    expect(isAccessToken('tw_live_abc')).toBe(false);
    expect(isAccessToken('xtwa_live_abc')).toBe(false);
  });
});

describe('PKCE', () => {
  it('takes only S256, with a challenge of 43 to 128 unreserved characters', () => {
    const challenge = challengeOf(RFC_VERIFIER);
    expect(pkceChallengeProblem(challenge, 'S256')).toBeNull();
    expect(pkceChallengeProblem(challenge, 'plain')).toBe('code_challenge_method must be S256');
    expect(pkceChallengeProblem(challenge, undefined)).toBe('code_challenge_method must be S256');
    expect(pkceChallengeProblem(challenge, 's256')).toBe('code_challenge_method must be S256');
    const bad = 'code_challenge is not a valid S256 challenge';
    expect(pkceChallengeProblem('a'.repeat(42), 'S256')).toBe(bad);
    expect(pkceChallengeProblem('a'.repeat(43), 'S256')).toBeNull();
    expect(pkceChallengeProblem('a'.repeat(128), 'S256')).toBeNull();
    expect(pkceChallengeProblem('a'.repeat(129), 'S256')).toBe(bad);
    expect(pkceChallengeProblem(`${'a'.repeat(43)}+`, 'S256')).toBe(bad);
    expect(pkceChallengeProblem(`+${'a'.repeat(43)}`, 'S256')).toBe(bad);
    expect(pkceChallengeProblem(`${'A'.repeat(40)}._~-`, 'S256')).toBeNull();
  });

  it("matches the verifier whose S256 is the code's challenge, and no other", () => {
    expect(challengeOf(RFC_VERIFIER)).toBe(RFC_CHALLENGE);
    expect(pkceVerifierMatches(RFC_VERIFIER, RFC_CHALLENGE)).toBe(true);
    expect(pkceVerifierMatches(`${RFC_VERIFIER}A`, RFC_CHALLENGE)).toBe(false);
    expect(pkceVerifierMatches(RFC_VERIFIER, `${RFC_CHALLENGE}A`)).toBe(false);
    expect(pkceVerifierMatches(RFC_VERIFIER, RFC_CHALLENGE.slice(0, -1))).toBe(false);
    // A verifier that is itself not 43–128 unreserved characters never matches, even its own hash.
    const short = 'a'.repeat(42);
    expect(pkceVerifierMatches(short, challengeOf(short))).toBe(false);
    const spaced = `${'a'.repeat(43)} `;
    expect(pkceVerifierMatches(spaced, challengeOf(spaced))).toBe(false);
    const longest = 'b'.repeat(128);
    expect(pkceVerifierMatches(longest, challengeOf(longest))).toBe(true);
  });
});

describe('redirect URIs', () => {
  it('registers https, and plain http on a loopback address only', () => {
    expect(redirectUriProblem('https://app.example.com/cb')).toBeNull();
    for (const loopback of ['http://localhost:8080/cb', 'http://127.0.0.1/cb', 'http://[::1]:9/cb']) {
      expect(redirectUriProblem(loopback), loopback).toBeNull();
    }
    const plain = 'must use https (plain http only on a loopback address)';
    expect(redirectUriProblem('http://app.example.com/cb')).toBe(plain);
    expect(redirectUriProblem('ftp://localhost/cb')).toBe(plain);
    expect(redirectUriProblem('myapp://cb')).toBe(plain);
  });

  it('refuses a relative URI, a fragment, or credentials', () => {
    expect(redirectUriProblem('/cb')).toBe('is not an absolute URL');
    expect(redirectUriProblem('https://app.example.com/cb#x')).toBe('must not have a fragment');
    expect(redirectUriProblem('https://app.example.com/cb#')).toBe('must not have a fragment');
    expect(redirectUriProblem('https://u@app.example.com/cb')).toBe('must not hold credentials');
    expect(redirectUriProblem('https://:p@app.example.com/cb')).toBe('must not hold credentials');
  });

  it('matches a registered URI character for character', () => {
    const registered = ['https://app.example.com/cb', 'http://localhost/cb'];
    expect(redirectUriRegistered(registered, 'https://app.example.com/cb')).toBe(true);
    expect(redirectUriRegistered(registered, 'http://localhost/cb')).toBe(true);
    expect(redirectUriRegistered(registered, 'https://app.example.com/cb/more')).toBe(false);
    expect(redirectUriRegistered(registered, 'https://app.example.com/')).toBe(false);
  });
});

describe('scopes', () => {
  it('gives read and write when nothing is asked, read alone for read, both for write', () => {
    for (const nothing of [undefined, null, '', '   ']) expect(parseScope(nothing)).toBe('read write');
    expect(parseScope('read')).toBe('read');
    expect(parseScope(' read  read ')).toBe('read');
    expect(parseScope('write')).toBe('read write');
    expect(parseScope('write\tread')).toBe('read write');
  });

  it('refuses an unknown scope, naming it', () => {
    expect(scopeRefusal(() => parseScope('read admin'))).toBe(
      'Unknown scope "admin": use read and/or write.',
    );
    expect(scopeRefusal(() => parseScope('x'.repeat(60)))).toBe(
      `Unknown scope "${'x'.repeat(40)}": use read and/or write.`,
    );
  });

  it('narrows on refresh, never widens', () => {
    expect(narrowScope('read write', 'read')).toBe('read');
    expect(narrowScope('read write', 'write')).toBe('read write');
    expect(narrowScope('read', 'read')).toBe('read');
    for (const nothing of [undefined, null, '', ' ']) expect(narrowScope('read', nothing)).toBe('read');
    expect(scopeRefusal(() => narrowScope('read', 'read write'))).toBe(
      'The grant\'s scope is "read"; a refresh cannot widen it.',
    );
  });

  it('lets a write through only with the write scope', () => {
    expect(scopeAllowsWrite('read write')).toBe(true);
    expect(scopeAllowsWrite('read')).toBe(false);
    expect(scopeAllowsWrite('readwrite')).toBe(false);
  });

  it('keeps codes five minutes, tokens a year, an old client hash a day by default and 30 at most', () => {
    expect(CODE_LIFETIME_MS).toBe(300_000);
    expect(TOKEN_LIFETIME_MS).toBe(365 * 24 * 3600 * 1000);
    expect(DEFAULT_ROTATION_OVERLAP_S).toBe(86_400);
    expect(MAX_ROTATION_OVERLAP_S).toBe(2_592_000);
  });
});
