import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyError,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import type { AppError } from './domain/errors.js';
import type { Mailer } from './domain/mail.js';
import { defaultConsoleDir, registerConsole } from './faces/console/static.js';
import { type Face, type FaceDeps, registerFace, sendError } from './faces/face.js';
import { ErrorBody, errorBody } from './faces/native/envelope.js';
import { nativeFace } from './faces/native/index.js';
import { oauthAuthorizePages } from './faces/web/oauth-authorize.js';
import { oauthServer } from './faces/web/oauth-server.js';
import { linkUrlFor, signInPages } from './faces/web/sign-in.js';
import { ssoPages } from './faces/web/sso.js';
import { workboardFace } from './faces/workboard/index.js';
import { clientErrorHandler } from './http/client-error.js';
import { type CursorSecrets, cursorSecretStore } from './http/cursor-secrets.js';
import { errorToAnswer, unknownRoute } from './http/error-handler.js';
import { forgetAfterWrites } from './http/forget-after-writes.js';
import { frameworkError, MAX_PARAM_LENGTH } from './http/framework-errors.js';
import type { App } from './http/instance.js';
import { type RateLimits, registerRateLimits } from './http/rate-limit.js';
import { requestIdFor } from './http/request-id.js';
import { loggerOptions } from './http/request-log.js';
import { answerHeaders, docsCsp, securityHeaders } from './http/security-headers.js';
import { buildSerializer } from './http/serialization.js';
import { DEFAULT_TIMEOUTS, type ServerTimeouts, timeoutOptions } from './http/timeouts.js';
import { buildValidator } from './http/validation.js';
import { logMailer } from './mail/transports.js';

export interface AppDeps extends Omit<FaceDeps, 'cursorSecrets' | 'mail'> {
  /** The cursor secrets' store; tests pass one with their own clock. Made on the database when absent. */
  cursorSecrets?: CursorSecrets;
  logger?: FastifyServerOptions['logger'];
  /** Trust X-Forwarded-* from a proxy in front: all, or these addresses/CIDRs (TRELLIS_TRUST_PROXY). */
  trustProxy?: boolean | string[];
  https?: { key: Buffer; cert: Buffer } | null;
  /** Requests a minute per API key and per client address (docs/limits.md); none when absent, as in tests. */
  rateLimit?: RateLimits | null;
  /** How long the server waits on clients; DEFAULT_TIMEOUTS when absent. */
  timeouts?: ServerTimeouts;
  /** The faces to serve, each under its own prefix (docs/faces.md); tests add their own. */
  faces?: Face[];
  /** How invitation and reset mail leaves; the log transport (it logs no link) when absent. */
  mailer?: Mailer;
  /** The address people reach the server at, which mailed links start with (TRELLIS_PUBLIC_URL). */
  publicUrl?: string;
  /** The session cookie is Secure and `__Host-` prefixed unless this is false (TRELLIS_SECURE_COOKIES). */
  secureCookies?: boolean;
  /** The built console's files (dist/console when absent); without them `/` says how to build it. */
  consoleDir?: string;
}

/** The faces the app serves by default; a test that adds its own keeps these (test/access-matrix.test.ts). */
export const FACES: Face[] = [nativeFace, workboardFace];
const DOCS = '/docs';

