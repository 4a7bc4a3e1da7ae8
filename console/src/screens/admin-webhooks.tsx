import { useState } from 'preact/hooks';
import { api, unwrap } from '../api/client';
import { ErrorBanner } from '../components/error-banner';
import { useLoad } from '../components/use-load';
import { DeliveryLog } from '../webhooks/delivery-log';
import { EndpointForm } from '../webhooks/endpoint-form';
import { EndpointList } from '../webhooks/endpoint-list';
import { MetricHooks } from '../webhooks/metric-hooks';
import { SecretOnce } from '../webhooks/secret-once';
import type { IssuedEndpoint } from '../webhooks/types';

/** Outbound endpoints with their delivery log, and the inbound metric webhooks (docs/webhooks.md). */
export function AdminWebhooksScreen() {
  // An admin has a handful of endpoints: the first hundred are all of them in practice.
  const endpoints = useLoad(
    () => unwrap(api.GET('/v1/webhook-endpoints', { params: { query: { size: 100 } } })),
    [],
  );
  const [issued, setIssued] = useState<IssuedEndpoint | null>(null);
  const [version, setVersion] = useState(0);
  const changed = () => {
    endpoints.reload();
    setVersion((v) => v + 1);
  };
  const showSecret = (made: IssuedEndpoint) => {
    setIssued(made);
    changed();
  };
  const list = endpoints.value?.data;

  return (
    <section>
      <h1>Webhooks</h1>
      <h2>Outbound endpoints</h2>
      <p class="muted">
        Trellis posts each change, signed per Standard Webhooks, to every enabled endpoint that receives its
        type; failures are retried for about three days.
      </p>
      {issued && <SecretOnce issued={issued} onDone={() => setIssued(null)} />}
      <ErrorBanner error={endpoints.error} />
      {!list && !endpoints.error && <p aria-live="polite">Loading endpoints…</p>}
      {list && (
        <EndpointList
          endpoints={list}
          onChanged={changed}
          onRotated={showSecret}
          onPinged={() => setVersion((v) => v + 1)}
        />
      )}
      <EndpointForm onCreated={showSecret} />

      <h2>Delivery log</h2>
      <DeliveryLog endpoints={list ?? []} version={version} />

      <h2>Inbound metric webhooks</h2>
      <p class="muted">
        Secret URLs that spreadsheets and scripts post metric values to; each update is a check-in by the
        person who made the webhook.
      </p>
      <MetricHooks />
    </section>
  );
}
