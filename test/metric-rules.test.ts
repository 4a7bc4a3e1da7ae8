import { describe, expect, it } from 'vitest';
import { AppError } from '../src/domain/errors.js';
import { type ResolvedMetric, resolveMetric } from '../src/domain/goals/metric.js';
import type { NewMilestone } from '../src/domain/goals/types.js';

/**
 * resolveMetric (goals/metric.ts) called directly: the same rules metric-combinations.test.ts and
 * rules-pinned-metrics.test.ts pin through HTTP, here in milliseconds, so that mutation testing can run
 * this suite once per mutant (docs/testing.md). Each case is what a client would read back or be refused.
 */
type Input = Partial<NewMilestone>;
type Before = Parameters<typeof resolveMetric>[1];

/** The error code and sentence a refused metric gives. */
function refusal(input: Input, before: Before = null): { code: string; message: string } {
  try {
    resolveMetric(input, before);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    const e = error as AppError;
    return { code: e.code, message: e.message };
  }
  throw new Error(`expected ${JSON.stringify(input)} to be refused`);
}

/** A stored metric as the row before an update holds it. */
const stored = (metric: Input & Partial<ResolvedMetric>): NonNullable<Before> => ({
  unit: 'number',
  direction: 'increase',
  start_value: 0,
  target_value: 10,
  current_value: 0,
  range_yellow: null,
  range_red: null,
  currency_code: null,
  ...metric,
});

const band = {
  direction: 'range',
  start_value: 10,
  target_value: 20,
  range_yellow: 2,
  range_red: 4,
} as const;

describe('a new metric', () => {
  it('is binary 0 → 1, increasing, not done, when nothing is sent', () => {
    expect(resolveMetric({}, null)).toEqual({
      unit: 'binary',
      direction: 'increase',
      start_value: 0,
      target_value: 1,
      current_value: 0,
      range_yellow: null,
      range_red: null,
      currency_code: null,
      progress: 0,
    });
  });

  it('is a number from 0 when only a target is sent, and starts at its start', () => {
    expect(resolveMetric({ target_value: 10 }, null)).toMatchObject({
      unit: 'number',
      start_value: 0,
      current_value: 0,
      direction: 'increase',
    });
    expect(resolveMetric({ start_value: 3, target_value: 10 }, null)).toMatchObject({ current_value: 3 });
  });

  it('derives decrease when the target is below the start, increase otherwise', () => {
    expect(resolveMetric({ start_value: 10, target_value: 4, current_value: 7 }, null)).toMatchObject({
      direction: 'decrease',
      progress: 50,
    });
    expect(resolveMetric({ start_value: 4, target_value: 10 }, null).direction).toBe('increase');
  });

  it('refuses a binary metric that is not 0 → 1, or not increasing, or valued other than 0 or 1', () => {
    for (const [start_value, target_value] of [
      [0, 2],
      [1, 1],
      [0, 0],
    ]) {
      expect(refusal({ unit: 'binary', start_value, target_value }).message).toBe(
        'A binary milestone goes from 0 (not done) to 1 (done).',
      );
    }
    expect(refusal({ unit: 'binary', direction: 'decrease' }).message).toBe(
      'A binary milestone has the direction "increase".',
    );
    expect(resolveMetric({ unit: 'binary', direction: 'increase' }, null).direction).toBe('increase');
    for (const current_value of [2, 0.5, -1]) {
      expect(refusal({ unit: 'binary', current_value })).toEqual({
        code: 'invalid_operation',
        message: 'A binary value is 0 or 1.',
      });
    }
    expect(resolveMetric({ unit: 'binary', current_value: 1 }, null).progress).toBe(100);
  });

  it('refuses an increasing or decreasing metric that goes nowhere or the wrong way', () => {
    expect(refusal({ direction: 'increase', start_value: 5, target_value: 5 }).message).toBe(
      'An increasing metric needs target_value above start_value.',
    );
    expect(refusal({ direction: 'increase', start_value: 5, target_value: 4 }).code).toBe(
      'invalid_operation',
    );
    // Sent without a direction, a metric that goes nowhere is refused as an increasing one.
    expect(refusal({ start_value: 5, target_value: 5 }).message).toBe(
      'An increasing metric needs target_value above start_value.',
    );
    for (const target_value of [10, 12]) {
      expect(refusal({ direction: 'decrease', start_value: 10, target_value }).message).toBe(
        'A decreasing metric needs target_value below start_value.',
      );
    }
  });

  it('asks for a target when the unit needs one', () => {
    expect(refusal({ unit: 'number' })).toEqual({
      code: 'missing_required_parameters',
      message: 'target_value is required for this unit.',
    });
  });

  it('keeps range thresholds for a range metric only, and needs both, red at least yellow', () => {
    expect(resolveMetric({ ...band, current_value: 15 }, null)).toMatchObject({
      range_yellow: 2,
      range_red: 4,
      progress: 100,
    });
    expect(resolveMetric({ ...band, range_yellow: 3, range_red: 3 }, null)).toMatchObject({
      range_yellow: 3,
      range_red: 3,
    });
    const onlyFor = 'range_yellow and range_red apply to range metrics only.';
    expect(refusal({ target_value: 10, range_yellow: 1 }).message).toBe(onlyFor);
    expect(refusal({ target_value: 10, range_red: 1 }).message).toBe(onlyFor);
    expect(resolveMetric({ target_value: 10, range_yellow: null, range_red: null }, null)).toMatchObject({
      range_yellow: null,
      range_red: null,
    });
    const needsBoth = 'A range metric needs range_yellow and range_red (tolerances outside the band).';
    expect(refusal({ ...band, range_red: undefined }).message).toBe(needsBoth);
    expect(refusal({ ...band, range_yellow: undefined }).message).toBe(needsBoth);
    expect(refusal({ ...band, range_yellow: 3, range_red: 2 }).message).toBe(
      'range_red must be at least range_yellow.',
    );
  });

  it('keeps a currency code for the currency unit only, and needs one there', () => {
    expect(resolveMetric({ unit: 'currency', currency_code: 'EUR', target_value: 100 }, null)).toMatchObject({
      currency_code: 'EUR',
    });
    expect(refusal({ unit: 'currency', target_value: 10 }).message).toBe(
      'A currency metric needs a currency_code such as "USD".',
    );
    expect(refusal({ unit: 'number', target_value: 10, currency_code: 'USD' }).message).toBe(
      'currency_code applies to the currency unit only.',
    );
    expect(resolveMetric({ target_value: 10, currency_code: null }, null).currency_code).toBeNull();
  });
});

