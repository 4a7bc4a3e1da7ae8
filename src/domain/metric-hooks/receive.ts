import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../errors.js';
import { checkInMilestone } from '../goals/checkins.js';
import type { CheckInInput } from '../goals/types.js';
import { hashKey } from '../keys/secret.js';
import { creatorOf, recordingRefusal } from './acting.js';
import * as repo from './repo.js';
import { checkedTimestamp, type SignedHeaders, TOLERANCE_SECONDS, verifySignature } from './signature.js';

/** What a signed request asks, as the face read it from the body. */
export interface HookUpdate {
  action: 'set' | 'add' | 'comment' | 'confidence';
  value?: number | undefined;
  comment?: string | undefined;
  confidence?: number | undefined;
  milestone_id?: number | undefined;
  checked_in_at?: string | undefined;
}

export interface HookRequest {
  /** The URL's secret part. */
  token: string;
  headers: SignedHeaders;
  /** The body exactly as received: the signature is over these characters. */
  body: string;
  requestId: string;
}

const badAction = (why: string) => new AppError('invalid_webhook_action', why);
/** Tokens are `hk_` and 43 characters; anything much longer is not one and costs no lookup. */
const MAX_TOKEN = 100;

/** The check-in an update is, in the goals area's words: `add` is the goals service's own increment. */
function checkInFor(update: HookUpdate): CheckInInput {
  const { action, value, comment, confidence, checked_in_at } = update;
  if ((action === 'set' || action === 'add') && value === undefined)
    throw badAction(`"${action}" needs a value.`);
  if ((action === 'comment' || action === 'confidence') && value !== undefined) {
    throw badAction(`"${action}" takes no value; send "set" or "add" to change the value.`);
  }
  if (action === 'comment' && comment === undefined) throw badAction('"comment" needs a comment.');
  if (action === 'confidence' && confidence === undefined)
    throw badAction('"confidence" needs a confidence.');
  return action === 'add'
    ? { add: value, comment, confidence, checked_in_at }
    : { value, comment, confidence, checked_in_at };
}

function targetOf(hook: repo.ReceivingHook, update: HookUpdate): number {
  if (hook.milestone_id === null) {
    if (update.milestone_id === undefined) {
      throw badAction('This webhook updates any milestone its creator may update: name one in milestone_id.');
    }
    return update.milestone_id;
  }
  if (update.milestone_id !== undefined && update.milestone_id !== hook.milestone_id) {
    throw badAction(`This webhook updates milestone ${hook.milestone_id} only.`);
  }
  return hook.milestone_id;
}

/** The hook a URL names, or invalid_webhook_url: never issued, deleted, rotated away or paused. */
async function receivingHook(db: Kysely<DB>, token: string) {
  const hook = token.length <= MAX_TOKEN ? await repo.findHookByToken(db, hashKey(token)) : undefined;
  if (!hook?.enabled) throw new AppError('invalid_webhook_url');
  return hook;
}

/** The check-in the update is, made through the goals service as the hook's creator. */
const applyUpdate = (db: Kysely<DB>, hook: repo.ReceivingHook, update: HookUpdate, requestId: string) =>
  checkInMilestone(db, creatorOf(hook, requestId), targetOf(hook, update), checkInFor(update));

/**
 * The hook's own checks of a signed request: the timestamp, then the signature under the hook's secret, and
 * only then the message id claimed, with the hook's use, so that a forged request claims no id and is no use.
 */
async function claimSigned(db: Kysely<DB>, hook: repo.ReceivingHook, request: HookRequest, now: number) {
  const sentAt = checkedTimestamp(request.headers, now);
  verifySignature(hook.signing_secret, request.headers, request.body);
  const message = { id: request.headers.id as string, sentAt: new Date(sentAt * 1000) };
  if (!(await repo.claimMessage(db, hook, message, new Date(now - 2 * TOLERANCE_SECONDS * 1000)))) {
    throw new AppError(
      'invalid_webhook_secret',
      'This webhook-id was already accepted: a replay is refused.',
    );
  }
  return message.id;
}

/**
 * A signed update: the hook found by its URL, the Standard Webhooks timestamp and signature checked, the
 * message id claimed against replays, then the check-in made through the goals service as the hook's
 * creator. Every refusal past the URL is counted on the hook and rethrown. Outside the check-in's own
 * transaction this is two statements when the update applies (the lookup; the claim, which also records
 * the use and forgets expired ids) and one more when it is refused (docs/webhooks.md).
 */
export async function receiveHookUpdate(
  db: Kysely<DB>,
  request: HookRequest,
  parse: (body: string) => HookUpdate,
  now = Date.now(),
) {
  const hook = await receivingHook(db, request.token);
  const messageId = await recordingRefusal(
    () => claimSigned(db, hook, request, now),
    (why) => repo.markFailed(db, hook, why),
  );
  return recordingRefusal(
    () => applyUpdate(db, hook, parse(request.body), request.requestId),
    // Not applied: the id is released, so the sender may send the same message again once the cause is fixed.
    (why) => repo.releaseRefused(db, hook, messageId, why),
  );
}

const UNSIGNED_REFUSED =
  'This webhook takes signed requests only: send the Standard Webhooks headers, or let the hook take ' +
  'unsigned updates (accepts_unsigned: true).';

/** The hook's own check of an unsigned request: its owner let it take them. */
function assertTakesUnsigned(hook: repo.ReceivingHook) {
  if (!hook.accepts_unsigned) throw new AppError('invalid_webhook_secret', UNSIGNED_REFUSED);
}

/**
 * WorkBoard's unsigned form (`POST /wb/apis/hook/{hash}`): its senders cannot sign, so the URL's secret
 * part alone proves them, as WorkBoard's own hash does, on a hook whose owner allowed it (docs/webhooks.md). The same hook, creator and
 * check-in as a signed update; no message id, so nothing to replay-check. The fields are read once the
 * hook is found, so an unknown URL is answered as one whatever was sent.
 */
export async function receiveUnsignedUpdate(
  db: Kysely<DB>,
  token: string,
  read: () => HookUpdate,
  requestId: string,
) {
  const hook = await receivingHook(db, token);
  await recordingRefusal(
    () => assertTakesUnsigned(hook),
    (why) => repo.markFailed(db, hook, why),
  );
  // Taken: the URL alone proves this sender, so the request is a use whatever the goals service answers.
  const result = await recordingRefusal(
    () => applyUpdate(db, hook, read(), requestId),
    (why) => repo.markUsedButRefused(db, hook, why),
  );
  await repo.markUsed(db, hook);
  return result;
}
