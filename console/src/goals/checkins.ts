import { api, type Goal, unwrap } from '../api/client';
import type { components } from '../api/schema';

export type CheckIn = components['schemas']['CheckIn'];
export interface CheckInInput {
  value: number;
  confidence?: number;
  comment?: string;
}

/** What a check-in lands on: a milestone, or a goal that has none (docs/goals.md, Check-ins). */
export type CheckInTarget = { kind: 'milestone'; id: number } | { kind: 'goal'; id: number };

const page = { size: 100 };

/** The target's latest check-ins, newest first. */
export async function checkInsOf(target: CheckInTarget): Promise<CheckIn[]> {
  const params = { path: { id: target.id }, query: page };
  const answer =
    target.kind === 'milestone'
      ? await unwrap(api.GET('/v1/milestones/{id}/checkins', { params }))
      : await unwrap(api.GET('/v1/goals/{id}/checkins', { params }));
  return answer.data;
}

/** Records a check-in and returns the goal as it now stands, its progress rolled up. */
export async function checkIn(target: CheckInTarget, body: CheckInInput): Promise<Goal> {
  const params = { path: { id: target.id } };
  const answer =
    target.kind === 'milestone'
      ? await unwrap(api.POST('/v1/milestones/{id}/checkins', { params, body }))
      : await unwrap(api.POST('/v1/goals/{id}/checkins', { params, body }));
  return answer.data.goal;
}
