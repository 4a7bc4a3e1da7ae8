/** The console's screens; src/faces/console/static.ts answers these same paths with index.html. */
export const SCREENS = {
  myGoals: '/',
  signIn: '/sign-in',
  notice: '/notice',
  tree: '/tree',
  goal: '/goals/:id',
  admin: '/admin',
};

/** Admin screens live under this prefix; a member reaching one sees AdminOnly, never the screen. */
export const ADMIN_PREFIX = '/admin';