describe('a metric updated', () => {
  it('keeps a binary metric binary, with its values, when something else changes', () => {
    const binary = stored({ unit: 'binary', start_value: 0, target_value: 1, current_value: 1 });
    expect(resolveMetric({}, binary)).toMatchObject({
      unit: 'binary',
      start_value: 0,
      target_value: 1,
      progress: 100,
    });
    expect(refusal({ direction: 'range' }, binary).code).toBe('invalid_operation');
  });

  it('needs a new target when a binary metric becomes a number, and keeps its start', () => {
    const binary = stored({ unit: 'binary', start_value: 0, target_value: 1, current_value: 0 });
    expect(refusal({ unit: 'number' }, binary).code).toBe('missing_required_parameters');
    expect(resolveMetric({ unit: 'number', target_value: 5 }, binary)).toMatchObject({
      unit: 'number',
      start_value: 0,
      target_value: 5,
      direction: 'increase',
    });
  });

  it('keeps the stored start, target, current value and currency code it is not sent', () => {
    const money = stored({
      unit: 'currency',
      currency_code: 'GBP',
      start_value: 10,
      target_value: 110,
      current_value: 40,
    });
    expect(resolveMetric({ target_value: 210 }, money)).toMatchObject({
      currency_code: 'GBP',
      start_value: 10,
      current_value: 40,
      progress: 15,
    });
    expect(resolveMetric({ start_value: 30 }, money)).toMatchObject({ target_value: 110, progress: 12.5 });
    expect(resolveMetric({ unit: 'number' }, money)).toMatchObject({ unit: 'number', currency_code: null });
    expect(refusal({ currency_code: null }, money).code).toBe('invalid_operation');
  });

  it('keeps a range metric and its thresholds when only its band moves', () => {
    const range = stored({ ...band, current_value: 12 });
    expect(resolveMetric({ start_value: 14 }, range)).toMatchObject({
      direction: 'range',
      range_yellow: 2,
      range_red: 4,
      progress: 50,
    });
    expect(resolveMetric({ range_yellow: 1 }, range)).toMatchObject({ range_yellow: 1, range_red: 4 });
    expect(resolveMetric({ range_red: 9 }, range)).toMatchObject({ range_yellow: 2, range_red: 9 });
    expect(refusal({ range_red: null }, range).code).toBe('invalid_operation');
  });

  it('drops the thresholds when a range metric becomes increasing', () => {
    const range = stored({ ...band, current_value: 15 });
    expect(resolveMetric({ direction: 'increase' }, range)).toMatchObject({
      direction: 'increase',
      range_yellow: null,
      range_red: null,
      progress: 50,
    });
  });

  it('derives the direction again from the new values', () => {
    const churn = stored({ direction: 'decrease', start_value: 10, target_value: 4 });
    expect(resolveMetric({ start_value: 0 }, churn)).toMatchObject({
      direction: 'increase',
      target_value: 4,
    });
  });
});
