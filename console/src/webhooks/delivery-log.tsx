import { useState } from 'preact/hooks';
import { api, unwrap } from '../api/client';
import { ErrorBanner } from '../components/error-banner';
import { useAction } from '../config-admin/use-action';
import { usePaged } from '../config-admin/use-paged';
import { when } from '../config-admin/when';
import type { Delivery, Endpoint } from './types';

type Status = Delivery['status'];
const STATUSES: Status[] = ['pending', 'delivering', 'succeeded', 'failed', 'abandoned'];
/** The first bytes of an answer shown on the row; the API keeps 1 KB, shown when the row is opened. */
const PREVIEW = 80;

interface Props {
  endpoints: Endpoint[];
  /** Changes when something was queued elsewhere on the screen (a ping), to read the log again. */
  version: number;
}

/** Every event sent to each endpoint, oldest first as the API lists them, with manual redelivery. */
export function DeliveryLog({ endpoints, version }: Props) {
  const [endpointId, setEndpointId] = useState('');
  const [status, setStatus] = useState('');
  const log = usePaged(
    (cursor) =>
      unwrap(
        api.GET('/v1/webhook-deliveries', {
          params: {
            query: {
              size: 20,
              ...(cursor && { cursor }),
              ...(endpointId && { endpoint_id: Number(endpointId) }),
              ...(status && { status: status as Status }),
            },
          },
        }),
      ),
    [endpointId, status, version],
  );
  const urls = new Map(endpoints.map((e) => [e.id, e.url]));

  return (
    <div>
      <div class="filters">
        <label>
          Endpoint
          <select value={endpointId} onChange={(e) => setEndpointId(e.currentTarget.value)}>
            <option value="">All endpoints</option>
            {endpoints.map((e) => (
              <option key={e.id} value={String(e.id)}>
                {e.url}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
            <option value="">Any status</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <button type="button" class="secondary" onClick={() => log.reload()} disabled={log.busy}>
          Refresh
        </button>
      </div>
      <ErrorBanner error={log.error} />
      {log.rows === undefined && !log.error && <p aria-live="polite">Loading deliveries…</p>}
      {log.rows?.length === 0 && <p>No deliveries{endpointId || status ? ' match' : ' yet'}.</p>}
      {log.rows && log.rows.length > 0 && (
        <p class="muted">
          {log.rows.length} of {log.total} deliveries
        </p>
      )}
      <ul class="log">
        {log.rows?.map((d) => (
          <DeliveryRow key={d.id} delivery={d} url={urls.get(d.endpoint_id)} onRedelivered={log.reload} />
        ))}
      </ul>
      {log.hasMore && (
        <button type="button" class="secondary" onClick={log.more} disabled={log.busy}>
          Show more
        </button>
      )}
    </div>
  );
}

function DeliveryRow({
  delivery: d,
  url,
  onRedelivered,
}: {
  delivery: Delivery;
  url: string | undefined;
  onRedelivered: () => void;
}) {
  const redeliver = useAction(async () => {
    await unwrap(api.POST('/v1/webhook-deliveries/{id}/redeliver', { params: { path: { id: d.id } } }));
    onRedelivered();
  });
  const answer = d.last_response ?? '';
  return (
    <li class="log-row">
      <div class="log-line">
        <span class={`status status-${d.status}`}>{d.status}</span>
        <strong>{d.event_type}</strong>
        <span class="muted">to {url ?? `endpoint ${d.endpoint_id}`}</span>
      </div>
      <p class="muted">
        Attempt {d.attempt_count} ·{' '}
        {d.last_status_code === null ? 'no answer yet' : `HTTP ${d.last_status_code}`}
        {d.last_latency_ms !== null && ` in ${d.last_latency_ms} ms`} · last tried {when(d.last_attempt_at)}
        {d.next_attempt_at && d.status !== 'succeeded' && ` · next ${when(d.next_attempt_at)}`}
      </p>
      {answer && (
        <details>
          <summary>Answer: {answer.length > PREVIEW ? `${answer.slice(0, PREVIEW)}…` : answer}</summary>
          <pre class="answer">{answer}</pre>
        </details>
      )}
      {d.last_error && <p class="muted">Error: {d.last_error}</p>}
      <ErrorBanner error={redeliver.error} />
      <button
        type="button"
        class="secondary"
        disabled={redeliver.busy}
        onClick={() => redeliver.run()}
        aria-label={`Redeliver ${d.event_type} (delivery ${d.id})`}
      >
        Redeliver
      </button>
    </li>
  );
}
