import { describe, expect, it } from 'vitest';
import {
  expectedProgress,
  goalColor,
  type Metric,
  milestoneColor,
  milestoneProgress,
  rangeColor,
  rangeDistance,
  round3,
  timeColor,
} from '../src/domain/goals/progress.js';

/**
 * The progress math and colours of docs/goals.md (goals/progress.ts) called directly: the rules that
 * rules-pinned-metrics.test.ts and milestone-rules.test.ts pin through HTTP, here in milliseconds, so that
 * mutation testing can run this suite once per mutant (docs/testing.md).
 */
const metric = (m: Partial<Metric>): Metric => ({
  unit: 'number',
  direction: 'increase',
  start_value: 0,
  target_value: 100,
  current_value: 0,
  range_yellow: null,
  range_red: null,
  ...m,
});
// Green band 10–20, at risk within 5 of it, progress falls to 0 at 10 from it.
const band = (current_value: number) =>
  metric({
    direction: 'range',
    start_value: 10,
    target_value: 20,
    range_yellow: 5,
    range_red: 10,
    current_value,
  });

describe('milestone progress', () => {
  it('is the share of the way from start to target, clamped to 0–100, rounded to 3 places', () => {
    expect(milestoneProgress(metric({ current_value: 25 }))).toBe(25);
    expect(milestoneProgress(metric({ start_value: 10, target_value: 110, current_value: 40 }))).toBe(30);
    expect(milestoneProgress(metric({ current_value: 150 }))).toBe(100);
    expect(milestoneProgress(metric({ current_value: -5 }))).toBe(0);
    expect(milestoneProgress(metric({ target_value: 3, current_value: 1 }))).toBe(33.333);
  });

  it('is 100 at the target and 0 elsewhere for a metric that goes nowhere, never NaN', () => {
    // metric.ts refuses such a metric; a check-in on a row stored before that rule still gets a number.
    const nowhere = { start_value: 5, target_value: 5 };
    expect(milestoneProgress(metric({ ...nowhere, current_value: 5 }))).toBe(100);
    expect(milestoneProgress(metric({ ...nowhere, current_value: 6 }))).toBe(0);
    expect(milestoneProgress(metric({ ...nowhere, current_value: 4 }))).toBe(0);
  });

  it('counts a decreasing metric by the same formula', () => {
    const churn = { direction: 'decrease' as const, start_value: 10, target_value: 4 };
    expect(milestoneProgress(metric({ ...churn, current_value: 7 }))).toBe(50);
    expect(milestoneProgress(metric({ ...churn, current_value: 2 }))).toBe(100);
    expect(milestoneProgress(metric({ ...churn, current_value: 12 }))).toBe(0);
  });

  it('is 0 or 100 for a binary metric', () => {
    const binary = { unit: 'binary' as const, start_value: 0, target_value: 1 };
    expect(milestoneProgress(metric({ ...binary, current_value: 0 }))).toBe(0);
    expect(milestoneProgress(metric({ ...binary, current_value: 1 }))).toBe(100);
  });

  it('is 100 inside a range band and falls linearly to 0 at range_red outside it, either side', () => {
    expect(milestoneProgress(band(10))).toBe(100);
    expect(milestoneProgress(band(15))).toBe(100);
    expect(milestoneProgress(band(20))).toBe(100);
    expect(milestoneProgress(band(25))).toBe(50);
    expect(milestoneProgress(band(7))).toBe(70);
    expect(milestoneProgress(band(1))).toBe(10);
    expect(milestoneProgress(band(31))).toBe(0);
    expect(milestoneProgress(band(-10))).toBe(0);
    expect(milestoneProgress(band(20 + 10 / 3))).toBe(66.667);
  });

  it('is 0 just outside a band without tolerance', () => {
    const strict = (current_value: number) =>
      metric({
        direction: 'range',
        start_value: 10,
        target_value: 20,
        range_yellow: 0,
        range_red: 0,
        current_value,
      });
    expect(milestoneProgress(strict(20.5))).toBe(0);
    expect(milestoneProgress(strict(12))).toBe(100);
  });

  it('takes a band given either way round', () => {
    const reversed = metric({
      direction: 'range',
      start_value: 20,
      target_value: 10,
      range_red: 10,
      current_value: 25,
    });
    expect(rangeDistance(reversed)).toBe(5);
    expect(milestoneProgress(reversed)).toBe(50);
    expect(rangeDistance({ ...reversed, current_value: 8 })).toBe(2);
    expect(rangeDistance({ ...reversed, current_value: 13 })).toBe(0);
  });
});

