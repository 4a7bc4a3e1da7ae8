import { useState } from 'preact/hooks';
import { api, unwrap } from '../api/client';
import { ErrorBanner } from '../components/error-banner';
import { useLoad } from '../components/use-load';
import { useAction } from '../config-admin/use-action';
import type { EventType, IssuedEndpoint, Subscription } from './types';

/** The form's choice of events: null for every outbound event, as the API reads it. */
function subscriptionOf(form: FormData): Subscription | null {
  if (form.get('receive') !== 'chosen') return null;
  return form.getAll('event_type').map(String) as Subscription;
}

/** A new outbound endpoint: its URL, what it receives, and whether it starts enabled. */
export function EndpointForm({ onCreated }: { onCreated: (made: IssuedEndpoint) => void }) {
  const types = useLoad(() => unwrap(api.GET('/v1/webhook-event-types')), []);
  const [chosen, setChosen] = useState(false);
  const create = useAction(async (form: HTMLFormElement) => {
    const data = new FormData(form);
    const description = String(data.get('description') ?? '').trim();
    const answer = await unwrap(
      api.POST('/v1/webhook-endpoints', {
        body: {
          url: String(data.get('url') ?? '').trim(),
          ...(description && { description }),
          event_types: subscriptionOf(data),
          enabled: data.get('enabled') === 'on',
        },
      }),
    );
    form.reset();
    setChosen(false);
    onCreated(answer.data);
  });

  return (
    <form
      class="stack admin-form"
      aria-label="New webhook endpoint"
      onSubmit={(event) => {
        event.preventDefault();
        create.run(event.currentTarget);
      }}
    >
      <h3>New endpoint</h3>
      <ErrorBanner error={create.error} />
      <label>
        URL (https)
        <input name="url" type="url" required maxLength={2000} placeholder="https://example.com/trellis" />
      </label>
      <label>
        Description
        <input name="description" maxLength={500} />
      </label>
      <fieldset class="choices">
        <legend>Events it receives</legend>
        <label class="inline">
          <input
            type="radio"
            name="receive"
            value="all"
            checked={!chosen}
            onChange={() => setChosen(false)}
          />
          Every event
        </label>
        <label class="inline">
          <input
            type="radio"
            name="receive"
            value="chosen"
            checked={chosen}
            onChange={() => setChosen(true)}
          />
          Only the events I choose
        </label>
        {chosen && <EventChoices types={types.value?.data} error={types.error} />}
      </fieldset>
      <label class="inline">
        <input type="checkbox" name="enabled" defaultChecked />
        Enabled: send events as they happen
      </label>
      <button type="submit" disabled={create.busy}>
        {create.busy ? 'Creating…' : 'Create endpoint'}
      </button>
    </form>
  );
}

/** The API's event types, grouped by the kind of object they name. */
function EventChoices({ types, error }: { types: EventType[] | undefined; error: unknown }) {
  if (error) return <ErrorBanner error={error} />;
  if (!types) return <p aria-live="polite">Loading event types…</p>;
  const groups = new Map<string, EventType[]>();
  for (const t of types) groups.set(t.object_type, [...(groups.get(t.object_type) ?? []), t]);
  return (
    <div class="event-choices">
      {[...groups].map(([object, members]) => (
        <fieldset key={object}>
          <legend>{object.replaceAll('_', ' ')}</legend>
          {members.map((t) => (
            <label key={t.type} class="inline" title={t.description}>
              <input type="checkbox" name="event_type" value={t.type} />
              {t.type}
            </label>
          ))}
        </fieldset>
      ))}
    </div>
  );
}
