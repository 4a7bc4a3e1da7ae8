import { useState } from 'preact/hooks';
import { api, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { ConfirmButton } from '../components/confirm-button';
import { ErrorBanner } from '../components/error-banner';
import { SelectField } from '../components/select-field';
import { ShownOnce } from '../components/shown-once';
import { useAction, useFormSubmit } from '../components/use-action';
import { useLoad } from '../components/use-load';
import { when } from '../me/when';

type OAuthApp = components['schemas']['OAuthApp'];

export const OAUTH_APPS_PATH = '/admin/oauth-apps';
type Secret = { label: string; value: string };

/** OAuth apps (docs/oauth.md): register, see the client hash once, rotate it, delete the app. */
export function OAuthAppsScreen() {
  const apps = useLoad(() => unwrap(api.GET('/v1/oauth-apps', { params: { query: { size: 100 } } })), []);
  const [secret, setSecret] = useState<Secret | null>(null);
  const list = apps.value?.data;
  const registered = (app: OAuthApp, hash: string | null) => {
    if (hash) setSecret({ label: `Client hash of ${app.name}`, value: hash });
    apps.reload();
  };
  return (
    <section>
      <h1>OAuth apps</h1>
      <RegisterApp onRegistered={registered} />
      {secret && <ShownOnce label={secret.label} secret={secret.value} onDone={() => setSecret(null)} />}
      <h2>Registered</h2>
      <ErrorBanner error={apps.error} />
      {!list && !apps.error && <p aria-live="polite">Loading…</p>}
      {list?.length === 0 && <p>No app is registered.</p>}
      <ul class="cards">
        {list?.map((app) => (
          <AppCard key={app.id} app={app} onChanged={apps.reload} onSecret={setSecret} />
        ))}
      </ul>
    </section>
  );
}

/** One redirect URI a line, as people paste them. */
const lines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');

/** The form's fields as the API's body: the description only when one was written. */
function appOf(fields: FormData) {
  const description = String(fields.get('description')).trim();
  return {
    name: String(fields.get('name')).trim(),
    contact_email: String(fields.get('contact_email')).trim(),
    redirect_uris: lines(String(fields.get('redirect_uris'))),
    kind: fields.get('kind') === 'public' ? ('public' as const) : ('confidential' as const),
    ...(description !== '' && { description }),
  };
}

function RegisterApp({ onRegistered }: { onRegistered: (app: OAuthApp, hash: string | null) => void }) {
  const action = useFormSubmit(
    (fields) => unwrap(api.POST('/v1/oauth-apps', { body: appOf(fields) })),
    (answer) => onRegistered(answer.data, answer.data.client_hash),
  );
  return (
    <form class="stack card" aria-label="Register an OAuth app" onSubmit={action.submit}>
      <h2>Register an app</h2>
      <ErrorBanner error={action.error} />
      <label>
        Name
        <input name="name" required maxLength={100} />
      </label>
      <label>
        Description (shown on the consent page)
        <textarea name="description" rows={2} maxLength={2000} />
      </label>
      <label>
        Contact email
        <input name="contact_email" type="email" required maxLength={320} />
      </label>
      <label>
        Redirect URIs, one a line (https, or http on loopback)
        <textarea name="redirect_uris" rows={2} required />
      </label>
      <SelectField label={'Kind'} name="kind">
        <option value="confidential">Confidential: a server that keeps a client hash</option>
        <option value="public">Public: a browser or phone app (PKCE, no hash)</option>
      </SelectField>
      <button type="submit" disabled={action.busy}>
        {action.busy ? 'Registering…' : 'Register'}
      </button>
    </form>
  );
}

interface CardProps {
  app: OAuthApp;
  onChanged: () => void;
  onSecret: (secret: Secret) => void;
}

function AppCard({ app, onChanged, onSecret }: CardProps) {
  const action = useAction();
  const path = { params: { path: { id: app.id } } };
  const rotate = async () => {
    const answer = await action.run(() =>
      unwrap(api.POST('/v1/oauth-apps/{id}/rotate-client-hash', { ...path, body: {} })),
    );
    if (!answer?.data.client_hash) return;
    onSecret({ label: `New client hash of ${app.name}`, value: answer.data.client_hash });
    onChanged();
  };
  const remove = () => unwrap(api.DELETE('/v1/oauth-apps/{id}', path));
  return (
    <li class="card">
      <h3>{app.name}</h3>
      <p class="muted">
        {app.kind} · {app.mode} mode · client id <code>{app.client_id}</code> · registered{' '}
        {when(app.created_at)}
      </p>
      <ul class="plain">
        {app.redirect_uris.map((uri) => (
          <li key={uri}>
            <code>{uri}</code>
          </li>
        ))}
      </ul>
      {app.previous_client_hash_expires_at && (
        <p class="muted">The previous client hash works until {when(app.previous_client_hash_expires_at)}.</p>
      )}
      <ErrorBanner error={action.error} />
      <div class="actions">
        {app.kind === 'confidential' && (
          <button
            type="button"
            class="secondary"
            disabled={action.busy}
            aria-label={`Rotate client hash of ${app.name}`}
            title="The old hash keeps working for a day"
            onClick={rotate}
          >
            Rotate client hash
          </button>
        )}
        <ConfirmButton action="Delete" what={app.name} confirmed={remove} onDone={onChanged} />
      </div>
    </li>
  );
}
