/**
 * When a failed delivery is tried again, after its n-th attempt: quickly at first, then further apart, about
 * three days in all (12 attempts), each delay moved by up to ±20% so that an endpoint that was down is not
 * hit by every waiting delivery at the same moment. After the last, the delivery is abandoned.
 */
export const RETRY_DELAYS_SECONDS = [5, 300, 1800, 7200, 18000, 36000, 36000, 36000, 36000, 36000, 36000];
export const MAX_ATTEMPTS = RETRY_DELAYS_SECONDS.length + 1;
const JITTER = 0.2;

/** The moment of the next attempt after `attempts` failed ones, or null when none is left. */
export function nextAttemptAt(attempts: number, now: number, random: () => number): Date | null {
  const delay = RETRY_DELAYS_SECONDS[attempts - 1];
  if (delay === undefined) return null;
  const jittered = delay * (1 - JITTER + 2 * JITTER * random());
  return new Date(now + Math.round(jittered * 1000));
}
