import { type Static, Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { HookRow } from '../../domain/metric-hooks/repo.js';
import * as hooks from '../../domain/metric-hooks/service.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { DescribedId, Id, Nullable, Text, Timestamp } from '../shared/fields.js';
import { errorResponses, IdParams } from './common.js';
import { envelope, listEnvelope, ok } from './envelope.js';
import { listPaging, PageQuery } from './paging.js';

const AcceptsUnsigned =
  "Also takes WorkBoard's unsigned form at POST /wb/apis/hook/{hash}, where the URL alone proves the " +
  'sender. False by default: signed requests only.';

const MetricHook = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    mode: Type.Union([Type.Literal('live'), Type.Literal('test')]),
    created_by: Type.Integer({ description: 'The person every update is a check-in of.' }),
    milestone_id: Nullable(
      Type.Integer({
        description: 'The milestone it updates; null: any its creator may update, per request.',
      }),
    ),
    url_last_four: Type.String({ description: 'The last four characters of its URL, to tell hooks apart.' }),
    enabled: Type.Boolean({ description: 'False while paused: its URL answers invalid_webhook_url.' }),
    accepts_unsigned: Type.Boolean({ description: AcceptsUnsigned }),
    last_used_at: Nullable(Timestamp),
    last_failure_at: Nullable(Timestamp),
    last_failure: Nullable(Type.String({ description: 'The code and reason of the last refused request.' })),
    failure_count: Type.Integer({ description: 'Signed-for requests refused since creation.' }),
    rotated_at: Nullable(Timestamp),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'MetricHook' },
);

const toMetricHook = (h: HookRow): Static<typeof MetricHook> => ({
  id: h.id,
  name: h.name,
  mode: h.mode,
  created_by: h.created_by,
  milestone_id: h.milestone_id,
  url_last_four: h.token_last_four,
  enabled: h.enabled,
  accepts_unsigned: h.accepts_unsigned,
  last_used_at: h.last_used_at,
  last_failure_at: h.last_failure_at,
  last_failure: h.last_failure,
  failure_count: h.failure_count,
  rotated_at: h.rotated_at,
  created_at: h.created_at,
  updated_at: h.updated_at,
});

const IssuedHook = Type.Composite([
  MetricHook,
  Type.Object({
    url: Nullable(
      Type.String({
        description: 'POST signed updates here. Shown once; null when an Idempotency-Key replays.',
      }),
    ),
    signing_secret: Nullable(
      Type.String({ description: 'The Standard Webhooks secret (whsec_…). Shown once, like the URL.' }),
    ),
  }),
]);

/** The stored copy for Idempotency-Key replays keeps the hook but never its URL or secret. */
const withoutSecrets = (body: string) => {
  const parsed = JSON.parse(body);
  parsed.data.url = null;
  parsed.data.signing_secret = null;
  parsed.message = 'The URL and signing secret were shown only in the first response';
  return JSON.stringify(parsed);
};

const CreateBody = Type.Object(
  {
    name: Text(100, 1),
    milestone_id: Type.Optional(
      Nullable(DescribedId('The one milestone to update; leave out to name one in each request.')),
    ),
    accepts_unsigned: Type.Optional(Type.Boolean({ description: AcceptsUnsigned })),
  },
  { additionalProperties: false, examples: [{ name: 'Weekly revenue from the ERP', milestone_id: 42 }] },
);
const UpdateBody = Type.Object(
  {
    name: Type.Optional(Text(100, 1)),
    enabled: Type.Optional(Type.Boolean()),
    accepts_unsigned: Type.Optional(Type.Boolean({ description: AcceptsUnsigned })),
  },
  { additionalProperties: false, minProperties: 1, examples: [{ enabled: false }] },
);
const ListQuery = Type.Object(
  { ...PageQuery, created_by: Type.Optional(Id) },
  { additionalProperties: false },
);

const tags = ['Metric webhooks'];

/** The absolute URL a sender posts to, on the host the caller reached. */
const hookUrl = (request: FastifyRequest, token: string) =>
  `${request.protocol}://${request.host}/v1/hooks/${token}`;

const issued = (request: FastifyRequest, { hook, token, secret }: hooks.IssuedHook) => ({
  ...toMetricHook(hook),
  url: hookUrl(request, token),
  signing_secret: secret,
});

/** Inbound metric webhooks (docs/webhooks.md): creators and org admins manage them. */
export function metricHookRoutes(app: App, { db, cursorSecrets }: FaceDeps) {
  const { pageRequest, pageFields } = listPaging(cursorSecrets);
  app.addSchema(MetricHook);
  const one = { 200: envelope(Type.Ref(MetricHook)), ...errorResponses };

  app.get('/metric-hooks', {
    schema: {
      tags,
      summary: 'List metric webhooks',
      description: "The caller's own webhooks; org admins see everyone's.",
      querystring: ListQuery,
      response: { 200: listEnvelope(Type.Ref(MetricHook)), ...errorResponses },
    },
    handler: async (request) => {
      const page = await hooks.listMetricHooks(
        db,
        principalOf(request),
        request.query,
        await pageRequest(request),
      );
      return { ...ok(page.rows.map(toMetricHook)), ...(await pageFields(page, request)) };
    },
  });

  app.get('/metric-hooks/:id', {
    schema: { tags, summary: 'Get a metric webhook', params: IdParams, response: one },
    handler: async (request) =>
      ok(toMetricHook(await hooks.getMetricHook(db, principalOf(request), request.params.id))),
  });

  app.post('/metric-hooks', {
    config: { redactStoredResponse: withoutSecrets },
    schema: {
      tags,
      summary: 'Create a metric webhook',
      description:
        'Bound to one milestone the caller may check in on, or to any they may update (each request then ' +
        'names milestone_id). Answers its URL and signing secret, once. Every update is a check-in by the caller.',
      body: CreateBody,
      response: { 201: envelope(IssuedHook), ...errorResponses },
    },
    handler: async (request, reply) => {
      const made = await hooks.createMetricHook(db, principalOf(request), request.body);
      const message = 'Metric webhook was created; its URL and signing secret are shown only once';
      return reply.status(201).send(ok(issued(request, made), message));
    },
  });

  app.patch('/metric-hooks/:id', {
    schema: {
      tags,
      summary: 'Rename, pause or resume a metric webhook',
      params: IdParams,
      body: UpdateBody,
      response: one,
    },
    handler: async (request) =>
      ok(
        toMetricHook(await hooks.updateMetricHook(db, principalOf(request), request.params.id, request.body)),
      ),
  });

  app.post('/metric-hooks/:id/rotate', {
    config: { redactStoredResponse: withoutSecrets },
    schema: {
      tags,
      summary: 'Rotate the URL and signing secret of a metric webhook',
      description: 'The old URL and secret stop at once; the new ones are shown only in this answer.',
      params: IdParams,
      response: { 200: envelope(IssuedHook), ...errorResponses },
    },
    handler: async (request) => {
      const made = await hooks.rotateMetricHook(db, principalOf(request), request.params.id);
      return ok(
        issued(request, made),
        'Metric webhook was rotated; the new URL and secret are shown only once',
      );
    },
  });

  app.delete('/metric-hooks/:id', {
    schema: {
      tags,
      summary: 'Delete a metric webhook',
      params: IdParams,
      response: { 200: envelope(Type.Null()), ...errorResponses },
    },
    handler: async (request) => {
      await hooks.deleteMetricHook(db, principalOf(request), request.params.id);
      return ok(null, 'Metric webhook was deleted');
    },
  });
}
