import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../errors.js';

/**
 * Lock-out with back-off (docs/sign-in.md). Failures are counted per email address, whether or not an
 * account has it (so the answer never says which exist), and per client address. Past a threshold each
 * further failure locks the subject for twice as long as the last, up to an hour; a success clears the
 * email's count. A count left alone for an hour starts again from zero.
 */
export const THROTTLE = {
  email: { threshold: 5 },
  address: { threshold: 20 },
  firstDelaySeconds: 15,
  maxDelaySeconds: 3600,
  forgetAfterMs: 3_600_000,
} as const;

type Subject = { kind: 'email' | 'address'; value: string };

const subjectHash = (s: Subject) =>
  createHash('sha256').update(`${s.kind}:${s.value.toLowerCase()}`).digest();

export const signInSubjects = (email: string, address: string): Subject[] => [
  { kind: 'email', value: email },
  { kind: 'address', value: address },
];

/** Refuses the attempt (429 sign_in_locked, with the seconds to wait) while any of its subjects is locked. */
export async function refuseWhileLocked(db: Kysely<DB>, subjects: Subject[], now: number) {
  const rows = await db
    .selectFrom('sign_in_throttle')
    .select(['locked_until'])
    .where('subject', 'in', subjects.map(subjectHash))
    .execute();
  const until = Math.max(0, ...rows.map((r) => (r.locked_until ? Date.parse(r.locked_until) : 0)));
  if (until > now) {
    const seconds = Math.ceil((until - now) / 1000);
    throw new AppError('sign_in_locked', undefined, { retry_after: seconds });
  }
}

/** The delay after the nth failure: none below the threshold, then 15 s, 30 s, 60 s… up to an hour. */
export function lockSeconds(failures: number, threshold: number): number {
  if (failures < threshold) return 0;
  return Math.min(THROTTLE.firstDelaySeconds * 2 ** (failures - threshold), THROTTLE.maxDelaySeconds);
}

export async function recordFailure(db: Kysely<DB>, subjects: Subject[], now: number) {
  for (const s of subjects) {
    const subject = subjectHash(s);
    const row = await db
      .selectFrom('sign_in_throttle')
      .select(['failures', 'updated_at'])
      .where('subject', '=', subject)
      .executeTakeFirst();
    const stale = !row || now - Date.parse(row.updated_at) > THROTTLE.forgetAfterMs;
    const failures = (stale ? 0 : row.failures) + 1;
    const seconds = lockSeconds(failures, THROTTLE[s.kind].threshold);
    const values = {
      failures,
      locked_until: seconds ? new Date(now + seconds * 1000) : null,
      updated_at: new Date(now),
    };
    await db
      .insertInto('sign_in_throttle')
      .values({ subject, ...values })
      .onConflict((c) => c.column('subject').doUpdateSet(values))
      .execute();
  }
}

export async function clearFailures(db: Kysely<DB>, email: string) {
  await db
    .deleteFrom('sign_in_throttle')
    .where('subject', '=', subjectHash({ kind: 'email', value: email }))
    .execute();
}
