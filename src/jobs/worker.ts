import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { AddressAllowList } from '../domain/webhooks/addresses.js';
import { eventBody, messageIdOf, signedHeaders } from '../domain/webhooks/signing.js';
import { type ClaimedDelivery, claimDue, type Outcome, settle } from './deliveries.js';
import { type Answer, outboundSender, SendFailure, storable } from './outbound-http.js';
import { nextAttemptAt } from './schedule.js';

export interface WorkerOptions {
  db: Kysely<DB>;
  allow: AddressAllowList;
  /** Deliveries claimed (and sent at once) per round. */
  batchSize?: number;
  /** How long a claim holds: well past the send timeout, so a live worker's claim never lapses. */
  leaseMs?: number;
  timeoutMs?: number;
  /** How long an idle worker waits before it looks again. */
  pollMs?: number;
  /** The retry jitter's source (Math.random); tests fix it. */
  random?: () => number;
  /** Errors of a round (the database gone away): logged, and the loop carries on. */
  onError?: (error: unknown) => void;
}

export interface DeliveryWorker {
  readonly id: string;
  /** One round at `now` (ms): claims what is due, sends it, records what happened; answers how many. */
  runOnce(now?: number): Promise<number>;
  /** Runs rounds until stopped: at once while there is work, every pollMs when idle. */
  start(): void;
  /** Finishes the round under way and stops; the connections close. */
  stop(): Promise<void>;
}

function outcomeOf(d: ClaimedDelivery, result: Answer | SendFailure, now: number, random: () => number) {
  const answer = result instanceof SendFailure ? null : result;
  const ok = answer !== null && answer.status >= 200 && answer.status < 300;
  const gone = answer?.status === 410;
  const next = ok || gone ? null : nextAttemptAt(d.attempt_count, now, random);
  const status: Outcome['status'] = ok ? 'succeeded' : next ? 'failed' : 'abandoned';
  return {
    org_id: d.org_id,
    mode: d.mode,
    id: d.id,
    endpoint_id: d.endpoint_id,
    status,
    next_attempt_at: next?.toISOString() ?? null,
    code: answer?.status ?? null,
    ms: result.latencyMs,
    response: answer?.body ?? null,
    error:
      result instanceof SendFailure
        ? storable(result.message).slice(0, 500)
        : ok
          ? null
          : `HTTP ${result.status}`,
    gone,
  } satisfies Outcome;
}

/** The outbound webhooks worker (docs/webhooks.md, "Outbound events"): any number may run on one database. */
export function deliveryWorker(options: WorkerOptions): DeliveryWorker {
  const { db, batchSize = 32, leaseMs = 60_000, pollMs = 1_000, random = Math.random } = options;
  const id = `worker-${randomUUID()}`;
  const sender = outboundSender(options.allow, options.timeoutMs ?? 10_000);

  const send = (d: ClaimedDelivery) => {
    const body = eventBody(d.type, d.created_at, d.payload);
    // Signed at the moment of sending, whatever clock decides what is due: receivers check it against theirs.
    const headers = signedHeaders(d.signing_secret, messageIdOf(d.event_id), new Date(), body);
    return sender
      .post(d.url, headers, body)
      .catch((e: unknown) => (e instanceof SendFailure ? e : new SendFailure(String(e), 0)));
  };

  const runOnce = async (now = Date.now()) => {
    const claimed = await claimDue(db, id, new Date(now), leaseMs, batchSize);
    const results = await Promise.all(claimed.map(send));
    await settle(
      db,
      id,
      claimed.map((d, i) => outcomeOf(d, results[i] as Answer | SendFailure, now, random)),
    );
    return claimed.length;
  };

  let running: Promise<void> | null = null;
  let stopping = false;
  let wake: (() => void) | null = null;
  const loop = async () => {
    while (!stopping) {
      const done = await runOnce().catch((error) => {
        options.onError?.(error);
        return 0;
      });
      if (done < batchSize && !stopping) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, pollMs).unref();
        });
      }
    }
  };

  return {
    id,
    runOnce,
    start: () => {
      if (running) return;
      stopping = false;
      running = loop();
    },
    stop: async () => {
      stopping = true;
      wake?.();
      await running;
      running = null;
      sender.close();
    },
  };
}
