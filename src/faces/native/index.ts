import type { FastifyPluginAsync } from 'fastify';
import type { App, AppDeps } from '../../app.js';
import { authenticate } from '../../http/auth.js';
import { idempotency } from '../../http/idempotency.js';
import { apiKeyRoutes } from './api-keys.js';
import { auditEventRoutes } from './audit-events.js';
import { meRoutes } from './me.js';
import { sandboxRoutes } from './sandbox.js';
import { userRoutes } from './users.js';

/** The native face, /v1: every route needs a key; POSTs honour Idempotency-Key. */
export const nativeFace =
  (deps: AppDeps): FastifyPluginAsync =>
  async (scope) => {
    const app = scope as unknown as App;
    const { preHandler, onSend } = idempotency(deps.db);
    app.addHook('onRequest', authenticate(deps.db));
    app.addHook('preHandler', preHandler);
    app.addHook('onSend', onSend);
    for (const routes of [meRoutes, userRoutes, apiKeyRoutes, auditEventRoutes, sandboxRoutes]) {
      routes(app, deps);
    }
  };
