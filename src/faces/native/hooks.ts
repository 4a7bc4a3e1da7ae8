import { type Static, Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../domain/errors.js';
import { type HookUpdate, receiveHookUpdate } from '../../domain/metric-hooks/receive.js';
import { openToBrowserSenders } from '../../http/browser-senders.js';
import { KEEPS_PRINCIPALS } from '../../http/forget-after-writes.js';
import type { App } from '../../http/instance.js';
import { unstorableField } from '../../http/storable-text.js';
import { buildValidator } from '../../http/validation.js';
import type { FaceDeps } from '../face.js';
import { DescribedId } from '../shared/fields.js';
import { CheckInBody } from './checkins.js';
import { ErrorBody, envelope, ok } from './envelope.js';

const HookUpdateBody = Type.Object(
  {
    action: Type.Union(
      [Type.Literal('set'), Type.Literal('add'), Type.Literal('comment'), Type.Literal('confidence')],
      { description: 'set the value, add to it, comment, or set confidence.' },
    ),
    value: Type.Optional(
      Type.Number({
        minimum: CheckInBody.properties.value.minimum,
        maximum: CheckInBody.properties.value.maximum,
        description: 'set: the new value; add: the amount added.',
      }),
    ),
    comment: CheckInBody.properties.comment,
    confidence: CheckInBody.properties.confidence,
    checked_in_at: CheckInBody.properties.checked_in_at,
    milestone_id: Type.Optional(DescribedId('Needed when the webhook is not bound to one milestone.')),
  },
  { additionalProperties: false, examples: [{ action: 'set', value: 1250, comment: 'From the ERP' }] },
);

const HookParams = Type.Object({
  hook_id: Type.String({ minLength: 1, maxLength: 200, description: 'The secret part of the URL.' }),
});

const SignedHeaders = Type.Object({
  'webhook-id': Type.Optional(Type.String({ description: 'Unique per message; a repeat is refused.' })),
  'webhook-timestamp': Type.Optional(Type.String({ description: 'Unix seconds; ±5 minutes of ours.' })),
  'webhook-signature': Type.Optional(
    Type.String({ description: 'v1,<base64 HMAC-SHA256 of id.timestamp.body>' }),
  ),
});

const errorRef = Type.Ref(ErrorBody);
const strict = buildValidator({});
const checkBody = strict({ schema: HookUpdateBody, httpPart: 'body', method: 'POST', url: '/' }) as ((
  value: unknown,
) => boolean) & { errors?: { instancePath: string; message?: string }[] | null };

/** The body, read only once its signature held: JSON of the HookUpdate shape, or invalid_webhook_action. */
function parseUpdate(body: string): HookUpdate {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new AppError('invalid_webhook_action', 'The body is not JSON.');
  }
  // Parsed here, after the face's own check ran on the raw text: "\u0000" only becomes a NUL now.
  const unstorable = unstorableField(value);
  if (unstorable) {
    throw new AppError('invalid_webhook_action', `${unstorable.field ?? 'The body'} ${unstorable.problem}.`);
  }
  if (!checkBody(value)) {
    const first = checkBody.errors?.[0];
    const field = first?.instancePath.replace(/^\//, '') || 'body';
    throw new AppError('invalid_webhook_action', `${field}: ${first?.message ?? 'is invalid'}.`);
  }
  return value as Static<typeof HookUpdateBody>;
}

const header = (request: FastifyRequest, name: string) => {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
};

/**
 * The receiver: no bearer key; the URL's secret part finds the hook and the Standard Webhooks signature
 * proves the sender (docs/webhooks.md). The body is kept as received, because the signature is over it.
 */
export function hookRoutes(app: App, { db, clock }: FaceDeps) {
  app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) =>
      done(null, body),
    );
    openToBrowserSenders(scope, ['/hooks/:hook_id']);
    scope.post('/hooks/:hook_id', {
      config: { public: true, authenticatedBy: 'webhook-signature', ...KEEPS_PRINCIPALS },
      // The body is checked after the signature, by parseUpdate; params and headers as usual.
      validatorCompiler: (route) => (route.httpPart === 'body' ? () => true : strict(route)),
      schema: {
        tags: ['Metric webhooks'],
        summary: 'Send a metric update to a webhook',
        description:
          "Signed per Standard Webhooks with the webhook's secret, no bearer key. Each accepted update is a " +
          "check-in by the webhook's creator. Refusals: invalid_webhook_url (404), invalid_webhook_secret (401), " +
          'invalid_webhook_action (400).',
        params: HookParams,
        headers: SignedHeaders,
        body: HookUpdateBody,
        response: {
          200: envelope(Type.Object({ checkin: Type.Ref('CheckIn') })),
          400: errorRef,
          401: errorRef,
          403: errorRef,
          404: errorRef,
          422: errorRef,
        },
      },
      handler: async (request) => {
        const { hook_id } = request.params as Static<typeof HookParams>;
        const result = await receiveHookUpdate(
          db,
          {
            token: hook_id,
            headers: {
              id: header(request, 'webhook-id'),
              timestamp: header(request, 'webhook-timestamp'),
              signature: header(request, 'webhook-signature'),
            },
            body: typeof request.body === 'string' ? request.body : '',
            requestId: request.id,
          },
          parseUpdate,
          clock?.() ?? Date.now(),
        );
        return ok({ checkin: result.checkin }, 'The update was checked in');
      },
    });
  });
}