/** Builds the whole HTTP app; opens nothing and listens on nothing. */
export async function buildApp(deps: AppDeps): Promise<App> {
  const faces = deps.faces ?? FACES;
  const tls = Boolean(deps.https);
  const app = Fastify({
    logger: loggerOptions(deps.logger),
    genReqId: requestIdFor,
    trustProxy: deps.trustProxy ?? false,
    bodyLimit: 1024 * 1024,
    ...timeoutOptions(deps.timeouts ?? DEFAULT_TIMEOUTS, deps.https ?? null),
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // Refused before routing (a malformed percent-encoding): answered by the face the path names.
    // The app's onSend hooks do not run on these answers: the request id and headers are set here.
    frameworkErrors: (error, request, reply) =>
      answer(
        request,
        reply.headers({ ...answerHeaders(tls), 'x-request-id': request.id }),
        frameworkError(error, request),
      ),
    // Refused by Node's parser (a 70 KB header): no URL was read, so the native face's envelope.
    clientErrorHandler: clientErrorHandler((id, error) => errorBody({ id }, error), answerHeaders(tls)),
    // Fastify types the factory for its own Ajv pool; ours returns the same compile function shape.
    // The serializer writes exact-shape payloads with JSON.stringify, others with fast-json-stringify.
    schemaController: {
      compilersFactory: {
        buildValidator: buildValidator as never,
        buildSerializer: buildSerializer as never,
      },
    },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;

  // Outside every face (/openapi.json, /healthz, an unknown prefix) errors take the native face's shape.
  const under = (url: string, prefix: string) =>
    url.startsWith(prefix) && /^([/?]|$)/.test(url.slice(prefix.length));
  const faceAt = (url: string) => faces.find((face) => under(url, face.prefix)) ?? nativeFace;
  const answer = (request: FastifyRequest, reply: FastifyReply, error: AppError) =>
    sendError(faceAt(request.url), request, reply, error);

  app.setErrorHandler((error: FastifyError, request, reply) =>
    answer(request, reply, errorToAnswer(error, request)),
  );
  app.setNotFoundHandler((request, reply) => answer(request, reply, unknownRoute(request)));
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onSend', securityHeaders(tls, DOCS));
  if (deps.principals) app.addHook('onSend', forgetAfterWrites(deps.principals));
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );
  app.addSchema(ErrorBody);
  // Cookies are read for the session (docs/sign-in.md); nothing else reads or sets one.
  await app.register(cookie);
  app.decorate('secureSessionCookie', deps.secureCookies ?? true);
  // Before any route: the per-address limit is a hook on all of them, the per-key one runs in each face.
  const limitKey = deps.rateLimit ? await registerRateLimits(app, deps.rateLimit) : undefined;

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Trellis API',
        version: '1',
        description:
          'Goals, check-ins, conversations, feedback, recognition and calibration. See docs/ in the repository. ' +
          'Requests are rate-limited per API key and per client address: past a limit the answer is 429 ' +
          '`rate_limited` with `Retry-After` in seconds (docs/limits.md).',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'tw_live_… or tw_test_…' },
          // A face that reads its credential another way documents its own scheme (Face.openapiSecurity).
          ...Object.fromEntries(
            faces.flatMap((face) =>
              face.openapiSecurity ? [[face.openapiSecurity.name, face.openapiSecurity.scheme]] : [],
            ),
          ),
        },
      },
      security: [{ apiKey: [] }],
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => (json.$id as string) ?? `def-${i}` },
  });
  // staticCSP: the UI's own policy, with hashes of what it inlines; docsCsp forbids framing.
  await app.register(swaggerUi, { routePrefix: DOCS, staticCSP: true, transformStaticCSP: docsCsp });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/healthz', { schema: { hide: true }, config: { rateLimit: false } }, async () => ({
    status: 'ok',
  }));
  app.get('/readyz', { schema: { hide: true }, config: { rateLimit: false } }, async (_request, reply) => {
    try {
      await deps.db.selectFrom('organizations').select('org_id').limit(1).execute();
      return { status: 'ready' };
    } catch {
      return reply.status(503).send({ status: 'not_ready' });
    }
  });

  const publicUrl = deps.publicUrl ?? 'http://localhost:8080';
  const faceDeps: FaceDeps = {
    db: deps.db,
    principals: deps.principals,
    cursorSecrets: deps.cursorSecrets ?? cursorSecretStore(deps.db),
    clock: deps.clock,
    webhookAllow: deps.webhookAllow,
    mail: {
      mailer: deps.mailer ?? logMailer(app.log),
      linkUrl: linkUrlFor(publicUrl),
    },
  };
  signInPages(app, { db: deps.db, mail: faceDeps.mail, clock: deps.clock });
  // OAuth 2.0 (docs/oauth.md): the consent pages beside sign-in, and the token endpoints.
  oauthAuthorizePages(app, { db: deps.db, clock: deps.clock });
  oauthServer(app, { db: deps.db, clock: deps.clock, publicUrl: deps.publicUrl });
  ssoPages(app, { db: deps.db, publicUrl, clock: deps.clock });
  for (const face of faces) await registerFace(app, face, faceDeps, limitKey);
  await registerConsole(app, deps.consoleDir ?? defaultConsoleDir());
  return app;
}
