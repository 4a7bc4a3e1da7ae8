import { randomBytes } from 'node:crypto';

/** Ids from 2^52 up: far above what the shared sequence will reach, below 2^53 (JavaScript's safe integers). */
const LOW = 2 ** 52;

/**
 * An id that says nothing about when its row was written, for rows whose order must not be told: an
 * anonymous feedback response and its audit row (docs/feedback.md). A collision (1 in 2^52) is a
 * unique-key error on insert, never a silent overwrite.
 */
export function randomId(): number {
  return LOW + Number(randomBytes(8).readBigUInt64BE(0) >> 12n);
}
