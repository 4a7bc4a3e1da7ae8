import { api, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { ConfirmButton } from '../components/confirm-button';
import { ErrorBanner } from '../components/error-banner';
import { useLoad } from '../components/use-load';
import { when } from '../me/when';

type Grant = components['schemas']['OAuthGrant'];

/** The apps I let act for me (docs/oauth.md, Grants): revoking one stops every token it holds at once. */
export function MyAppsScreen() {
  const grants = useLoad(() => unwrap(api.GET('/v1/me/oauth-grants')), []);
  const list = grants.value?.data;
  return (
    <section>
      <h1>Apps I have authorised</h1>
      <ErrorBanner error={grants.error} />
      {!list && !grants.error && <p aria-live="polite">Loading…</p>}
      {list?.length === 0 && <p>You have not let any app act for you.</p>}
      <ul class="cards">
        {list?.map((grant) => (
          <GrantRow key={grant.id} grant={grant} onRevoked={grants.reload} />
        ))}
      </ul>
    </section>
  );
}

function GrantRow({ grant, onRevoked }: { grant: Grant; onRevoked: () => void }) {
  const revoke = () => unwrap(api.DELETE('/v1/me/oauth-grants/{id}', { params: { path: { id: grant.id } } }));
  return (
    <li class="card row">
      <div>
        <h2>{grant.app_name}</h2>
        <p class="muted">
          {grant.scope.includes('write') ? 'May read and change' : 'May read'} what you can · since{' '}
          {when(grant.granted_at)} · {grant.tokens} token{grant.tokens === 1 ? '' : 's'} in force
        </p>
      </div>
      <ConfirmButton action="Revoke" what={grant.app_name} confirmed={revoke} onDone={onRevoked} />
    </li>
  );
}
