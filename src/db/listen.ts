import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/** What a listener hears: each notification, and whether it can currently promise to hear them. */
export interface ListenHandlers {
  notified(): void;
  /** Listening: every notification from now on will arrive. */
  ready(): void;
  /** Not listening: notifications may be missed until the next ready(). */
  lost(): void;
}

export type Unlisten = () => Promise<void>;
const RETRY_MS = 1000;

/**
 * LISTEN on a connection of its own (the pool's come and go), opened again a second after it is lost.
 * `channel` is one of our constant identifiers, never input.
 */
export function listenPostgres(
  connectionString: string,
  channel: string,
  handlers: ListenHandlers,
): Unlisten {
  let stopped = false;
  let current: pg.Client | null = null;
  const open = async () => {
    if (stopped) return;
    const client = new pg.Client({ connectionString });
    current = client;
    let listening = false;
    client.on('notification', (message) => {
      if (message.channel === channel) handlers.notified();
    });
    client.on('error', () => {}); // 'end' follows, and says what matters
    client.on('end', () => {
      handlers.lost();
      if (listening && !stopped) setTimeout(open, RETRY_MS).unref();
    });
    try {
      await client.connect();
      await client.query(`listen ${channel}`);
      listening = true;
      handlers.ready();
    } catch {
      handlers.lost();
      await client.end().catch(() => {});
      if (!stopped) setTimeout(open, RETRY_MS).unref();
    }
  };
  void open();
  return async () => {
    stopped = true;
    await current?.end().catch(() => {});
  };
}

/** PGlite runs in this process: its notifications cannot be lost. */
export async function listenPGlite(
  pglite: PGlite,
  channel: string,
  handlers: ListenHandlers,
): Promise<Unlisten> {
  const unlisten = await pglite.listen(channel, () => handlers.notified());
  handlers.ready();
  return () => unlisten();
}
