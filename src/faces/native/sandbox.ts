import { Type } from '@sinclair/typebox';
import { gates } from '../../domain/access/policy.js';
import { resetSandbox } from '../../domain/sandbox/service.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { errorResponses } from './common.js';
import { envelope, ok } from './envelope.js';

export function sandboxRoutes(app: App, { db }: FaceDeps) {
  app.post('/sandbox/reset', {
    config: { gate: gates.resetSandbox },
    schema: {
      tags: ['Sandbox'],
      summary: 'Reset the test sandbox from a copy of the live directory (super admins)',
      description:
        'Deletes every test-mode object and copies the live directory into test mode, keeping ids.',
      response: { 200: envelope(Type.Object({ mode: Type.Literal('test') })), ...errorResponses },
    },
    handler: async (request) => {
      await resetSandbox(db, principalOf(request));
      return ok({ mode: 'test' as const }, 'The test sandbox was reset from the live directory');
    },
  });
}
