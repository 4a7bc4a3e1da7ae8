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
  {
    path: '/admin/webhooks',
    title: 'Webhooks',
    summary: 'outbound endpoints and their delivery log; inbound metric webhooks',
  },
  {
    path: '/admin/audit',
    title: 'Audit log',
    summary: 'every change: who, what, when, through which key (super admins)',
  },
  { path: '/admin/periods', title: 'Periods', summary: 'the cycles goals run in: create and edit' },
  {
    path: '/admin/scale',
    title: 'Assessment scale',
    summary: 'the scores goals are assessed on, and their labels',
  },
  {
    path: '/admin/sandbox',
    title: 'Test-mode sandbox',
    summary: 'what test keys see, and its reset from the live directory (super admins)',
  },
];
