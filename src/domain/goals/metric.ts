import type { MetricDirection } from '../../db/schema.js';
import { AppError } from '../errors.js';
import { type Metric, milestoneProgress } from './progress.js';
import type { NewMilestone } from './types.js';

const invalid = (description: string) => new AppError('invalid_operation', description);

export interface ResolvedMetric extends Metric {
  currency_code: string | null;
  progress: number;
}

type Before = Metric & { currency_code: string | null };

const derivedDirection = (start: number, target: number): MetricDirection =>
  target < start ? 'decrease' : 'increase';

function binaryMetric(input: Partial<NewMilestone>, before: Before | null) {
  const wasBinary = before?.unit === 'binary';
  const start = input.start_value ?? (wasBinary ? before.start_value : 0);
  const target = input.target_value ?? (wasBinary ? before.target_value : 1);
  if (start !== 0 || target !== 1) throw invalid('A binary milestone goes from 0 (not done) to 1 (done).');
  if (input.direction !== undefined && input.direction !== 'increase') {
    throw invalid('A binary milestone has the direction "increase".');
  }
  return { start, target, direction: 'increase' as const };
}

function numericMetric(input: Partial<NewMilestone>, before: Before | null) {
  const start = input.start_value ?? before?.start_value ?? 0;
  const target = input.target_value ?? (before?.unit === 'binary' ? undefined : before?.target_value);
  if (target === undefined) {
    throw new AppError('missing_required_parameters', 'target_value is required for this unit.');
  }
  const direction =
    input.direction ?? (before?.direction === 'range' ? 'range' : derivedDirection(start, target));
  if (direction === 'increase' && !(target > start)) {
    throw invalid('An increasing metric needs target_value above start_value.');
  }
  if (direction === 'decrease' && !(target < start)) {
    throw invalid('A decreasing metric needs target_value below start_value.');
  }
  return { start, target, direction };
}

function rangeThresholds(input: Partial<NewMilestone>, before: Before | null, direction: MetricDirection) {
  const yellow = input.range_yellow !== undefined ? input.range_yellow : (before?.range_yellow ?? null);
  const red = input.range_red !== undefined ? input.range_red : (before?.range_red ?? null);
  if (direction !== 'range') {
    if (input.range_yellow != null || input.range_red != null) {
      throw invalid('range_yellow and range_red apply to range metrics only.');
    }
    return { range_yellow: null, range_red: null };
  }
  if (yellow === null || red === null) {
    throw invalid('A range metric needs range_yellow and range_red (tolerances outside the band).');
  }
  if (red < yellow) throw invalid('range_red must be at least range_yellow.');
  return { range_yellow: yellow, range_red: red };
}

function currencyOf(input: Partial<NewMilestone>, before: Before | null, unit: Metric['unit']) {
  const code = input.currency_code !== undefined ? input.currency_code : (before?.currency_code ?? null);
  if (unit !== 'currency') {
    if (input.currency_code != null) throw invalid('currency_code applies to the currency unit only.');
    return null;
  }
  if (code === null) throw invalid('A currency metric needs a currency_code such as "USD".');
  return code;
}

/**
 * The whole metric after applying `input` over `before` (null at creation): defaults filled, the
 * combination checked, and the progress it gives.
 */
export function resolveMetric(input: Partial<NewMilestone>, before: Before | null): ResolvedMetric {
  // A milestone created without a metric is done / not done, as Betterworks' "mark as complete".
  const unit = input.unit ?? before?.unit ?? (input.target_value === undefined ? 'binary' : 'number');
  const { start, target, direction } =
    unit === 'binary' ? binaryMetric(input, before) : numericMetric(input, before);
  const current = input.current_value ?? before?.current_value ?? start;
  if (unit === 'binary' && current !== 0 && current !== 1) throw invalid('A binary value is 0 or 1.');
  const metric: Metric = {
    unit,
    direction,
    start_value: start,
    target_value: target,
    current_value: current,
    ...rangeThresholds(input, before, direction),
  };
  return { ...metric, currency_code: currencyOf(input, before, unit), progress: milestoneProgress(metric) };
}
