import { createHash, randomBytes } from 'node:crypto';
import type { Mode } from '../../db/schema.js';

/**
 * API keys: 32 random bytes behind a prefix that says what and which mode (tw_live_…, tw_test_…).
 * Only the SHA-256 is stored; lookups go by that hash on a unique index, so no comparison ever runs
 * over a secret itself.
 */
export function generateKey(mode: Mode): string {
  return `tw_${mode}_${randomBytes(32).toString('base64url')}`;
}

export const hashKey = (key: string): Buffer => createHash('sha256').update(key).digest();
