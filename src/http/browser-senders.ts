import type { App } from './instance.js';

/** What a sender signing per Standard Webhooks adds to its request. */
const SIGNED_HEADERS = ['webhook-id', 'webhook-timestamp', 'webhook-signature'];

/**
 * Opens a scope's sender routes to scripts running in a browser (an Office Script in Excel, docs/webhooks.md):
 * any origin may post and read the answer, since the URL's token and the signature prove the sender and no
 * cookie or key is ever read there; a preflight is answered for the headers a signed sender sends.
 */
export function openToBrowserSenders(scope: App, paths: string[]) {
  scope.addHook('onRequest', async (_request, reply) => {
    reply.header('access-control-allow-origin', '*');
  });
  const preflight = {
    'access-control-allow-methods': 'POST',
    'access-control-allow-headers': ['content-type', ...SIGNED_HEADERS].join(', '),
    'access-control-max-age': '600',
  };
  for (const path of paths) {
    scope.options(path, { config: { public: true }, schema: { hide: true } }, async (_request, reply) =>
      reply.code(204).headers(preflight).send(),
    );
  }
}
