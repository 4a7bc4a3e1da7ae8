/** The console's screens; src/faces/console/static.ts answers these same paths with index.html. */
export const SCREENS = {
  myGoals: '/',
  signIn: '/sign-in',
  notice: '/notice',
  tree: '/tree',
  goal: '/goals/:id',
};
