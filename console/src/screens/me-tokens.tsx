import { useState } from 'preact/hooks';
import { api, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { ConfirmButton } from '../components/confirm-button';
import { ErrorBanner } from '../components/error-banner';
import { SelectField } from '../components/select-field';
import { ShownOnce } from '../components/shown-once';
import { useFormSubmit } from '../components/use-action';
import { useLoad } from '../components/use-load';
import { when } from '../me/when';

type InstantToken = components['schemas']['InstantToken'];
type Scope = 'read' | 'read write';

/** My instant tokens (docs/oauth.md): make one for a script, copy it once, revoke it when done. */
export function MyTokensScreen() {
  const tokens = useLoad(() => unwrap(api.GET('/v1/me/instant-tokens')), []);
  const [made, setMade] = useState<string | null>(null);
  const list = tokens.value?.data;
  return (
    <section>
      <h1>My instant tokens</h1>
      <p class="muted">
        A token acts as you from a script of yours, for a year, until you revoke it. Send it as{' '}
        <code>Authorization: Bearer …</code>.
      </p>
      <NewTokenForm
        onMade={(token) => {
          setMade(token);
          tokens.reload();
        }}
      />
      {made && <ShownOnce label="Your new token" secret={made} onDone={() => setMade(null)} />}
      <h2>In force</h2>
      <ErrorBanner error={tokens.error} />
      {!list && !tokens.error && <p aria-live="polite">Loading…</p>}
      {list?.length === 0 && <p>You have no instant tokens.</p>}
      <ul class="cards">
        {list?.map((token) => (
          <TokenRow key={token.id} token={token} onRevoked={tokens.reload} />
        ))}
      </ul>
    </section>
  );
}

function NewTokenForm({ onMade }: { onMade: (token: string) => void }) {
  const action = useFormSubmit(
    (fields) => {
      const body = { name: String(fields.get('name')).trim(), scope: String(fields.get('scope')) as Scope };
      return unwrap(api.POST('/v1/me/instant-tokens', { body }));
    },
    (answer) => answer.data.token && onMade(answer.data.token),
  );
  return (
    <form class="stack" aria-label="New instant token" onSubmit={action.submit}>
      <ErrorBanner error={action.error} />
      <label>
        Name
        <input name="name" required maxLength={100} placeholder="Nightly sync script" />
      </label>
      <SelectField label={'What it may do'} name="scope">
        <option value="read write">Read and change</option>
        <option value="read">Read only</option>
      </SelectField>
      <button type="submit" disabled={action.busy}>
        {action.busy ? 'Making…' : 'Make a token'}
      </button>
    </form>
  );
}

function TokenRow({ token, onRevoked }: { token: InstantToken; onRevoked: () => void }) {
  const revoke = () =>
    unwrap(api.DELETE('/v1/me/instant-tokens/{id}', { params: { path: { id: token.id } } }));
  return (
    <li class="card row">
      <div>
        <h3>{token.name}</h3>
        <p class="muted">
          …{token.last_four} · {token.scope === 'read' ? 'read only' : 'read and change'} · made{' '}
          {when(token.created_at)} · expires {when(token.expires_at)} ·{' '}
          {token.last_used_at ? `last used ${when(token.last_used_at)}` : 'never used'}
        </p>
      </div>
      <ConfirmButton action="Revoke" what={token.name} confirmed={revoke} onDone={onRevoked} />
    </li>
  );
}
