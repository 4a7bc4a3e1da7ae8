import { api, unwrap } from '../api/client';
import type { paths } from '../api/schema';
import { ErrorBanner } from '../components/error-banner';
import { SelectField } from '../components/select-field';
import { useLoad } from '../components/use-load';
import { allDepartments, departmentLabel } from '../people/directory';
import { linesOf } from './cycles';

export type CreateCycleBody =
  paths['/v1/calibration/cycles']['post']['requestBody']['content']['application/json'];

/** "everyone", or "department:<id>": one select names the population, the API resolves who is in it. */
function bodyOf(form: FormData): CreateCycleBody {
  const population = String(form.get('population') ?? 'everyone');
  const period = String(form.get('period_id') ?? '');
  const department = /^department:(\d+)$/.exec(population)?.[1];
  return {
    name: String(form.get('name') ?? '').trim(),
    performance_levels: linesOf(String(form.get('performance_levels') ?? '')),
    potential_levels: linesOf(String(form.get('potential_levels') ?? '')),
    publish_to_person: form.get('publish_to_person') === 'on',
    ...(period !== '' && { period_id: Number(period) }),
    ...(department
      ? { audience: 'departments' as const, department_ids: [Number(department)] }
      : { audience: 'everyone' as const }),
  };
}

interface Props {
  busy: boolean;
  error: unknown;
  onSubmit: (body: CreateCycleBody) => Promise<unknown>;
}

/** A new draft cycle: name, period, population and both scales; every rule on them is the API's. */
export function CycleForm({ busy, error, onSubmit }: Props) {
  const choices = useLoad(
    () =>
      Promise.all([
        allDepartments(),
        unwrap(api.GET('/v1/periods', { params: { query: { size: 100 } } })).then((a) => a.data),
      ]),
    [],
  );
  const [departments = [], periods = []] = choices.value ?? [];
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    if ((await onSubmit(bodyOf(new FormData(form)))) !== undefined) form.reset();
  };
  return (
    <form class="stack admin-form" aria-label="New calibration cycle" onSubmit={submit}>
      <h3>New calibration cycle</h3>
      <ErrorBanner error={error ?? choices.error} />
      <label for="cycle-name">Name</label>
      <input id="cycle-name" name="name" required maxLength={200} />
      <SelectField label="Period" name="period_id">
        <option value="">No period</option>
        {periods.map((p) => (
          <option key={p.id} value={String(p.id)}>
            {p.name} ({p.starts_on} to {p.ends_on})
          </option>
        ))}
      </SelectField>
      <SelectField label="Population" name="population">
        <option value="everyone">Everyone</option>
        {departments.map((d) => (
          <option key={d.id} value={`department:${d.id}`}>
            {departmentLabel(d)} (and its sub-departments)
          </option>
        ))}
      </SelectField>
      <ScaleField
        name="performance_levels"
        label="Performance levels"
        levels={['Below expectations', 'Meets expectations', 'Exceeds expectations']}
      />
      <ScaleField name="potential_levels" label="Potential levels" levels={['Low', 'Medium', 'High']} />
      <label class="check">
        <input type="checkbox" name="publish_to_person" /> Show each person their final rating when the cycle
        closes
      </label>
      <div class="actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Creating…' : 'Create cycle'}
        </button>
      </div>
    </form>
  );
}

/** A scale typed one level a line, lowest first, offered with a three-level default to edit. */
function ScaleField({ name, label, levels }: { name: string; label: string; levels: string[] }) {
  return (
    <>
      <label for={`cycle-${name}`}>{label}, one a line, lowest first</label>
      <textarea id={`cycle-${name}`} name={name} rows={3} required defaultValue={levels.join('\n')} />
    </>
  );
}
