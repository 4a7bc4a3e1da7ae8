import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from './db/schema.js';
import { nativeFace } from './faces/native/index.js';
import { ErrorBody } from './http/envelope.js';
import { handleError, handleNotFound } from './http/error-handler.js';
import { forgetAfterWrites, type PrincipalCache } from './http/principal-cache.js';
import { requestIdFor } from './http/request-id.js';
import { loggerOptions } from './http/request-log.js';
import { buildSerializer } from './http/serialization.js';
import { buildValidator } from './http/validation.js';

export type App = FastifyInstance<
  Server,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export interface AppDeps {
  db: Kysely<DB>;
  logger?: FastifyServerOptions['logger'];
  /** Trust X-Forwarded-* from a proxy in front: all, or these addresses/CIDRs (TRELLIS_TRUST_PROXY). */
  trustProxy?: boolean | string[];
  https?: { key: Buffer; cert: Buffer } | null;
  /** Principals of keys in use; without it every request asks the database who its key belongs to. */
  principals?: PrincipalCache;
}

/** Builds the whole HTTP app; opens nothing and listens on nothing. */
export async function buildApp(deps: AppDeps): Promise<App> {
  const app = Fastify({
    logger: loggerOptions(deps.logger),
    genReqId: requestIdFor,
    trustProxy: deps.trustProxy ?? false,
    bodyLimit: 1024 * 1024,
    ...(deps.https && { https: deps.https }),
    // Fastify types the factory for its own Ajv pool; ours returns the same compile function shape.
    // The serializer writes exact-shape payloads with JSON.stringify, others with fast-json-stringify.
    schemaController: {
      compilersFactory: {
        buildValidator: buildValidator as never,
        buildSerializer: buildSerializer as never,
      },
    },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;

  app.setErrorHandler(handleError);
  app.setNotFoundHandler(handleNotFound);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  if (deps.principals) app.addHook('onSend', forgetAfterWrites(deps.principals));
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );
  app.addSchema(ErrorBody);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Trellis API',
        version: '1',
        description:
          'Goals, check-ins, conversations, feedback, recognition and calibration. See docs/ in the repository.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'tw_live_… or tw_test_…' },
        },
      },
      security: [{ apiKey: [] }],
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => (json.$id as string) ?? `def-${i}` },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    try {
      await deps.db.selectFrom('organizations').select('org_id').limit(1).execute();
      return { status: 'ready' };
    } catch {
      return reply.status(503).send({ status: 'not_ready' });
    }
  });

  await app.register(nativeFace(deps), { prefix: '/v1' });
  return app;
}
