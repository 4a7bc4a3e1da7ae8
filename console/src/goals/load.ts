import { api, type Goal, type User, unwrap } from '../api/client';
import { everyPage } from '../api/pages';
import { usersById } from '../api/users';

/** Enough for this first step's tree; a larger organisation will want the tree endpoint page by page. */
const MAX_PAGES = 20;

/** Every goal the person can see, page by page. */
export const allVisibleGoals = (): Promise<Goal[]> =>
  everyPage((page, size) => unwrap(api.GET('/v1/goals', { params: { query: { page, size } } })), MAX_PAGES);

/** The people who own these goals, by id, to show names instead of numbers. */
export const ownersOf = (goals: Goal[]): Promise<Map<number, User>> =>
  usersById(goals.flatMap((goal) => (goal.owner_user_id === null ? [] : [goal.owner_user_id])));

export const displayName = (user: User | undefined) =>
  user ? `${user.preferred_name ?? user.first_name} ${user.last_name}` : 'someone you cannot see';
