import type { CalibrationState } from '../../db/schema.js';
import { AppError } from '../errors.js';

/**
 * The rules of calibration that every path shares (create, PATCH, talent record writes): the order of
 * states, scales, the target distribution and the 9-box. Pure functions, no database.
 */

export const STATES: CalibrationState[] = ['draft', 'open', 'locked', 'closed'];

/** A cycle moves one step forward at a time: draft → open → locked → closed; never back. */
export function assertNextState(from: CalibrationState, to: CalibrationState): void {
  if (STATES.indexOf(to) === STATES.indexOf(from) + 1) return;
  const next = STATES[STATES.indexOf(from) + 1];
  throw new AppError(
    'invalid_operation',
    next
      ? `A ${from} cycle moves only to ${next}, not ${to}: states go draft → open → locked → closed.`
      : `A closed cycle does not change state.`,
  );
}

/** A scale: 2–10 distinct labels, lowest first. */
export function assertScale(field: string, levels: string[]): void {
  if (levels.length < 2 || levels.length > 10)
    throw new AppError('invalid_operation', `${field} needs 2 to 10 levels.`);
  if (new Set(levels.map((l) => l.toLowerCase())).size !== levels.length)
    throw new AppError('invalid_operation', `${field} has the same level twice.`);
}

/** A target distribution: one whole percent per performance level, summing to 100. */
export function assertDistribution(target: number[] | null, performance: string[]): void {
  if (target === null) return;
  if (target.length !== performance.length)
    throw new AppError(
      'invalid_operation',
      `target_distribution has ${target.length} percents for ${performance.length} performance levels.`,
    );
  const sum = target.reduce((a, b) => a + b, 0);
  if (sum !== 100) throw new AppError('invalid_operation', `target_distribution sums to ${sum}, not 100.`);
}

/** A rating must be one of its scale's labels (null clears it). */
export function assertOnScale(field: string, value: string | null | undefined, levels: string[]): void {
  if (value === null || value === undefined || levels.includes(value)) return;
  throw new AppError(
    'invalid_operation',
    `${field} "${value}" is not on the cycle's scale: ${levels.map((l) => `"${l}"`).join(', ')}.`,
  );
}

/**
 * A level's band of the 3×3 grid: 0 low, 1 middle, 2 high. Levels are split into three runs as evenly as
 * possible, counted from the top, so a run nearer the top is never shorter (docs/calibration.md): 2 levels →
 * low, high; 4 → low, mid, high, high; 5 → low, mid, mid, high, high.
 */
export function bandOf(index: number, count: number): 0 | 1 | 2 {
  if (count === 2) return index === 0 ? 0 : 2;
  return (2 - Math.floor(((count - 1 - index) * 3) / count)) as 0 | 1 | 2;
}

/** The nine boxes, by [potential band][performance band]. */
export const BOXES = [
  ['Risk', 'Effective', 'Trusted Professional'],
  ['Inconsistent Player', 'Core Player', 'High Performer'],
  ['Rough Diamond', 'Future Star', 'Star'],
] as const;

export function grid() {
  return BOXES.flatMap((row, potential) =>
    row.map((name, performance) => ({ name, performance_band: performance, potential_band: potential })),
  );
}

/** The box of a performance and potential rating, or null while either is missing. */
export function boxOf(
  performance: string | null,
  potential: string | null,
  scales: { performance: string[]; potential: string[] },
): string | null {
  if (performance === null || potential === null) return null;
  const perf = scales.performance.indexOf(performance);
  const pot = scales.potential.indexOf(potential);
  if (perf < 0 || pot < 0) return null;
  return BOXES[bandOf(pot, scales.potential.length)][bandOf(perf, scales.performance.length)];
}
