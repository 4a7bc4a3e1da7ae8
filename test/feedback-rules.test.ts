import { describe, expect, it } from 'vitest';
import type { FeedbackAnonymity } from '../src/db/schema.js';
import type { Principal } from '../src/domain/access/principal.js';
import { namesHiddenFrom } from '../src/domain/feedback/visibility.js';

/**
 * Whose names a reader of a request's answers sees (feedback/visibility.ts, docs/feedback.md), called
 * directly so that mutation testing can run this suite once per mutant (docs/testing.md);
 * feedback-anonymity.test.ts pins the same through HTTP.
 */
const reader = (userId: number): Principal => ({
  orgId: 1,
  mode: 'live',
  userId,
  role: 'super_admin',
  dataAdmin: true,
  apiKeyId: null,
  requestId: null,
});
const RECIPIENT = 5;
const hiddenFrom = (userId: number, anonymity: FeedbackAnonymity) =>
  namesHiddenFrom(reader(userId), { anonymity, recipient_user_id: RECIPIENT });

describe('providers’ names', () => {
  it('are shown to everyone on named feedback', () => {
    expect(hiddenFrom(RECIPIENT, 'named')).toBe(false);
    expect(hiddenFrom(6, 'named')).toBe(false);
  });

  it('are hidden from the recipient alone when anonymous to the recipient', () => {
    expect(hiddenFrom(RECIPIENT, 'anonymous_to_recipient')).toBe(true);
    expect(hiddenFrom(6, 'anonymous_to_recipient')).toBe(false);
  });

  it('are hidden from everyone, a super admin too, when anonymous to all', () => {
    expect(hiddenFrom(RECIPIENT, 'anonymous_to_all')).toBe(true);
    expect(hiddenFrom(6, 'anonymous_to_all')).toBe(true);
  });
});
