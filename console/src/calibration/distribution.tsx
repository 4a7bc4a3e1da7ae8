import { api, unwrap } from '../api/client';
import { ErrorBanner } from '../components/error-banner';
import { useLoad } from '../components/use-load';
import type { Cycle } from './cycles';

const percent = (value: number | null | undefined) => (value == null ? '—' : `${value}%`);

/**
 * The cycle's final performance ratings per level against its target, as the API counts them
 * (GET …/distribution): only values the reader may read are counted, the rest are "withheld".
 */
export function Distribution({ cycle, version }: { cycle: Cycle; version: number }) {
  const answer = useLoad(
    () =>
      unwrap(
        api.GET('/v1/calibration/cycles/{id}/distribution', {
          params: { path: { id: cycle.id }, query: { rating: 'performance' } },
        }),
      ).then((a) => a.data),
    [cycle.id, version],
  );
  if (cycle.state === 'draft') return <p>Nothing is rated in a draft.</p>;
  const value = answer.value;
  return (
    <>
      <ErrorBanner error={answer.error} />
      {!value && !answer.error && <p aria-live="polite">Counting the ratings…</p>}
      {value && (
        <>
          <table class="people-table distribution">
            <caption>Final performance ratings against the target</caption>
            <thead>
              <tr>
                <th scope="col">Level</th>
                <th scope="col">Records</th>
                <th scope="col">Percent of rated</th>
                <th scope="col">Target</th>
              </tr>
            </thead>
            <tbody>
              {value.levels.map((level, i) => (
                <tr key={level}>
                  <th scope="row" data-label="Level">
                    {level}
                  </th>
                  <td data-label="Records">{value.overall.counts[i] ?? 0}</td>
                  <td data-label="Percent of rated">{percent(value.overall.percents?.[i])}</td>
                  <td data-label="Target">{percent(value.overall.target?.[i])}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p class="muted">
            {value.overall.rated} rated, {value.overall.unrated} not yet
            {value.withheld > 0 && `, ${value.withheld} withheld (values you may not read)`}.
          </p>
        </>
      )}
    </>
  );
}
