import type { Database } from '../../db/connect.js';
import type { Principal } from './principal.js';

/** Who a key belongs to, as the auth query last said, and when its last use was recorded. */
export interface KnownKey {
  principal: Omit<Principal, 'requestId'>;
  touchedAt: number;
}

/** The channel the database's triggers notify on any change to what the auth query reads (migration 0004). */
export const AUTH_CHANNEL = 'trellis_auth';
const MAX_KEYS = 10_000;
/** A backstop only: changes are heard at once. */
const MAX_AGE_MS = 60_000;

/**
 * Principals of keys in use, so that a request need not ask the database who its key belongs to: that
 * query was a second round trip on every request. Correctness rests on forgetting, not on expiry: the
 * database notifies AUTH_CHANNEL on any change to a key, its holder's status, role or data-admin grant, or
 * privacy-notice acceptance, from whatever process makes it, and this server forgets everything it knows;
 * its own writes forget at once (forgetAll before a write's answer leaves). While it is not listening
 * (starting, or its connection lost) it caches nothing.
 */
export class PrincipalCache {
  /** By the key's hash (base64), never the key. */
  #known = new Map<string, { known: KnownKey; cachedAt: number }>();
  #listening = false;
  /** Bumped on every forget: a lookup that began before one must not store what it read. */
  #generation = 0;

  get generation() {
    return this.#generation;
  }

  get(hash: Buffer): KnownKey | undefined {
    const id = hash.toString('base64');
    const entry = this.#known.get(id);
    if (entry && Date.now() - entry.cachedAt > MAX_AGE_MS) {
      this.#known.delete(id);
      return undefined;
    }
    return entry?.known;
  }

  /** Stores what a lookup begun at `generation` read, unless something was forgotten since. */
  remember(hash: Buffer, known: KnownKey, generation: number) {
    if (!this.#listening || generation !== this.#generation) return;
    if (this.#known.size >= MAX_KEYS) this.#known.delete(this.#known.keys().next().value as string);
    this.#known.set(hash.toString('base64'), { known, cachedAt: Date.now() });
  }

  forgetAll() {
    this.#generation++;
    this.#known.clear();
  }

  listening(on: boolean) {
    this.forgetAll();
    this.#listening = on;
  }
}

/** A cache that hears the database's notifications until the database is closed. */
export async function listeningPrincipalCache(database: Database): Promise<PrincipalCache> {
  const cache = new PrincipalCache();
  await database.listen(AUTH_CHANNEL, {
    notified: () => cache.forgetAll(),
    ready: () => cache.listening(true),
    lost: () => cache.listening(false),
  });
  return cache;
}
