import { bearerCredential } from '../../http/auth.js';
import type { Face } from '../face.js';
import { WorkBoardError, workboardError } from './errors.js';
import { hookRoutes } from './hook.js';
import { oauthRoutes } from './oauth.js';
import { streamRoutes } from './stream.js';
import { streamManagementRoutes } from './streams.js';

/**
 * WorkBoard's face, /wb (docs/faces.md): `Authorization: Bearer`, WorkBoard's `{success, message, data:
 * {totalCount, <resource>}}` envelope and `{success, error, error_description}` errors. Resources are
 * listed here one file each, OAuth's `/wb/oauth` routes among them (oauth.ts).
 */
export const workboardFace: Face = {
  prefix: '/wb',
  readCredential: bearerCredential,
  answerError: workboardError,
  routes(app, deps) {
    app.addSchema(WorkBoardError);
    for (const routes of [hookRoutes, streamRoutes, streamManagementRoutes, oauthRoutes]) routes(app, deps);
  },
};
