/**
 * The admin screens, listed on /admin in this order. A new admin screen adds its line here and its route in
 * app.tsx; every path starts with /admin/, which the server answers with the console (CONSOLE_SCREENS).
 */
export interface AdminScreen {
  path: string;
  title: string;
  /** One line on the index: what an admin does there. */
  summary: string;
}

export const ADMIN_SCREENS: AdminScreen[] = [
  { path: '/admin/people', title: 'People', summary: 'search, add, edit, deactivate; roles and HR scopes' },
  {
    path: '/admin/people/upload',
    title: 'Upload people',
    summary: 'a CSV file, with a report of each wrong row',
  },
  {
    path: '/admin/departments',
    title: 'Departments',
    summary: 'add, rename and delete; how many people in each',
  },
];
