import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../domain/errors.js';
import type { CheckinRow } from '../../domain/goals/checkin-repo.js';
import {
  type HookUpdate,
  receiveHookUpdate,
  receiveUnsignedUpdate,
} from '../../domain/metric-hooks/receive.js';
import { openToBrowserSenders } from '../../http/browser-senders.js';
import { KEEPS_PRINCIPALS } from '../../http/forget-after-writes.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { wbEnvelope, wbNumber, wbOk, wbTime } from './envelope.js';
import { WorkBoardError } from './errors.js';
import { idField, keepBodiesAsText, numberField, rawBody, senderFields, textField } from './sender-fields.js';

const ACTIONS = ['set', 'add', 'comment'] as const;
const badAction = (why: string) => new AppError('invalid_webhook_action', why);

/**
 * WorkBoard's three fields as the hook update they are: `metric_data` sets the value (our `action` may say
 * `add` or `comment` instead), `metric_comment` rides along, `metric_id` names the milestone.
 */
function metricUpdate(fields: Record<string, unknown>): HookUpdate {
  const action = fields.action ?? 'set';
  if (!ACTIONS.includes(action as (typeof ACTIONS)[number])) {
    throw badAction('action is set (the default), add or comment.');
  }
  const value = numberField(fields, 'metric_data');
  const comment = textField(fields, 'metric_comment', 4000);
  if (action !== 'comment' && value === undefined) throw badAction('metric_data is required.');
  if (action === 'comment' && value !== undefined) throw badAction('"comment" takes no metric_data.');
  return {
    action: action as HookUpdate['action'],
    value,
    comment,
    milestone_id: idField(fields, 'metric_id'),
  };
}

/** A sender that signs (Standard Webhooks headers) is held to its signature; WorkBoard's own senders do not sign. */
const signedHeaders = (request: FastifyRequest) => {
  const read = (name: string) => {
    const value = request.headers[name];
    return typeof value === 'string' ? value : undefined;
  };
  const headers = {
    id: read('webhook-id'),
    timestamp: read('webhook-timestamp'),
    signature: read('webhook-signature'),
  };
  return headers.id || headers.timestamp || headers.signature ? headers : null;
};

async function receive(request: FastifyRequest, { db, clock }: FaceDeps, hash: string) {
  const headers = signedHeaders(request);
  const update = () => metricUpdate(senderFields(request));
  try {
    if (!headers) return await receiveUnsignedUpdate(db, hash, update, request.id);
    const signed = { token: hash, headers, body: rawBody(request), requestId: request.id };
    return await receiveHookUpdate(db, signed, update, clock?.() ?? Date.now());
  } catch (error) {
    // WorkBoard's senders know one word for a metric they may not name: the action is invalid.
    if (error instanceof AppError && error.code === 'invalid_resource_id') {
      throw badAction('No milestone with this metric_id that the webhook may update.');
    }
    throw error;
  }
}

const HookItem = Type.Object({
  metric_id: Type.String(),
  metric_data: Type.Union([Type.String(), Type.Null()]),
  metric_comment: Type.Union([Type.String(), Type.Null()]),
  metric_data_id: Type.String({ description: 'The check-in this update made.' }),
  updated_at: Type.String({ description: 'Unix seconds.' }),
});

const toHook = (checkin: CheckinRow) => ({
  metric_id: wbNumber(checkin.milestone_id) ?? '',
  metric_data: wbNumber(checkin.value),
  metric_comment: checkin.comment,
  metric_data_id: String(checkin.id),
  updated_at: wbTime(checkin.checked_in_at) ?? '',
});

const errorRef = Type.Ref(WorkBoardError);

/**
 * `POST /wb/apis/hook/{hash}`: WorkBoard's metric webhook, no bearer. The hash is a metric webhook's URL
 * token (`hk_…`, docs/webhooks.md); the fields come as JSON, form fields or the query string.
 */
export function hookRoutes(app: App, deps: FaceDeps) {
  app.register(async (scope) => {
    keepBodiesAsText(scope as unknown as App);
    openToBrowserSenders(scope, ['/apis/hook/:hash']);
    const handler = async (request: FastifyRequest) => {
      const { hash } = (request.params ?? {}) as { hash?: string };
      const { checkin } = await receive(request, deps, hash ?? '');
      return wbOk('hook', [toHook(checkin)], 'Metric updated');
    };
    const schema = {
      tags: ['WorkBoard'],
      summary: 'Update a metric through a webhook (WorkBoard)',
      description:
        "No bearer: the hash is a metric webhook's URL token. metric_id, metric_data (a number or numeric " +
        'string) and metric_comment as JSON, form fields or query parameters. Refusals: invalid_webhook_url, ' +
        'invalid_webhook_action, invalid_webhook_secret (when Standard Webhooks headers are sent).',
      params: Type.Object({ hash: Type.String({ maxLength: 200 }) }),
      response: {
        200: wbEnvelope('hook', HookItem),
        400: errorRef,
        401: errorRef,
        403: errorRef,
        404: errorRef,
        422: errorRef,
      },
    };
    scope.post('/apis/hook/:hash', { config: { public: true, ...KEEPS_PRINCIPALS }, schema }, handler);
    // An empty hash is an unknown webhook, answered as one rather than as an unknown route.
    scope.post(
      '/apis/hook/',
      { config: { public: true, ...KEEPS_PRINCIPALS }, schema: { hide: true } },
      handler,
    );
    scope.post(
      '/apis/hook',
      { config: { public: true, ...KEEPS_PRINCIPALS }, schema: { hide: true } },
      handler,
    );
  });
}
