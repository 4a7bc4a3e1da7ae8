import type { Mode, Role } from '../../db/schema.js';
import type { Principal } from '../access/principal.js';
import { assertNoticeAccepted } from '../access/privacy-notice.js';
import { AppError } from '../errors.js';

/** What a receiver reads of the person an inbound feed (a metric webhook, a datastream) acts for. */
export interface ActingCreator {
  org_id: number;
  mode: Mode;
  created_by: number;
  role: Role;
  data_admin: boolean;
  creator_status: string;
  accepted_at: unknown;
}

/**
 * The creator as they are today: a deactivated creator's feeds stop, a demoted one's rights shrink, and,
 * as for every credential, nothing goes through until they accept the organisation's current notice.
 */
export function creatorOf(feed: ActingCreator, requestId: string): Principal {
  if (feed.creator_status !== 'active') {
    throw new AppError(
      'user_deactivated',
      'The person this webhook acts for is deactivated; its updates are refused until they are reactivated.',
    );
  }
  assertNoticeAccepted(feed);
  return {
    orgId: feed.org_id,
    mode: feed.mode,
    userId: feed.created_by,
    role: feed.role,
    dataAdmin: feed.data_admin,
    apiKeyId: null,
    requestId,
  };
}

/** A refusal as a feed shows it: the code and reason of an AppError, or internal_error for anything else. */
const refusalOf = (error: unknown) =>
  error instanceof AppError ? `${error.code}: ${error.message}` : 'internal_error';

/** Runs `work`; a refusal is recorded on the feed by `record`, with its code and reason, and rethrown. */
export async function recordingRefusal<T>(
  work: () => T | Promise<T>,
  record: (why: string) => Promise<unknown>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    await record(refusalOf(error));
    throw error;
  }
}

/** Runs a received update: a refusal is counted on the feed (its code and reason) and rethrown. */
export const counted = <T>(
  work: () => Promise<T>,
  markUsed: (result: T) => Promise<unknown>,
  markFailed: (why: string) => Promise<unknown>,
): Promise<T> =>
  recordingRefusal(async () => {
    const result = await work();
    await markUsed(result);
    return result;
  }, markFailed);
