import { useState } from 'preact/hooks';
import { api, unwrap } from '../api/client';
import {
  allRecords,
  CALIBRATION_PATH,
  type Cycle,
  NEXT_STEP,
  readCycle,
  STATE_WORDS,
} from '../calibration/cycles';
import { Distribution } from '../calibration/distribution';
import { NineBox } from '../calibration/nine-box';
import { Sessions } from '../calibration/sessions';
import { TalentRecords } from '../calibration/talent-records';
import { ConfirmButton } from '../components/confirm-button';
import { ErrorBanner } from '../components/error-banner';
import { useLoad } from '../components/use-load';

/** One calibration cycle: its state and the step forward, its sessions, its 9-box and its talent records. */
export function AdminCalibrationCycleScreen({ id }: { id: string }) {
  const cycleId = Number(id);
  const cycle = useLoad(() => readCycle(cycleId), [cycleId]);
  // Bumped by every write, so the 9-box, the sessions and the table read the records again.
  const [version, setVersion] = useState(0);
  const records = useLoad(() => allRecords(cycleId), [cycleId, version]);
  const changed = () => setVersion((v) => v + 1);
  const value = cycle.value;

  return (
    <section>
      <p>
        <a href={CALIBRATION_PATH}>All calibration cycles</a>
      </p>
      <ErrorBanner error={cycle.error} />
      {!value && !cycle.error && <p aria-live="polite">Loading the cycle…</p>}
      {value && (
        <>
          <h1>{value.name}</h1>
          <CycleSummary
            cycle={value}
            onStepped={(next) => {
              cycle.setValue(next);
              changed();
            }}
          />
          <h2>9-box</h2>
          <ErrorBanner error={records.error} />
          <NineBox cycle={value} records={records.value} />
          <h2>Distribution</h2>
          <Distribution cycle={value} version={version} />
          <h2>Sessions</h2>
          <Sessions cycle={value} records={records.value ?? []} onChanged={changed} />
          <h2>Talent records</h2>
          <TalentRecords cycle={value} version={version} onChanged={changed} />
        </>
      )}
    </section>
  );
}

function CycleSummary({ cycle, onStepped }: { cycle: Cycle; onStepped: (cycle: Cycle) => void }) {
  const step = NEXT_STEP[cycle.state];
  const move = async () => {
    if (!step) return;
    const path = { params: { path: { id: cycle.id } } };
    const answer = await unwrap(
      api.PATCH('/v1/calibration/cycles/{id}', { ...path, body: { state: step.state } }),
    );
    onStepped(answer.data);
  };
  return (
    <div class="card">
      <p>
        <strong>State:</strong> {STATE_WORDS[cycle.state]} · {cycle.record_count} talent record
        {cycle.record_count === 1 ? '' : 's'}
      </p>
      <p class="muted">
        Performance: {cycle.performance_levels.join(' · ')}
        <br />
        Potential: {cycle.potential_levels.join(' · ')}
      </p>
      {/* Keyed by state: after one step the next one starts unasked again, never one press from done. */}
      {step && (
        <ConfirmButton
          key={cycle.state}
          action={step.action}
          what={cycle.name}
          confirmed={move}
          onDone={() => {}}
        />
      )}
    </div>
  );
}
