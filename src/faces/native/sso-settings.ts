import { Type } from '@sinclair/typebox';
import { gates } from '../../domain/access/policy.js';
import { getSsoSettings, putSsoSettings } from '../../domain/sso/settings.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { errorResponses } from './common.js';
import { envelope, ok } from './envelope.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

/** The response never has the client secret: the schema is what makes sure it cannot leak. */
const SsoSettings = Type.Object(
  {
    configured: Type.Boolean({ description: 'Whether settings were ever saved.' }),
    enabled: Type.Boolean(),
    issuer_url: Nullable(Type.String()),
    client_id: Nullable(Type.String()),
    client_secret_set: Type.Boolean({
      description: 'Whether a client secret is stored (it is never shown).',
    }),
    allowed_email_domains: Type.Array(Type.String()),
    jit_provisioning: Type.Boolean(),
    password_sign_in: Type.Boolean(),
    updated_at: Nullable(Type.String({ format: 'date-time' })),
  },
  { $id: 'SsoSettings', additionalProperties: false },
);

const SsoSettingsBody = Type.Object(
  {
    enabled: Type.Boolean({ description: 'Whether people may sign in through the identity provider.' }),
    issuer_url: Type.String({
      minLength: 1,
      maxLength: 2000,
      description:
        'The provider’s issuer (https; http on loopback only). Its discovery document is read at sign-in.',
    }),
    client_id: Type.String({ minLength: 1, maxLength: 500 }),
    client_secret: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 2000,
        description: 'Write-only: kept as it is when not sent; never returned.',
      }),
    ),
    allowed_email_domains: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 253 }), {
        maxItems: 50,
        description: 'Only emails of these domains sign in this way; none: any.',
      }),
    ),
    jit_provisioning: Type.Optional(
      Type.Boolean({
        description: 'Create an unknown person as a member at their first sign-in. Off by default.',
      }),
    ),
    password_sign_in: Type.Optional(
      Type.Boolean({
        description:
          'Whether people other than admins may still sign in with a password while SSO is enabled.',
      }),
    ),
  },
  { additionalProperties: false },
);

const tags = ['Sign-in'];

/** The organisation's single sign-on through OpenID Connect (docs/sso.md): super admins and admins, live keys. */
export function ssoSettingsRoutes(app: App, { db }: FaceDeps) {
  app.addSchema(SsoSettings);
  const response = { 200: envelope(Type.Ref(SsoSettings)), ...errorResponses };
  app.get('/sso-settings', {
    config: { gate: gates.manageSso },
    schema: { tags, summary: 'The single sign-on settings (admins, live keys)', response },
    handler: async (request) => ok(await getSsoSettings(db, principalOf(request))),
  });
  app.put('/sso-settings', {
    config: { gate: gates.manageSso },
    schema: {
      tags,
      summary: 'Set the single sign-on settings (admins, live keys)',
      description:
        'Replaces the settings. The client secret is write-only: sent to change it, left out to keep it. ' +
        'Register <public URL>/auth/sso/callback as the redirect URI at the provider.',
      body: SsoSettingsBody,
      response,
    },
    handler: async (request) =>
      ok(await putSsoSettings(db, principalOf(request), request.body), 'Single sign-on settings were saved'),
  });
}