describe('time-expected progress', () => {
  const at = (iso: string) => new Date(iso);

  it('is the share of the whole days elapsed, both ends included', () => {
    // Ten days, 1–10 January: at the start of the 6th half of them are over.
    expect(expectedProgress('2026-01-01', '2026-01-10', at('2026-01-06T00:00:00Z'))).toBe(50);
    expect(expectedProgress('2026-01-01', '2026-01-10', at('2026-01-01T00:00:00Z'))).toBe(0);
    expect(expectedProgress('2026-01-01', '2026-01-10', at('2026-01-10T12:00:00Z'))).toBe(95);
    expect(expectedProgress('2026-01-01', '2026-01-10', at('2026-01-11T00:00:00Z'))).toBe(100);
  });

  it('is 0 before the start and 100 after the end', () => {
    expect(expectedProgress('2026-01-01', '2026-01-10', at('2025-12-01T00:00:00Z'))).toBe(0);
    expect(expectedProgress('2026-01-01', '2026-01-10', at('2026-03-01T00:00:00Z'))).toBe(100);
  });

  it('rounds the stored progress to three places', () => {
    expect(round3(1 / 3)).toBe(0.333);
    expect(round3(2 / 3)).toBe(0.667);
  });
});

describe('colours', () => {
  it('is on track up to 10 points behind, at risk up to 25, needs attention beyond', () => {
    expect(timeColor(90, 100)).toBe('on_track');
    expect(timeColor(89.999, 100)).toBe('at_risk');
    expect(timeColor(75, 100)).toBe('at_risk');
    expect(timeColor(74.999, 100)).toBe('needs_attention');
    expect(timeColor(100, 50)).toBe('on_track');
  });

  it('colours a range metric by its thresholds: inside, within yellow, beyond', () => {
    expect(rangeColor(band(15))).toBe('on_track');
    expect(rangeColor(band(25))).toBe('at_risk');
    expect(rangeColor(band(5))).toBe('at_risk');
    expect(rangeColor(band(25.5))).toBe('needs_attention');
    expect(rangeColor({ ...band(20.5), range_yellow: null })).toBe('needs_attention');
  });

  const past = { starts_on: '2020-01-01', ends_on: '2020-12-31' };
  const far = { starts_on: '2020-01-01', ends_on: '2099-12-31' };
  const now = new Date('2026-06-01T00:00:00Z');

  it('colours a goal by its progress against its own dates', () => {
    expect(goalColor({ ...past, progress: 50 }, now)).toBe('needs_attention');
    expect(goalColor({ ...far, progress: 50 }, now)).toBe('on_track');
  });

  it("colours a milestone by its own dates when it has them, else its goal's; a range by its thresholds", () => {
    const half = { ...metric({ current_value: 50 }), progress: 50 };
    expect(milestoneColor({ ...half, ...past }, far, now)).toBe('needs_attention');
    expect(milestoneColor({ ...half, starts_on: null, ends_on: null }, far, now)).toBe('on_track');
    expect(milestoneColor({ ...half, starts_on: null, ends_on: null }, past, now)).toBe('needs_attention');
    expect(milestoneColor({ ...half, starts_on: '2020-01-01', ends_on: null }, past, now)).toBe(
      'needs_attention',
    );
    expect(milestoneColor({ ...half, starts_on: null, ends_on: '2099-12-31' }, past, now)).toBe('on_track');
    // Exactly on the yellow tolerance: at risk, whatever the dates say.
    expect(milestoneColor({ ...band(25), progress: 50, ...far }, far, now)).toBe('at_risk');
    expect(milestoneColor({ ...band(15), progress: 100, ...past }, past, now)).toBe('on_track');
  });
});
