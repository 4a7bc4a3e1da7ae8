import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../domain/errors.js';
import { receiveStreamPush, type StreamValue } from '../../domain/metric-hooks/stream-receive.js';
import { KEEPS_PRINCIPALS } from '../../http/forget-after-writes.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { wbEnvelope, wbNumber, wbOk, wbTime } from './envelope.js';
import { WorkBoardError } from './errors.js';
import { keepBodiesAsText, numberField, rawBody, senderFields, textField } from './sender-fields.js';

const badAction = (why: string) => new AppError('invalid_webhook_action', why);
const objectAt = (value: unknown, name: string): Record<string, unknown> => {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw badAction(`${name} must be an object.`);
  return value as Record<string, unknown>;
};

/** `data`: a JSON string (form field, WorkBoard's Apps Script) or an object (a JSON body). */
function dataOf(fields: Record<string, unknown>): Record<string, unknown> {
  let data = fields.data;
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data);
    } catch {
      throw badAction('data is not JSON.');
    }
  }
  if (data === undefined) throw badAction('Send the pushed value in a data field.');
  return objectAt(data, 'data');
}

/** `data.stream.connector`: `connector_id`, `connector_data.value`, and a comment in its attributes or property. */
function streamValue(fields: Record<string, unknown>): StreamValue {
  const connector = objectAt(
    objectAt(dataOf(fields).stream, 'data.stream').connector,
    'data.stream.connector',
  );
  const connectorData = objectAt(connector.connector_data, 'connector_data');
  const value = numberField(connectorData, 'value');
  if (value === undefined) throw badAction('connector_data.value is required.');
  // Optional in WorkBoard's spec: only a stream made for one connector asks for it (the domain's rule).
  const connectorId = textField(connector, 'connector_id', 100);
  const attributes = connector.connector_attributes ?? connector.connector_property ?? {};
  return {
    connector_id: connectorId,
    value,
    comment: textField(objectAt(attributes, 'connector_attributes'), 'comment', 4000),
  };
}

const StreamItem = Type.Object({
  stream_id: Type.String(),
  stream_name: Type.String(),
  stream_active: Type.String({ description: '"1" while the stream takes values.' }),
  stream_connector_id: Type.Union([Type.String(), Type.Null()]),
  stream_data_last_updated: Type.String({ description: 'Unix seconds.' }),
  stream_last_data_value: Type.Union([Type.String(), Type.Null()]),
});

const errorRef = Type.Ref(WorkBoardError);

/**
 * `POST /wb/apis/stream/{stream_key}`: a value pushed to a datastream, no bearer; `x-stream-signature` proves
 * the sender (docs/webhooks.md). The body is kept as received, because the signature is over it.
 */
export function streamRoutes(app: App, { db }: FaceDeps) {
  app.register(async (scope) => {
    keepBodiesAsText(scope as unknown as App);
    const handler = async (request: FastifyRequest) => {
      const { stream_key } = (request.params ?? {}) as { stream_key?: string };
      const signature = request.headers['x-stream-signature'];
      const push = {
        key: stream_key ?? '',
        signature: typeof signature === 'string' ? signature : undefined,
        body: rawBody(request),
        requestId: request.id,
      };
      const { checkin, stream } = await receiveStreamPush(db, push, () => streamValue(senderFields(request)));
      const item = {
        stream_id: String(stream.id),
        stream_name: stream.name,
        stream_active: '1',
        stream_connector_id: stream.connector_id,
        stream_data_last_updated: wbTime(checkin.checked_in_at) ?? '',
        stream_last_data_value: wbNumber(checkin.value),
      };
      return wbOk('stream', [item], 'Stream data received');
    };
    const schema = {
      tags: ['WorkBoard'],
      summary: 'Push a value to a datastream (WorkBoard)',
      description:
        'No bearer: x-stream-signature is the HMAC-SHA256 (hex) of the raw body keyed by the stream secret, ' +
        'or the secret itself. The value is in data.stream.connector.connector_data.value, data being a form ' +
        'field holding JSON or a JSON body. Refusals: invalid_webhook_url, invalid_webhook_secret, invalid_webhook_action.',
      params: Type.Object({ stream_key: Type.String({ maxLength: 200 }) }),
      response: {
        200: wbEnvelope('stream', StreamItem),
        400: errorRef,
        401: errorRef,
        403: errorRef,
        404: errorRef,
        422: errorRef,
      },
    };
    scope.post(
      '/apis/stream/:stream_key',
      { config: { public: true, ...KEEPS_PRINCIPALS }, schema },
      handler,
    );
    // An empty key is an unknown stream, answered as one rather than as an unknown route.
    scope.post(
      '/apis/stream/',
      { config: { public: true, ...KEEPS_PRINCIPALS }, schema: { hide: true } },
      handler,
    );
  });
}
