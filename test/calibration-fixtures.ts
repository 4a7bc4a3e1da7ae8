import { departmentId, ok, org } from './conversation-fixtures.js';

/** The calibration suites' cycle: three-level scales over the conversation world's department. */
export const PERFORMANCE = [
  '35 - Below Expectations',
  '50 - Meets Expectations',
  '65 - Exceeds Expectations',
];
export const POTENTIAL = ['Low', 'Medium', 'High'];
export const cycleBody = (overrides: object = {}) => ({
  name: 'H1 calibration',
  performance_levels: PERFORMANCE,
  potential_levels: POTENTIAL,
  target_distribution: [20, 60, 20],
  audience: 'departments',
  department_ids: [departmentId],
  ...overrides,
});

export interface Rec {
  id: number;
  user_id: number;
}

/** A cycle made and opened by the super admin, with its records and the URL of each person's record. */
export async function openCycle(overrides: object = {}) {
  const c = await ok(org.key, 'POST', '/v1/calibration/cycles', cycleBody(overrides), 201);
  await ok(org.key, 'PATCH', `/v1/calibration/cycles/${c.id}`, { state: 'open' });
  const records: Rec[] = await ok(org.key, 'GET', `/v1/calibration/cycles/${c.id}/talent-records`);
  const of = (userId: number) => records.find((r) => r.user_id === userId) as Rec;
  const url = (userId: number) => `/v1/calibration/cycles/${c.id}/talent-records/${of(userId).id}`;
  return { c, records, of, url };
}
