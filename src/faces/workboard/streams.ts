import { type Static, Type } from '@sinclair/typebox';
import { AppError } from '../../domain/errors.js';
import type { StreamRow } from '../../domain/metric-hooks/stream-repo.js';
import * as streams from '../../domain/metric-hooks/streams.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { Id, Text } from '../shared/fields.js';
import { wbEnvelope, wbNumber, wbTime } from './envelope.js';
import { WorkBoardError } from './errors.js';

/** WorkBoard's stream, as its `GET /stream` and `POST /stream` answer it: every field a string. */
const StreamItem = Type.Object({
  stream_id: Type.String({ description: 'On creation the push key (ds_…); in the list the numeric id.' }),
  stream_private_key: Type.String({
    description: 'On creation the signing secret (dss_…), shown once; "" in the list.',
  }),
  stream_name: Type.String(),
  stream_frequency: Type.String(),
  stream_category: Type.String(),
  stream_data_type: Type.String(),
  stream_description: Type.String(),
  stream_active: Type.String({ description: '"1" while the stream takes values, "0" when paused.' }),
  stream_connector_id: Type.Union([Type.String(), Type.Null()]),
  stream_data_last_updated: Type.Union([Type.String(), Type.Null()], { description: 'Unix seconds.' }),
  stream_last_data_value: Type.Union([Type.String(), Type.Null()]),
});
type StreamItem = Static<typeof StreamItem>;

const toItem = (s: StreamRow, id: string, privateKey: string): StreamItem => ({
  stream_id: id,
  stream_private_key: privateKey,
  stream_name: s.name,
  stream_frequency: s.frequency ?? '',
  stream_category: s.category ?? '',
  stream_data_type: s.data_type ?? '',
  stream_description: s.description ?? '',
  stream_active: s.paused ? '0' : '1',
  stream_connector_id: s.connector_id,
  stream_data_last_updated: wbTime(s.last_used_at),
  stream_last_data_value: wbNumber(s.last_value),
});

const Permission = Type.Object({
  id: Type.String({ maxLength: 100, description: 'The user_id, team_id or org_id respective to the type.' }),
  type: Type.Union([Type.Literal('user'), Type.Literal('team'), Type.Literal('org')]),
});

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

const CreateBody = Type.Object(
  {
    stream_name: Text(100, 1),
    metric_id: Type.Optional(
      Type.Union([Id, Type.String({ pattern: '^[1-9][0-9]{0,14}$' })], {
        description:
          'Trellis: the milestone (a key result, WorkBoard\'s "metric") the stream feeds; required. ' +
          'The caller must be allowed to check in on it.',
      }),
    ),
    stream_description: Type.Optional(Text(1000)),
    stream_data_type: Type.Optional(literals(streams.STREAM_DATA_TYPES)),
    stream_frequency: Type.Optional(literals(streams.STREAM_FREQUENCIES)),
    stream_category: Type.Optional(Text(100)),
    stream_permission: Type.Optional(
      Type.Array(Permission, {
        maxItems: 100,
        description: 'Only the caller as a user: a stream is managed by its creator and org admins.',
      }),
    ),
  },
  {
    additionalProperties: false,
    examples: [{ stream_name: 'Pipeline from the CRM', metric_id: '42', stream_data_type: 'currency' }],
  },
);
type CreateBody = Static<typeof CreateBody>;

/** WorkBoard's streams are org-level; ours feed one milestone, which WorkBoard's body cannot name. */
function milestoneOf(body: CreateBody): number {
  if (body.metric_id === undefined) {
    throw new AppError(
      'missing_required_parameters',
      'metric_id is required: a Trellis datastream feeds one key result, and metric_id names it (its milestone id).',
    );
  }
  return Number(body.metric_id);
}

/**
 * Who manages a stream is not WorkBoard's to say here: its creator and org admins do. A permission list is
 * accepted when it grants no one else (only the caller, as a user), refused otherwise rather than ignored.
 */
function refuseOtherPermissions(body: CreateBody, userId: number) {
  const others = (body.stream_permission ?? []).filter((p) => p.type !== 'user' || p.id !== String(userId));
  if (others.length === 0) return;
  throw new AppError(
    'invalid_parameters',
    'stream_permission may name only the caller (type "user"): a Trellis datastream is managed by its ' +
      'creator and the organisation admins.',
  );
}

const ListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 100 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
  },
  { additionalProperties: false },
);

const errorRef = Type.Ref(WorkBoardError);
const errors = { 400: errorRef, 401: errorRef, 403: errorRef, 404: errorRef, 422: errorRef };
const tags = ['WorkBoard'];

/** The create answer: WorkBoard's envelope with one stream object, not a list. */
const CreatedEnvelope = Type.Object({
  success: Type.Literal(true),
  message: Type.String(),
  data: Type.Object({ totalCount: Type.Integer(), stream: StreamItem }),
});

/**
 * `GET` and `POST /wb/apis/stream`: WorkBoard's datastream management with a bearer token (docs/webhooks.md).
 * The domain's datastream service decides who may list and create; this only translates names and shapes.
 */
export function streamManagementRoutes(app: App, { db }: FaceDeps) {
  app.get('/apis/stream', {
    schema: {
      tags,
      summary: 'List datastreams (WorkBoard)',
      description:
        "The caller's own streams; org admins see every stream of the organisation. Keys are not kept, so " +
        'stream_id is the numeric id and stream_private_key is "". limit (up to 100) and offset page it.',
      querystring: ListQuery,
      response: { 200: wbEnvelope('stream', StreamItem), ...errors },
    },
    handler: async (request) => {
      const { limit = 100, offset = 0 } = request.query;
      const page = await streams.listDatastreams(db, principalOf(request), { limit, offset });
      return {
        success: true as const,
        message: 'Datastreams',
        data: { totalCount: page.totalCount, stream: page.rows.map((s) => toItem(s, String(s.id), '')) },
      };
    },
  });

  app.post('/apis/stream', {
    schema: {
      tags,
      summary: 'Create a datastream (WorkBoard)',
      description:
        "WorkBoard's fields and a Trellis one, metric_id (the milestone fed; required). Answers stream_id, the " +
        'push key for POST /wb/apis/stream/{stream_id}, and stream_private_key, its X-Stream-Signature; ' +
        'both shown only here.',
      body: CreateBody,
      response: { 200: CreatedEnvelope, ...errors },
    },
    handler: async (request) => {
      const p = principalOf(request);
      const body = request.body;
      const milestoneId = milestoneOf(body);
      refuseOtherPermissions(body, p.userId);
      const { stream, key, secret } = await streams.createDatastream(db, p, {
        name: body.stream_name,
        milestone_id: milestoneId,
        description: body.stream_description,
        data_type: body.stream_data_type,
        frequency: body.stream_frequency,
        category: body.stream_category,
      });
      return {
        success: true as const,
        message: 'Datastream created; its stream_id and stream_private_key are shown only once',
        data: { totalCount: 1, stream: toItem(stream, key, secret) },
      };
    },
  });
}
