import { Type } from '@sinclair/typebox';
import { gates } from '../../domain/access/policy.js';
import { inviteUser } from '../../domain/sign-in/links.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { errorResponses, IdParams } from './common.js';
import { envelope, ok } from './envelope.js';

/** Invitations: an admin mails a person a single-use link to choose a password (docs/sign-in.md). */
export function invitationRoutes(app: App, { db, mail, clock }: FaceDeps) {
  app.post('/users/:id/invitation', {
    config: { gate: gates.inviteUsers },
    schema: {
      tags: ['Sign-in'],
      summary: 'Invite a person to choose a password (admins)',
      description:
        'Mails them a single-use link, good for 7 days; an earlier unused invitation stops working. ' +
        'A test key is answered the same and mails nobody.',
      params: IdParams,
      response: {
        202: envelope(Type.Object({ user_id: Type.Integer(), email: Type.String(), sent: Type.Boolean() })),
        ...errorResponses,
      },
    },
    handler: async (request, reply) => {
      const result = await inviteUser(
        db,
        mail,
        principalOf(request),
        request.params.id,
        clock?.() ?? Date.now(),
      );
      return reply
        .status(202)
        .send(
          ok(
            { user_id: request.params.id, ...result },
            result.sent ? 'Invitation was sent' : 'Test mode: nothing was sent',
          ),
        );
    },
  });
}
