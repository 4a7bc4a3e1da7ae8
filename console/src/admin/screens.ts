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
}

export const ADMIN_SCREENS: AdminScreen[] = [
  {
    path: API_KEYS_PATH,
    title: 'API keys',
    summary: 'Generate a key for a person or service account, revoke and reactivate keys (super admins).',
  },
];
