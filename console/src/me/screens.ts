/**
 * A person's own screens, in the header's "Me" menu in this order. Every path starts with /me/, which the
 * server answers with the console (CONSOLE_SCREENS); each has its route in app.tsx.
 */
export const ME_SCREENS = {
  tokens: { path: '/me/tokens', title: 'Instant tokens' },
  apps: { path: '/me/apps', title: 'Authorised apps' },
  conversations: { path: '/me/conversations', title: 'Conversations' },
  feedback: { path: '/me/feedback', title: 'Feedback' },
  recognition: { path: '/me/recognition', title: 'Recognition' },
};
