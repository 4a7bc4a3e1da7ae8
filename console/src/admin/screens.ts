import { CALIBRATION_PATH } from '../calibration/cycles';
import { CONVERSATION_TEMPLATES_PATH } from '../screens/admin-conversation-templates';
import { DEPLOYMENTS_PATH } from '../screens/admin-deployments';
import { FEEDBACK_TEMPLATES_PATH } from '../screens/admin-feedback-templates';
import { OAUTH_APPS_PATH } from '../screens/admin-oauth-apps';
import { API_KEYS_PATH } from '../screens/api-keys';

/**
 * The admin screens, listed on /admin in this order. A new admin screen adds its line here and its route in
 * app.tsx; every path starts with /admin/, which the server answers with the console (CONSOLE_SCREENS).
 */
export interface AdminScreen {
  path: string;
  title: string;
  /** One line on the index: what an admin does there. */
  summary: string;
  /** The heading it is listed under on the index (ADMIN_AREAS); left out, under "More". */
  area?: AdminArea;
}

/** The index's headings, in the order it shows them. */
export const ADMIN_AREAS = ['People', 'Goals', 'Performance', 'Integrations', 'Records', 'More'] as const;
export type AdminArea = (typeof ADMIN_AREAS)[number];

export const ADMIN_SCREENS: AdminScreen[] = [
  {
    path: '/admin/people',
    area: 'People',
    title: 'People',
    summary: 'Search, add, edit, deactivate and reactivate people; roles and HR scopes.',
  },
  {
    path: '/admin/people/upload',
    area: 'People',
    title: 'Upload people',
    summary: 'A CSV file of people, with a report of each wrong row.',
  },
  {
    path: '/admin/departments',
    area: 'People',
    title: 'Departments',
    summary: 'Add, rename and delete departments; how many people are in each.',
  },
  {
    path: CALIBRATION_PATH,
    area: 'Performance',
    title: 'Calibration',
    summary: 'Calibration cycles: create and open them, their sessions, talent records and 9-box.',
  },
  {
    path: API_KEYS_PATH,
    area: 'Integrations',
    title: 'API keys',
    summary: 'Generate a key for a person or service account, revoke and reactivate keys (super admins).',
  },
  {
    path: OAUTH_APPS_PATH,
    area: 'Integrations',
    title: 'OAuth apps',
    summary: 'Register apps, see and rotate their client hash, delete them.',
  },
  {
    path: '/admin/webhooks',
    area: 'Integrations',
    title: 'Webhooks',
    summary: 'Outbound endpoints and their delivery log; inbound metric webhooks.',
  },
  {
    path: '/admin/audit',
    area: 'Records',
    title: 'Audit log',
    summary: 'Every change: who, what, when, through which key (super admins).',
  },
  {
    path: '/admin/periods',
    area: 'Goals',
    title: 'Periods',
    summary: 'The cycles goals run in: create and edit.',
  },
  {
    path: '/admin/scale',
    area: 'Goals',
    title: 'Assessment scale',
    summary: 'The scores goals are assessed on, and their labels.',
  },
  {
    path: '/admin/sandbox',
    area: 'Records',
    title: 'Test-mode sandbox',
    summary: 'What test keys see, and its reset from the live directory (super admins).',
  },
  {
    path: CONVERSATION_TEMPLATES_PATH,
    area: 'Performance',
    title: 'Conversation templates',
    summary: "The questions of 1:1s and check-ins, each side's in order: create and edit.",
  },
  {
    path: DEPLOYMENTS_PATH,
    area: 'Performance',
    title: 'Deployments',
    summary: 'Send a scheduled conversation template to a department, a group or everyone; its progress.',
  },
  {
    path: FEEDBACK_TEMPLATES_PATH,
    area: 'Performance',
    title: 'Feedback templates',
    summary: 'The questions feedback is asked with, and its anonymity: create, edit, archive.',
  },
];
