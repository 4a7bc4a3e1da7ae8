import { type Static, Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { StreamRow } from '../../domain/metric-hooks/stream-repo.js';
import * as streams from '../../domain/metric-hooks/streams.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { DescribedId, Nullable, Text, Timestamp } from '../shared/fields.js';
import { errorResponses, IdParams } from './common.js';
import { envelope, listEnvelope, ok } from './envelope.js';
import { listPaging, PageQuery } from './paging.js';

const Datastream = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    mode: Type.Union([Type.Literal('live'), Type.Literal('test')]),
    created_by: Type.Integer({ description: 'The person every value pushed is a check-in of.' }),
    milestone_id: Type.Integer({ description: 'The milestone the stream feeds.' }),
    connector_id: Nullable(
      Type.String({ description: 'When set, pushes naming another connector are refused.' }),
    ),
    key_last_four: Type.String({ description: 'The last four characters of its stream key.' }),
    paused: Type.Boolean(),
    last_used_at: Nullable(Timestamp),
    last_value: Nullable(Type.Number()),
    last_failure_at: Nullable(Timestamp),
    last_failure: Nullable(Type.String({ description: 'The code and reason of the last refused push.' })),
    failure_count: Type.Integer(),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'Datastream' },
);

const toDatastream = (s: StreamRow): Static<typeof Datastream> => ({
  ...s,
  last_value: s.last_value === null ? null : Number(s.last_value),
});

const IssuedStream = Type.Composite([
  Datastream,
  Type.Object({
    url: Nullable(Type.String({ description: 'POST values here (WorkBoard form). Shown once.' })),
    stream_key: Nullable(Type.String({ description: 'The URL part (ds_…). Shown once.' })),
    secret: Nullable(Type.String({ description: 'Signs x-stream-signature (dss_…). Shown once.' })),
  }),
]);

/** The stored copy for Idempotency-Key replays keeps the stream but never its key or secret. */
const withoutSecrets = (body: string) => {
  const parsed = JSON.parse(body);
  Object.assign(parsed.data, { url: null, stream_key: null, secret: null });
  parsed.message = 'The stream key and secret were shown only in the first response';
  return JSON.stringify(parsed);
};

const CreateBody = Type.Object(
  {
    name: Text(100, 1),
    milestone_id: DescribedId(
      'The milestone the stream feeds; the caller must be allowed to check in on it.',
    ),
    connector_id: Type.Optional(Text(100, 1)),
  },
  { additionalProperties: false, examples: [{ name: 'Pipeline from the CRM', milestone_id: 42 }] },
);
const ListQuery = Type.Object(PageQuery, { additionalProperties: false });
const tags = ['Datastreams'];

const issued = (request: FastifyRequest, { stream, key, secret }: streams.IssuedStream) => ({
  ...toDatastream(stream),
  url: `${request.protocol}://${request.host}/wb/apis/stream/${key}`,
  stream_key: key,
  secret,
});

/** WorkBoard's datastreams, managed on /v1 (docs/webhooks.md): creators and org admins. */
export function datastreamRoutes(app: App, { db, cursorSecrets }: FaceDeps) {
  const { pageRequest, pageFields } = listPaging(cursorSecrets);
  app.addSchema(Datastream);

  app.get('/datastreams', {
    schema: {
      tags,
      summary: 'List datastreams',
      description: "The caller's own streams; org admins see everyone's.",
      querystring: ListQuery,
      response: { 200: listEnvelope(Type.Ref(Datastream)), ...errorResponses },
    },
    handler: async (request) => {
      const page = await streams.listDatastreams(db, principalOf(request), await pageRequest(request));
      return { ...ok(page.rows.map(toDatastream)), ...(await pageFields(page, request)) };
    },
  });

  app.post('/datastreams', {
    config: { redactStoredResponse: withoutSecrets },
    schema: {
      tags,
      summary: 'Create a datastream',
      description:
        'A stream feeding one milestone the caller may check in on, pushed to at /wb/apis/stream/{stream_key} ' +
        'with x-stream-signature. Answers its key and secret, once. Every value is a check-in by the caller.',
      body: CreateBody,
      response: { 201: envelope(IssuedStream), ...errorResponses },
    },
    handler: async (request, reply) => {
      const made = await streams.createDatastream(db, principalOf(request), request.body);
      const message = 'Datastream was created; its key and secret are shown only once';
      return reply.status(201).send(ok(issued(request, made), message));
    },
  });

  app.delete('/datastreams/:id', {
    schema: {
      tags,
      summary: 'Delete a datastream',
      params: IdParams,
      response: { 200: envelope(Type.Null()), ...errorResponses },
    },
    handler: async (request) => {
      await streams.deleteDatastream(db, principalOf(request), request.params.id);
      return ok(null, 'Datastream was deleted');
    },
  });
}
