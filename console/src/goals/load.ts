import { api, type Goal, type User, unwrap } from '../api/client';
import { peopleByIds } from '../people/names';

const SIZE = 100;
/** Enough for this first step's tree; a larger organisation will want the tree endpoint page by page. */
const MAX_PAGES = 20;

/** Every goal the person can see, page by page. */
export async function allVisibleGoals(): Promise<Goal[]> {
  const goals: Goal[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const answer = await unwrap(api.GET('/v1/goals', { params: { query: { page, size: SIZE } } }));
    goals.push(...answer.data);
    if (answer.data.length < SIZE || goals.length >= answer.total_count) break;
  }
  return goals;
}

/** The people who own these goals, by id, to show names instead of numbers. */
export const ownersOf = (goals: Goal[]): Promise<Map<number, User>> =>
  peopleByIds(goals.flatMap((goal) => (goal.owner_user_id === null ? [] : [goal.owner_user_id])));

export const displayName = (user: User | undefined) =>
  user ? `${user.preferred_name ?? user.first_name} ${user.last_name}` : 'someone you cannot see';
