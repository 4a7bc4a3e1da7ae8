import { Type } from '@sinclair/typebox';
import type { App, AppDeps } from '../../app.js';
import { resetSandbox } from '../../domain/sandbox/service.js';
import { envelope, ok } from '../../http/envelope.js';
import { errorResponses } from './common.js';

export function sandboxRoutes(app: App, { db }: AppDeps) {
  app.post('/sandbox/reset', {
    schema: {
      tags: ['Sandbox'],
      summary: 'Reset the test sandbox from a copy of the live directory (super admins)',
      description:
        'Deletes every test-mode object and copies the live directory into test mode, keeping ids.',
      response: { 200: envelope(Type.Object({ mode: Type.Literal('test') })), ...errorResponses },
    },
    handler: async (request) => {
      await resetSandbox(db, request.principal);
      return ok({ mode: 'test' as const }, 'The test sandbox was reset from the live directory');
    },
  });
}
