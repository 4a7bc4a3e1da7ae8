import { Type } from '@sinclair/typebox';
import { gates } from '../../domain/access/policy.js';
import { feedbackSettings, setFeedbackSettings } from '../../domain/feedback/settings.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { errorResponses } from './common.js';
import { envelope, ok } from './envelope.js';

const FeedbackSettings = Type.Object(
  {
    anonymity_threshold: Type.Integer({
      minimum: 3,
      maximum: 1000,
      description:
        'How many providers must answer a request before answers anonymous to a reader are shown to them, pooled. ' +
        'At least 3 (the default).',
    }),
  },
  { $id: 'FeedbackSettings', additionalProperties: false },
);
const tags = ['Feedback'];

export function feedbackSettingsRoutes(app: App, { db }: FaceDeps) {
  app.addSchema(FeedbackSettings);
  const response = { 200: envelope(Type.Ref(FeedbackSettings)), ...errorResponses };
  app.get('/settings/feedback', {
    schema: { tags, summary: "The organisation's feedback settings", response },
    handler: async (request) => ok(await feedbackSettings(db, principalOf(request))),
  });
  app.put('/settings/feedback', {
    config: { gate: gates.manageFeedback },
    schema: {
      tags,
      summary: 'Set the feedback settings (admins)',
      body: Type.Ref(FeedbackSettings),
      response,
    },
    handler: async (request) =>
      ok(await setFeedbackSettings(db, principalOf(request), request.body), 'Feedback settings were updated'),
  });
}
