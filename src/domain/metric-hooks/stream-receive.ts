import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../errors.js';
import { checkInMilestone } from '../goals/checkins.js';
import { hashKey } from '../keys/secret.js';
import { counted, creatorOf } from './acting.js';
import * as repo from './stream-repo.js';
import { verifyStreamSignature } from './stream-signature.js';

/** A value pushed to a stream, as the face read it from the body. */
export interface StreamValue {
  /** Optional, as WorkBoard documents it; a stream made for a connector refuses a push without it. */
  connector_id?: string | undefined;
  value: number;
  comment?: string | undefined;
}

export interface StreamPush {
  /** The URL's stream key. */
  key: string;
  signature: string | undefined;
  /** The body exactly as received: the signature is over these characters. */
  body: string;
  requestId: string;
}

/** Keys are `ds_` and 43 characters; anything much longer is not one and costs no lookup. */
const MAX_KEY = 100;

/**
 * A value pushed to a datastream: the stream found by its key, `x-stream-signature` checked, then a
 * check-in setting the milestone's value through the goals service as the stream's creator. WorkBoard's
 * scheme has no timestamp or message id, so a replay sets the same value again (docs/webhooks.md). Every
 * refusal past the key is counted on the stream.
 */
export async function receiveStreamPush(db: Kysely<DB>, push: StreamPush, parse: () => StreamValue) {
  const stream = push.key.length <= MAX_KEY ? await repo.findStreamByKey(db, hashKey(push.key)) : undefined;
  if (!stream || stream.paused) throw new AppError('invalid_webhook_url', 'No datastream has this key.');
  return counted(
    async () => {
      verifyStreamSignature(stream.secret, push.signature, push.body);
      const pushed = parse();
      if (stream.connector_id !== null && pushed.connector_id !== stream.connector_id) {
        throw new AppError(
          'invalid_webhook_action',
          `This stream takes connector ${stream.connector_id} only.`,
        );
      }
      const creator = creatorOf(stream, push.requestId);
      const result = await checkInMilestone(db, creator, stream.milestone_id, {
        value: pushed.value,
        comment: pushed.comment,
      });
      return { ...result, stream };
    },
    (result) => repo.markUsed(db, stream, result.checkin.value ?? 0),
    (why) => repo.markFailed(db, stream, why),
  );
}
