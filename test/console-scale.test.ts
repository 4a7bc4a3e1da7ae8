import { describe, expect, it } from 'vitest';
import { scalePoints } from '../console/src/goals/scale.js';

/** The scores the goal page offers must be exactly the points the API accepts (docs/goals.md, Assessments). */
describe("the assessment form's scores", () => {
  it('lists every point of the scale with its label', () => {
    const points = scalePoints({ min: 1, max: 5, step: 1, labels: [{ score: 5, label: 'Outstanding' }] });
    expect(points.map((p) => p.score)).toEqual([1, 2, 3, 4, 5]);
    expect(points.at(-1)?.label).toBe('5 · Outstanding');
    expect(points[0]?.label).toBe('1');
  });

  it('offers decimal steps as the numbers the API compares them to, not float sums', () => {
    const points = scalePoints({ min: 0, max: 1, step: 0.1, labels: [{ score: 0.3, label: 'Low' }] });
    expect(points).toHaveLength(11);
    expect(points[3]).toEqual({ score: 0.3, label: '0.3 · Low' });
    expect(points.at(-1)?.score).toBe(1);
  });
});
