import { api, unwrap } from '../api/client';
import { type CreateCycleBody, CycleForm } from '../calibration/cycle-form';
import { cyclePath, STATE_WORDS } from '../calibration/cycles';
import { ErrorBanner } from '../components/error-banner';
import { useAction } from '../config-admin/use-action';
import { usePaged } from '../config-admin/use-paged';

/** Calibration cycles (docs/calibration.md): the list, and a new draft cycle. */
export function AdminCalibrationScreen() {
  const cycles = usePaged(
    (cursor) =>
      unwrap(
        api.GET('/v1/calibration/cycles', { params: { query: { size: 50, ...(cursor && { cursor }) } } }),
      ),
    [],
  );
  const create = useAction(async (body: CreateCycleBody) => {
    const made = await unwrap(api.POST('/v1/calibration/cycles', { body }));
    await cycles.reload();
    return made.data;
  });

  return (
    <section>
      <h1>Calibration cycles</h1>
      <ErrorBanner error={cycles.error} />
      {cycles.rows === undefined && !cycles.error && <p aria-live="polite">Loading cycles…</p>}
      {cycles.rows?.length === 0 && <p>No calibration cycles yet: create the first below.</p>}
      <ul class="cards">
        {cycles.rows?.map((cycle) => (
          <li key={cycle.id} class="card">
            <h2>
              <a href={cyclePath(cycle.id)}>{cycle.name}</a>
            </h2>
            <p class="muted">
              {STATE_WORDS[cycle.state]} · {cycle.record_count} talent record
              {cycle.record_count === 1 ? '' : 's'} · population: {cycle.audience}
            </p>
          </li>
        ))}
      </ul>
      {cycles.hasMore && (
        <button type="button" class="secondary" onClick={cycles.more} disabled={cycles.busy}>
          Show more
        </button>
      )}
      <CycleForm busy={create.busy} error={create.error} onSubmit={create.run} />
      <p role="status">{create.result && `Cycle ${create.result.name} was created as a draft.`}</p>
    </section>
  );
}
