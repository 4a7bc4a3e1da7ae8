import type { MetricDirection, MetricUnit } from '../../db/schema.js';

/** Progress math and status colours: pure functions, documented in docs/goals.md. */

export type ProgressColor = 'on_track' | 'at_risk' | 'needs_attention';

export interface Metric {
  unit: MetricUnit;
  direction: MetricDirection;
  start_value: number;
  target_value: number;
  current_value: number;
  range_yellow: number | null;
  range_red: number | null;
}

/** Percentage points a goal may lag the time-expected progress and still be on track / at risk. */
export const ON_TRACK_SLACK = 10;
export const AT_RISK_SLACK = 25;

const DAY_MS = 86_400_000;
const clamp = (x: number) => Math.min(100, Math.max(0, x));
/** Progress is stored as numeric(6,3): rounding here keeps "did it change?" comparisons exact. */
export const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** How far a range metric's value lies outside its green band [start, target] (either order); 0 inside. */
export function rangeDistance(m: Metric): number {
  const low = Math.min(m.start_value, m.target_value);
  const high = Math.max(m.start_value, m.target_value);
  if (m.current_value < low) return low - m.current_value;
  if (m.current_value > high) return m.current_value - high;
  return 0;
}

/**
 * clamp((current − start) / (target − start)) × 100. The same formula serves decreasing metrics (target
 * below start). Binary: 0 or 100. Range: 100 inside the band, falling linearly to 0 at range_red outside it.
 */
export function milestoneProgress(m: Metric): number {
  if (m.unit === 'binary') return m.current_value >= m.target_value ? 100 : 0;
  if (m.direction === 'range') {
    const distance = rangeDistance(m);
    if (distance === 0) return 100;
    const red = m.range_red ?? 0;
    return red > 0 ? round3(clamp((1 - distance / red) * 100)) : 0;
  }
  const span = m.target_value - m.start_value;
  if (span === 0) return m.current_value === m.target_value ? 100 : 0;
  return round3(clamp(((m.current_value - m.start_value) / span) * 100));
}

/** The share of [starts_on, ends_on] (whole UTC days, both included) elapsed at `now`, as 0–100. */
export function expectedProgress(startsOn: string, endsOn: string, now: Date): number {
  const start = Date.parse(`${startsOn}T00:00:00Z`);
  const end = Date.parse(`${endsOn}T00:00:00Z`) + DAY_MS;
  return clamp(((now.getTime() - start) / (end - start)) * 100);
}

export function timeColor(progress: number, expected: number): ProgressColor {
  if (progress >= expected - ON_TRACK_SLACK) return 'on_track';
  if (progress >= expected - AT_RISK_SLACK) return 'at_risk';
  return 'needs_attention';
}

/** A range metric's colour comes from its thresholds: inside the band, within yellow, or beyond. */
export function rangeColor(m: Metric): ProgressColor {
  const distance = rangeDistance(m);
  if (distance === 0) return 'on_track';
  return distance <= (m.range_yellow ?? 0) ? 'at_risk' : 'needs_attention';
}

interface Dated {
  starts_on: string;
  ends_on: string;
}

/** Colours depend on today's date, so they are computed when read, never stored (they would go stale). */
export function goalColor(goal: Dated & { progress: number }, now: Date): ProgressColor {
  return timeColor(goal.progress, expectedProgress(goal.starts_on, goal.ends_on, now));
}

export function milestoneColor(
  m: Metric & { progress: number; starts_on: string | null; ends_on: string | null },
  goal: Dated,
  now: Date,
): ProgressColor {
  if (m.direction === 'range') return rangeColor(m);
  const expected = expectedProgress(m.starts_on ?? goal.starts_on, m.ends_on ?? goal.ends_on, now);
  return timeColor(m.progress, expected);
}
