import { useEffect, useState } from 'preact/hooks';
import { api, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { ErrorBanner } from '../components/error-banner';
import { useLoad } from '../components/use-load';
import { useAction } from '../config-admin/use-action';

type Scale = components['schemas']['AssessmentScale'];
/** Enough label fields for any scale the API takes; it refuses more points with its own words. */
const MAX_FIELDS = 101;

/** The scores from min to max in steps, to give each a label field; none while the numbers make no scale. */
function pointsOf(min: number, max: number, step: number): number[] {
  if (!(step > 0) || !(max > min) || !Number.isFinite(min) || !Number.isFinite(max)) return [];
  const points: number[] = [];
  for (let i = 0; i < MAX_FIELDS && min + i * step <= max + step * 1e-9; i++) {
    points.push(Number((min + i * step).toPrecision(12)));
  }
  return points;
}

/** The scale goals are assessed on: its range, step and a label per score, saved as one. */
export function AdminScaleScreen() {
  const scale = useLoad(() => unwrap(api.GET('/v1/settings/assessment-scale')), []);
  return (
    <section>
      <h1>Assessment scale</h1>
      <p class="muted">
        The scores people give goals at the end of a period. A change applies to new assessments; each earlier
        one keeps the scale it was given on.
      </p>
      <ErrorBanner error={scale.error} />
      {!scale.value && !scale.error && <p aria-live="polite">Loading the scale…</p>}
      {scale.value && (
        <ScaleForm
          saved={scale.value.data}
          onSaved={(next) => scale.setValue({ ...scale.value, data: next } as typeof scale.value)}
        />
      )}
    </section>
  );
}

function ScaleForm({ saved, onSaved }: { saved: Scale; onSaved: (scale: Scale) => void }) {
  const [draft, setDraft] = useState({
    min: String(saved.min),
    max: String(saved.max),
    step: String(saved.step),
  });
  const [labels, setLabels] = useState(new Map(saved.labels.map((l) => [l.score, l.label])));
  useEffect(() => setLabels(new Map(saved.labels.map((l) => [l.score, l.label]))), [saved]);
  const points = pointsOf(Number(draft.min), Number(draft.max), Number(draft.step));
  const save = useAction(async () => {
    const body: Scale = {
      min: Number(draft.min),
      max: Number(draft.max),
      step: Number(draft.step),
      labels: points.flatMap((score) => {
        const label = labels.get(score)?.trim();
        return label ? [{ score, label }] : [];
      }),
    };
    const answer = await unwrap(api.PUT('/v1/settings/assessment-scale', { body }));
    onSaved(answer.data);
    return answer.data;
  });
  const number = (name: 'min' | 'max' | 'step', label: string) => (
    <label>
      {label}
      <input
        name={name}
        type="number"
        step="any"
        required
        value={draft[name]}
        onInput={(e) => setDraft({ ...draft, [name]: e.currentTarget.value })}
      />
    </label>
  );
  return (
    <form
      class="stack admin-form"
      aria-label="Assessment scale"
      onSubmit={(event) => {
        event.preventDefault();
        save.run();
      }}
    >
      <ErrorBanner error={save.error} />
      <div class="scale-range">
        {number('min', 'Lowest score')}
        {number('max', 'Highest score')}
        {number('step', 'Step')}
      </div>
      <fieldset>
        <legend>Labels (optional)</legend>
        {points.length === 0 && (
          <p>Set a lowest score below the highest and a step above 0 to label the scores.</p>
        )}
        <div class="scale-labels">
          {points.map((score) => (
            <label key={score}>
              Label for {score}
              <input
                maxLength={100}
                value={labels.get(score) ?? ''}
                onInput={(e) => setLabels(new Map(labels).set(score, e.currentTarget.value))}
              />
            </label>
          ))}
        </div>
      </fieldset>
      <button type="submit" disabled={save.busy}>
        {save.busy ? 'Saving…' : 'Save scale'}
      </button>
      <p role="status">
        {save.result &&
          `Saved: from ${save.result.min} to ${save.result.max} in steps of ${save.result.step}.`}
      </p>
    </form>
  );
}
