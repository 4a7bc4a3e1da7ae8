import { useState } from 'preact/hooks';
import { api, unwrap } from '../api/client';
import { ErrorBanner } from '../components/error-banner';
import { ConfirmButton } from '../config-admin/confirm-button';
import { useAction } from '../config-admin/use-action';
import type { Endpoint, IssuedEndpoint } from './types';

interface Actions {
  onChanged: () => void;
  onRotated: (made: IssuedEndpoint) => void;
  onPinged: () => void;
}

export function EndpointList({ endpoints, ...actions }: Actions & { endpoints: Endpoint[] }) {
  if (endpoints.length === 0) return <p>No endpoints yet: Trellis sends no events anywhere.</p>;
  return (
    <ul class="cards">
      {endpoints.map((endpoint) => (
        <EndpointCard key={endpoint.id} endpoint={endpoint} {...actions} />
      ))}
    </ul>
  );
}

const path = (endpoint: Endpoint) => ({ params: { path: { id: endpoint.id } } });

/** One endpoint with its commands; a delete asks to be pressed twice. */
function EndpointCard({ endpoint, onChanged, onRotated, onPinged }: Actions & { endpoint: Endpoint }) {
  const [said, setSaid] = useState('');
  const command = useAction(async (run: () => Promise<string>) => setSaid(await run()));
  const ping = async () => {
    await unwrap(api.POST('/v1/webhook-endpoints/{id}/ping', path(endpoint)));
    onPinged();
    return 'A test ping was queued: see the delivery log.';
  };
  const rotate = async () => {
    onRotated((await unwrap(api.POST('/v1/webhook-endpoints/{id}/rotate', path(endpoint)))).data);
    return 'The signing secret was rotated.';
  };
  const toggle = async () => {
    const body = { enabled: !endpoint.enabled };
    await unwrap(api.PATCH('/v1/webhook-endpoints/{id}', { ...path(endpoint), body }));
    onChanged();
    return endpoint.enabled ? 'Disabled.' : 'Enabled.';
  };
  const remove = async () => {
    await unwrap(api.DELETE('/v1/webhook-endpoints/{id}', path(endpoint)));
    onChanged();
    return 'Deleted.';
  };
  const types = endpoint.event_types;
  return (
    <li class="card">
      <h3 class="endpoint-url">{endpoint.url}</h3>
      {endpoint.description && <p>{endpoint.description}</p>}
      <p class="muted">
        {endpoint.enabled
          ? 'Enabled'
          : `Disabled${endpoint.disabled_reason ? `: ${endpoint.disabled_reason}` : ''}`}{' '}
        ·{' '}
        {types === null
          ? 'every event'
          : `${types.length} event type${types.length === 1 ? '' : 's'}: ${types.join(', ')}`}
      </p>
      <ErrorBanner error={command.error} />
      <div class="actions">
        <button type="button" disabled={command.busy} onClick={() => command.run(ping)}>
          Send test ping
        </button>
        <button type="button" disabled={command.busy} onClick={() => command.run(rotate)}>
          Rotate secret
        </button>
        <button type="button" disabled={command.busy} onClick={() => command.run(toggle)}>
          {endpoint.enabled ? 'Disable' : 'Enable'}
        </button>
        <ConfirmButton
          label="Delete"
          about={endpoint.url}
          busy={command.busy}
          onConfirm={() => command.run(remove)}
        />
      </div>
      <p role="status" class="muted">
        {said}
      </p>
    </li>
  );
}
