import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { type Gate, pass } from '../domain/access/policy.js';
import type { PrincipalCache } from '../domain/access/principal-cache.js';
import type { AppError } from '../domain/errors.js';
import type { LinkMail } from '../domain/sign-in/links.js';
import type { AddressAllowList } from '../domain/webhooks/addresses.js';
import { authenticate, type CredentialReader, principalOf } from '../http/auth.js';
import type { CursorSecrets } from '../http/cursor-secrets.js';
import { errorToAnswer, unknownRoute } from '../http/error-handler.js';
import type { App } from '../http/instance.js';
import type { KeyLimit } from '../http/rate-limit.js';
import { refuseUnstorableText } from '../http/storable-text.js';

/** What every face's routes are given: the database, the servers' principal cache and cursor secrets. */
export interface FaceDeps {
  db: Kysely<DB>;
  /** Principals of keys in use; without it every request asks the database who its key belongs to. */
  principals?: PrincipalCache | undefined;
  /** The secrets list cursors are signed with (buildApp makes the store when none is given). */
  cursorSecrets: CursorSecrets;
  /** The clock time-bound rules read (the 24-hour edit window of a recognition); Date.now when absent. */
  clock?: (() => number) | undefined;
  /** How invitation and reset links are mailed (buildApp makes it from the app's mailer and public URL). */
  mail: LinkMail;
  /** Refused webhook destinations an admin allows (TRELLIS_WEBHOOK_ALLOW); none when absent. */
  webhookAllow?: AddressAllowList | undefined;
}

/** A face's answer to a failure: its own status for the code and its own error body. */
export interface ErrorAnswer {
  status: number;
  body: unknown;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A route that reads no credential (a webhook receiver, a sign-in form): principalOf throws on it. */
    public?: boolean;
    /**
     * How a public route proves its caller instead (`webhook-signature`: Standard Webhooks headers), named in
     * the OpenAPI document as `x-authentication` so the shared security walk knows what to expect.
     */
    authenticatedBy?: 'webhook-signature';
    /** What the caller's role alone must allow: refused (403) before the body is read or validated. */
    gate?: Gate;
  }
}

/** An OpenAPI security scheme, as a face's credential is documented. */
export type SecurityScheme =
  | { type: 'http'; scheme: string; description?: string }
  | { type: 'apiKey'; in: 'header'; name: string; description?: string };

/**
 * An API face: one encapsulated Fastify plugin under a prefix, as docs/faces.md describes. It brings how
 * a credential is read, how an error is answered and its routes; its success envelope, list shape and
 * mappers are its routes' own. It copies no rule: the domain decides, the face only translates.
 */
export interface Face {
  /** e.g. /v1. */
  prefix: string;
  /** Reads the credential off a request, headers only; the domain decides who it belongs to. */
  readCredential: CredentialReader;
  /** The face's status and body for an error. Unknown routes under the prefix come here too. */
  answerError(request: FastifyRequest, error: AppError): ErrorAnswer;
  /** Registers the face's hooks and routes inside its own scope. */
  routes(app: App, deps: FaceDeps): void;
  /**
   * How the OpenAPI document names the face's credential when it is not the document's default
   * (`Authorization: Bearer`, /v1's): the scheme joins the document's, and the face's routes require it.
   */
  openapiSecurity?: { name: string; scheme: SecurityScheme };
}

/** Answers an error the face's way: its status for the code and its error body. */
export function sendError(face: Face, request: FastifyRequest, reply: FastifyReply, error: AppError) {
  const { status, body } = face.answerError(request, error);
  return reply.status(status).send(body);
}

/**
 * Registers a face under its prefix: every route not marked public is authenticated the face's way,
 * after its key's rate limit (when there is one) has counted it.
 */
export async function registerFace(app: App, face: Face, deps: FaceDeps, limitKey?: KeyLimit) {
  const guard = authenticate(deps.db, face.readCredential, deps.principals);
  const reply = (request: FastifyRequest, out: FastifyReply, error: AppError) =>
    sendError(face, request, out, error);
  await app.register(
    async (scope) => {
      const faceApp = scope as unknown as App;
      faceApp.setErrorHandler((error: FastifyError, request, out) =>
        reply(request, out, errorToAnswer(error, request)),
      );
      faceApp.setNotFoundHandler((request, out) => reply(request, out, unknownRoute(request)));
      // The document says what each route takes: nothing on a public route, else the face's own scheme.
      const documented = face.openapiSecurity;
      faceApp.addHook('onRoute', (route) => {
        const security = route.config?.public ? [] : documented && [{ [documented.name]: [] }];
        if (security) route.schema = { ...route.schema, security: route.schema?.security ?? security };
        // The document names each route's gate, so an integrator (and the suite) can see who may call it.
        const authenticatedBy = route.config?.authenticatedBy;
        if (authenticatedBy) {
          route.schema = { ...route.schema, 'x-authentication': authenticatedBy } as typeof route.schema;
        }
        const gate = route.config?.gate;
        if (gate) route.schema = { ...route.schema, 'x-gate': gate.name } as typeof route.schema;
      });
      // An unknown route answers 404 whoever asks, as it did before faces had their own handler.
      // Authorised as soon as authenticated: who may call the route is settled before what was sent.
      faceApp.addHook('onRequest', async (request, out) => {
        const { config } = request.routeOptions;
        if (request.is404 || config.public) return;
        // Before the key is looked up: a key over its limit costs no query and touches nothing.
        if (limitKey) await limitKey(request, out, face.readCredential);
        await guard(request);
        if (config.gate) pass(principalOf(request), config.gate);
      });
      // Before any face's schema or route: text PostgreSQL cannot store is the client's error, not a 500.
      faceApp.addHook('preValidation', refuseUnstorableText);
      face.routes(faceApp, deps);
    },
    { prefix: face.prefix },
  );
}
