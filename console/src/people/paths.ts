/** The people and departments admin screens (docs/console.md); the server answers every /admin path. */
export const PEOPLE_SCREENS = {
  people: '/admin/people',
  upload: '/admin/people/upload',
  person: '/admin/people/:id',
  departments: '/admin/departments',
};

export const personPath = (id: number) => `/admin/people/${id}`;
