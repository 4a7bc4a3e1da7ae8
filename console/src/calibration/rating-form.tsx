import { api, unwrap } from '../api/client';
import { ErrorBanner } from '../components/error-banner';
import { SelectField } from '../components/select-field';
import { useAction } from '../config-admin/use-action';
import type { Cycle, TalentRecord } from './cycles';

interface Props {
  cycle: Cycle;
  record: TalentRecord;
  /** The person's name, for the form's accessible name. */
  who: string;
  onSaved: () => void;
  onCancel: () => void;
}

/**
 * The calibrated performance and potential of one record, on the cycle's scales; "Not calibrated" clears one.
 * Offered in every state: whether this reader may change it now is the API's answer, shown in words.
 */
export function RatingForm({ cycle, record, who, onSaved, onCancel }: Props) {
  const save = useAction(async (form: FormData) => {
    const rating = (field: string) => String(form.get(field) ?? '') || null;
    const body = {
      calibrated_performance: rating('calibrated_performance'),
      calibrated_potential: rating('calibrated_potential'),
    };
    const path = { id: cycle.id, talent_record_id: record.id };
    await unwrap(
      api.PATCH('/v1/calibration/cycles/{id}/talent-records/{talent_record_id}', { params: { path }, body }),
    );
    onSaved();
  });
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    save.run(new FormData(event.currentTarget as HTMLFormElement));
  };
  return (
    <form class="stack rating-form" aria-label={`Rating of ${who}`} onSubmit={submit}>
      <ErrorBanner error={save.error} />
      <Levels
        label="Calibrated performance"
        name="calibrated_performance"
        levels={cycle.performance_levels}
        value={record.calibrated_performance}
      />
      <Levels
        label="Calibrated potential"
        name="calibrated_potential"
        levels={cycle.potential_levels}
        value={record.calibrated_potential}
      />
      <div class="actions">
        <button type="submit" disabled={save.busy}>
          {save.busy ? 'Saving…' : 'Save rating'}
        </button>
        <button type="button" class="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function Levels(props: { label: string; name: string; levels: string[]; value: string | null }) {
  return (
    <SelectField label={props.label} name={props.name}>
      <option value="" selected={props.value === null}>
        Not calibrated
      </option>
      {props.levels.map((level) => (
        <option key={level} value={level} selected={level === props.value}>
          {level}
        </option>
      ))}
    </SelectField>
  );
}
