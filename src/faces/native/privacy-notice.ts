import { Type } from '@sinclair/typebox';
import { gates } from '../../domain/access/policy.js';
import { getPrivacyNotice, updatePrivacyNotice } from '../../domain/orgs/service.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { errorResponses } from './common.js';
import { envelope, ok } from './envelope.js';

const PrivacyNotice = Type.Object(
  {
    version: Type.Integer({
      description: 'Raised by each change of the text; everyone accepts the new one.',
    }),
    text: Type.String(),
    updated_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { $id: 'PrivacyNotice' },
);

/** The organisation's privacy notice, which everyone accepts at sign-in (docs/sign-in.md). */
export function privacyNoticeRoutes(app: App, { db }: FaceDeps) {
  app.addSchema(PrivacyNotice);

  app.get('/privacy-notice', {
    schema: {
      tags: ['Sign-in'],
      summary: 'The privacy notice',
      description: 'What every person accepts at their first sign-in, and again after each new version.',
      response: { 200: envelope(Type.Ref(PrivacyNotice)), ...errorResponses },
    },
    handler: async (request) => ok(await getPrivacyNotice(db, principalOf(request))),
  });

  app.put('/privacy-notice', {
    config: { gate: gates.managePrivacyNotice },
    schema: {
      tags: ['Sign-in'],
      summary: 'Change the privacy notice (admins, live keys)',
      description:
        'A changed text is a new version: until each person accepts it at their next sign-in, their keys and ' +
        'sessions are refused with privacy_notice_not_accepted. The same text changes nothing.',
      body: Type.Object(
        { text: Type.String({ minLength: 1, maxLength: 100_000 }) },
        { additionalProperties: false },
      ),
      response: { 200: envelope(Type.Ref(PrivacyNotice)), ...errorResponses },
    },
    handler: async (request) =>
      ok(await updatePrivacyNotice(db, principalOf(request), request.body.text), 'Privacy notice was saved'),
  });
}
