import { useState } from 'preact/hooks';
import { api, unwrap } from '../api/client';
import { ErrorBanner } from '../components/error-banner';
import { usePeopleNames } from '../config-admin/people';
import { usePaged } from '../config-admin/use-paged';
import type { Cycle, TalentRecord } from './cycles';
import { RatingForm } from './rating-form';

const pair = (performance: string | null, potential: string | null) =>
  performance || potential ? `${performance ?? '—'} / ${potential ?? '—'}` : '—';

/** Where a record stands, in words: what the reader sees of it decides, never a copied rule. */
const statusOf = (r: TalentRecord) =>
  r.calibrated_performance && r.calibrated_potential
    ? 'Calibrated'
    : r.proposed_performance || r.proposed_potential || r.calibrated_performance || r.calibrated_potential
      ? 'In progress'
      : 'Not rated';

interface Props {
  cycle: Cycle;
  version: number;
  onChanged: () => void;
}

/** The cycle's talent records, 20 a page; each row's calibrated ratings change in place. */
export function TalentRecords({ cycle, version, onChanged }: Props) {
  const records = usePaged(
    (cursor) =>
      unwrap(
        api.GET('/v1/calibration/cycles/{id}/talent-records', {
          params: { path: { id: cycle.id }, query: { size: 20, ...(cursor && { cursor }) } },
        }),
      ),
    [cycle.id, version],
  );
  const rows = records.rows ?? [];
  const nameOf = usePeopleNames(rows.flatMap((r) => [r.user_id, r.manager_id]));
  const [editing, setEditing] = useState<number | null>(null);

  if (cycle.state === 'draft') return <p>Talent records are made when the cycle opens.</p>;
  return (
    <>
      <ErrorBanner error={records.error} />
      {records.rows === undefined && !records.error && <p aria-live="polite">Loading talent records…</p>}
      {records.rows?.length === 0 && <p>No talent records you may see in this cycle.</p>}
      {rows.length > 0 && (
        <table class="people-table talent-records">
          <caption class="visually-hidden">
            Talent records: {rows.length} of {records.total}
          </caption>
          <thead>
            <tr>
              <th scope="col">Person</th>
              <th scope="col">Manager</th>
              <th scope="col">Proposed (performance / potential)</th>
              <th scope="col">Calibrated (performance / potential)</th>
              <th scope="col">9-box</th>
              <th scope="col">Status</th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td data-label="Person">{nameOf(r.user_id)}</td>
                <td data-label="Manager">{r.manager_id === null ? '—' : nameOf(r.manager_id)}</td>
                <td data-label="Proposed">{pair(r.proposed_performance, r.proposed_potential)}</td>
                <td data-label="Calibrated">{pair(r.calibrated_performance, r.calibrated_potential)}</td>
                <td data-label="9-box">{r.box ?? '—'}</td>
                <td data-label="Status">{statusOf(r)}</td>
                <td data-label="Change">
                  {editing === r.id ? (
                    <RatingForm
                      cycle={cycle}
                      record={r}
                      who={nameOf(r.user_id)}
                      onSaved={() => {
                        setEditing(null);
                        onChanged();
                      }}
                      onCancel={() => setEditing(null)}
                    />
                  ) : (
                    <button type="button" class="secondary" onClick={() => setEditing(r.id)}>
                      Change rating<span class="visually-hidden"> of {nameOf(r.user_id)}</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {records.hasMore && (
        <button type="button" class="secondary" onClick={records.more} disabled={records.busy}>
          Show more
        </button>
      )}
    </>
  );
}
