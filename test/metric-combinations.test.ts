import { beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './envelope-assert.js';
import { useGoalWorld } from './goal-fixtures.js';

/**
 * Every combination resolveMetric (goals/metric.ts) refuses or fills in, at creation and on update, as a
 * client sees it: the status and the milestone's metric fields. Found by mutation testing (issue 19).
 */
const {
  f,
  members: { owner },
} = useGoalWorld({ members: { owner: {} } });
let goalId: number;

beforeAll(async () => {
  goalId = (await f.createGoal(owner.key, { name: 'Measured' })).id;
});

const create = (body: object) =>
  f.call(owner.key, 'POST', `/v1/goals/${goalId}/milestones`, { name: 'Metric', ...body });
const update = (id: number, body: object) => f.call(owner.key, 'PATCH', `/v1/milestones/${id}`, body);
async function made(body: object) {
  const res = await create(body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().data;
}

const range = { direction: 'range', start_value: 10, target_value: 20, range_yellow: 2, range_red: 4 };

describe('a new milestone', () => {
  it.each([
    ['a binary metric with another direction', { unit: 'binary', direction: 'decrease' }],
    [
      'an increasing metric whose target equals its start',
      { direction: 'increase', start_value: 5, target_value: 5 },
    ],
    ['range_yellow on a non-range metric', { target_value: 10, range_yellow: 1 }],
    ['range_red on a non-range metric', { target_value: 10, range_red: 1 }],
    ['a range metric without range_red', { ...range, range_red: undefined }],
    ['a range metric without range_yellow', { ...range, range_yellow: undefined }],
    ['a range metric whose red is below its yellow', { ...range, range_yellow: 3, range_red: 2 }],
    ['a currency metric without a currency_code', { unit: 'currency', target_value: 10 }],
    ['a currency_code on another unit', { unit: 'number', target_value: 10, currency_code: 'USD' }],
    ['a binary value of 2', { unit: 'binary', current_value: 2 }],
    ['a binary value of 0.5', { unit: 'binary', current_value: 0.5 }],
  ])('refuses %s', async (label, body) => {
    expectError(await create(body), 422, 'invalid_operation', label);
  });

  it('asks for a target_value when the unit needs one', async () => {
    expectError(await create({ unit: 'number' }), 400, 'missing_required_parameters', 'number, no target');
  });

  it.each([
    [
      'a binary metric when neither target nor unit is sent',
      {},
      {
        unit: 'binary',
        start_value: 0,
        target_value: 1,
        current_value: 0,
        direction: 'increase',
        progress: 0,
      },
    ],
    ['a binary metric done', { unit: 'binary', current_value: 1 }, { progress: 100 }],
    [
      'a number from 0 at its start when only the target is sent',
      { target_value: 10 },
      { unit: 'number', start_value: 0, current_value: 0, direction: 'increase', range_yellow: null },
    ],
    [
      'a decreasing metric from the values',
      { start_value: 10, target_value: 4, current_value: 7 },
      { direction: 'decrease', progress: 50 },
    ],
    [
      'a range whose red equals its yellow',
      { ...range, range_yellow: 3, range_red: 3, current_value: 23 },
      { range_yellow: 3, range_red: 3, progress: 0, progress_color: 'at_risk' },
    ],
    [
      'a currency with its code',
      { unit: 'currency', currency_code: 'EUR', target_value: 100, current_value: 25 },
      { currency_code: 'EUR', progress: 25 },
    ],
    [
      'a band without tolerance, inside it',
      { ...range, range_yellow: 0, range_red: 0, current_value: 15 },
      { progress: 100, progress_color: 'on_track' },
    ],
    [
      'a band without tolerance, just outside it',
      { ...range, range_yellow: 0, range_red: 0, current_value: 20.5 },
      { progress: 0, progress_color: 'needs_attention' },
    ],
    ['no currency code on a number', { target_value: 10 }, { currency_code: null }],
  ])('makes %s', async (_label, body, expected) => {
    expect(await made(body)).toMatchObject(expected);
  });
});

describe('a milestone updated', () => {
  it('needs a target when a binary metric becomes a number, and keeps its start of 0', async () => {
    const binary = await made({});
    expectError(await update(binary.id, { unit: 'number' }), 400, 'missing_required_parameters', 'no target');
    const res = await update(binary.id, { unit: 'number', target_value: 5 });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data).toMatchObject({
      unit: 'number',
      start_value: 0,
      target_value: 5,
      direction: 'increase',
    });
  });

  it('keeps a binary metric binary when something else changes', async () => {
    const binary = await made({ unit: 'binary', current_value: 1 });
    const res = await update(binary.id, { name: 'Shipped', weight: 2 });
    expect(res.json().data).toMatchObject({ unit: 'binary', start_value: 0, target_value: 1, progress: 100 });
    expectError(await update(binary.id, { direction: 'range' }), 422, 'invalid_operation', 'binary → range');
  });

  it('keeps a range metric and its thresholds when only its band moves', async () => {
    const band = await made({ ...range, current_value: 12 });
    const res = await update(band.id, { start_value: 14 });
    expect(res.statusCode, res.body).toBe(200);
    // 12 is now 2 below the band [14, 20]: on the yellow tolerance, half-way to red.
    expect(res.json().data).toMatchObject({
      direction: 'range',
      range_yellow: 2,
      range_red: 4,
      progress: 50,
      progress_color: 'at_risk',
    });
  });

  it('drops the thresholds when a range metric becomes increasing', async () => {
    const band = await made({ ...range, current_value: 15 });
    const res = await update(band.id, { direction: 'increase' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data).toMatchObject({
      direction: 'increase',
      range_yellow: null,
      range_red: null,
      progress: 50,
    });
  });

  it('keeps the start, the current value and the currency code it is not sent', async () => {
    const money = await made({
      unit: 'currency',
      currency_code: 'GBP',
      start_value: 0,
      target_value: 100,
      current_value: 40,
    });
    const res = await update(money.id, { target_value: 200 });
    expect(res.json().data).toMatchObject({
      currency_code: 'GBP',
      start_value: 0,
      current_value: 40,
      progress: 20,
    });
    const plain = await update(money.id, { unit: 'number' });
    expect(plain.json().data).toMatchObject({ unit: 'number', currency_code: null });
    expectError(
      await update(money.id, { currency_code: 'USD' }),
      422,
      'invalid_operation',
      'code on a number',
    );
  });

  it('derives the direction again from the new values', async () => {
    const churn = await made({ start_value: 10, target_value: 4 });
    const up = await update(churn.id, { start_value: 0 });
    expect(up.json().data).toMatchObject({ direction: 'increase', start_value: 0, target_value: 4 });
  });
});
