import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../db/schema.js';

/** A secret that signs or verifies cursors: only MACs made with it leave the server, never it. */
export interface CursorSecret {
  id: number;
  secret: Buffer;
  /** Milliseconds since the epoch after which it no longer verifies; null while it is the newest. */
  expiresAt: number | null;
}

/** The server's cursor secrets, from the database, remembered for a little while. */
export interface CursorSecrets {
  /** The newest secret that has not expired; the first one is made on demand. */
  signing(): Promise<CursorSecret>;
  /** The secret with this id if it still verifies now; null for an unknown or expired one. */
  verifying(id: number): Promise<CursorSecret | null>;
}

export interface CursorSecretOptions {
  /** The clock, in milliseconds (Date.now); tests move it instead of waiting. */
  now?: () => number;
  /** How long the secrets read are trusted before they are read again. */
  cacheMs?: number;
}

/** Another server may have rotated: an unknown id reads the table again, but at most this often. */
const UNKNOWN_ID_RELOAD_MS = 1_000;

const live = (secret: CursorSecret, now: number) => secret.expiresAt === null || secret.expiresAt > now;

async function readSecrets(db: Kysely<DB>): Promise<CursorSecret[]> {
  const rows = await db
    .selectFrom('cursor_secrets')
    .select(['id', 'secret', 'expires_at'])
    .orderBy('id', 'desc')
    .execute();
  return rows.map((row) => ({
    id: Number(row.id),
    // pg answers a Buffer, PGlite a Uint8Array.
    secret: Buffer.from(row.secret),
    expiresAt: row.expires_at === null ? null : Date.parse(row.expires_at),
  }));
}

/** Makes the first secret unless a live one exists (two servers starting together may both make one: harmless). */
async function createFirstSecret(db: Kysely<DB>) {
  await sql`insert into cursor_secrets (secret)
    select ${randomBytes(32)} where not exists (
      select 1 from cursor_secrets where expires_at is null or expires_at > now())`.execute(db);
}

/** The store a server keeps: one read of the (tiny) table a minute, and one more when a cursor names a new id. */
export function cursorSecretStore(db: Kysely<DB>, options: CursorSecretOptions = {}): CursorSecrets {
  const now = options.now ?? Date.now;
  const cacheMs = options.cacheMs ?? 60_000;
  let secrets: CursorSecret[] = [];
  let readAt = Number.NEGATIVE_INFINITY;
  let reading: Promise<CursorSecret[]> | null = null;

  const remember = (read: CursorSecret[]) => {
    secrets = read;
    readAt = now();
    return read;
  };
  const reload = () => {
    reading ??= readSecrets(db)
      .then(remember)
      .finally(() => {
        reading = null;
      });
    return reading;
  };
  const current = async () => (now() - readAt < cacheMs ? secrets : reload());
  // Concurrent first lists in one process make one secret between them.
  let creating: Promise<CursorSecret[]> | null = null;
  const create = () => {
    // A read of its own: one already under way may have begun before the insert.
    creating ??= createFirstSecret(db)
      .then(() => readSecrets(db))
      .then(remember)
      .finally(() => {
        creating = null;
      });
    return creating;
  };

  return {
    async signing() {
      let found = (await current()).find((secret) => live(secret, now()));
      if (!found) found = (await create()).find((secret) => live(secret, now()));
      if (!found) throw new Error('No cursor secret could be made');
      return found;
    },
    async verifying(id) {
      let found = (await current()).find((secret) => secret.id === id);
      if (!found && now() - readAt >= UNKNOWN_ID_RELOAD_MS) {
        found = (await reload()).find((secret) => secret.id === id);
      }
      return found && live(found, now()) ? found : null;
    },
  };
}

export interface Rotation {
  /** The new secret's id: it signs from now on (on every server within a minute). */
  id: number;
  /** How many older secrets still verify, and until when (ISO 8601), or null when none does. */
  retiring: number;
  until: string | null;
}

/**
 * Makes a new signing secret; the older ones verify for `graceHours` more (never longer than they already
 * would), so that walks under way are not broken. Secrets expired before now are deleted.
 */
export async function rotateCursorSecret(db: Kysely<DB>, graceHours: number): Promise<Rotation> {
  // The database's clock, not this process's: every server compares against the moment written here.
  const until = sql<string>`now() + ${graceHours * 3600} * interval '1 second'`;
  return db.transaction().execute(async (trx) => {
    await trx.deleteFrom('cursor_secrets').where('expires_at', '<=', sql<string>`now()`).execute();
    await trx
      .updateTable('cursor_secrets')
      .set({ expires_at: until })
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', until)]))
      .execute();
    const older = await trx
      .selectFrom('cursor_secrets')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('expires_at').as('until')])
      .where('expires_at', '>', sql<string>`now()`)
      .executeTakeFirstOrThrow();
    const created = await trx
      .insertInto('cursor_secrets')
      .values({ secret: randomBytes(32) })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: Number(created.id), retiring: Number(older.n), until: older.until ?? null };
  });
}
