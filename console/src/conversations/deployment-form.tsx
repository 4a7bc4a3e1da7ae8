import { useId, useState } from 'preact/hooks';
import { api, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { ErrorBanner } from '../components/error-banner';
import { SelectField } from '../components/select-field';
import { useFormSubmit } from '../components/use-action';
import { useLoad } from '../components/use-load';
import { allDepartments, allGroups, departmentLabel } from '../people/directory';
import type { ConversationTemplate } from './template-form';

export type Deployment = components['schemas']['ConversationDeployment'];
type Audience = 'everyone' | 'departments' | 'groups';

const AUDIENCES: { value: Audience; label: string }[] = [
  { value: 'departments', label: 'A department (and its sub-departments)' },
  { value: 'groups', label: 'A group' },
  { value: 'everyone', label: 'Everyone' },
];

const population = (audience: Audience, fields: FormData) => {
  const chosen = Number(fields.get('audience_id'));
  if (audience === 'departments') return { audience, department_ids: [chosen] };
  if (audience === 'groups') return { audience, group_ids: [chosen] };
  return { audience };
};

/** Deploys a scheduled template to a population with its dates; who is in it is the API's to count. */
export function DeploymentForm({
  templates,
  onDeployed,
}: {
  templates: ConversationTemplate[];
  onDeployed: (deployment: Deployment) => void;
}) {
  const id = useId();
  const [audience, setAudience] = useState<Audience>('departments');
  const send = async (fields: FormData) => {
    const name = String(fields.get('name') ?? '').trim();
    const body = {
      template_id: Number(fields.get('template_id')),
      ...(name !== '' && { name }),
      starts_on: String(fields.get('starts_on') ?? ''),
      due_on: String(fields.get('due_on') ?? ''),
      only_with_manager: fields.get('only_with_manager') === 'on',
      ...population(audience, fields),
    };
    return (await unwrap(api.POST('/v1/conversation-deployments', { body }))).data;
  };
  const form = useFormSubmit(send, onDeployed);
  return (
    <form class="stack admin-form" aria-label="Deploy a template" onSubmit={form.submit}>
      <h2>Deploy a template</h2>
      {templates.length === 0 && <p>No scheduled templates yet: create one in Conversation templates.</p>}
      <SelectField label="Template" name="template_id" required>
        {templates.map((t) => (
          <option key={t.id} value={String(t.id)}>
            {t.name}
          </option>
        ))}
      </SelectField>
      <label for={`${id}-name`}>Name (empty: the template's)</label>
      <input id={`${id}-name`} name="name" maxLength={200} />
      <label for={`${id}-start`}>Starts on</label>
      <input id={`${id}-start`} name="starts_on" type="date" required />
      <label for={`${id}-due`}>Due on</label>
      <input id={`${id}-due`} name="due_on" type="date" required />
      <label for={`${id}-audience`}>Sent to</label>
      <select
        id={`${id}-audience`}
        value={audience}
        onChange={(event) => setAudience(event.currentTarget.value as Audience)}
      >
        {AUDIENCES.map((a) => (
          <option key={a.value} value={a.value}>
            {a.label}
          </option>
        ))}
      </select>
      {audience !== 'everyone' && <AudiencePicker audience={audience} />}
      <label class="inline">
        <input type="checkbox" name="only_with_manager" defaultChecked />
        Only people who have a manager (others would answer alone)
      </label>
      <ErrorBanner error={form.error} />
      <button type="submit" disabled={form.busy}>
        {form.busy ? 'Deploying…' : 'Deploy'}
      </button>
    </form>
  );
}

/** The department or group a deployment goes to, read from the API when the choice needs it. */
function AudiencePicker({ audience }: { audience: 'departments' | 'groups' }) {
  const choices = useLoad(
    async () =>
      audience === 'departments'
        ? (await allDepartments()).map((d) => ({ id: d.id, label: departmentLabel(d) }))
        : (await allGroups()).map((g) => ({ id: g.id, label: g.name })),
    [audience],
  );
  const label = audience === 'departments' ? 'Department' : 'Group';
  return (
    <>
      <ErrorBanner error={choices.error} />
      {choices.value === undefined && !choices.error && <p aria-live="polite">Loading…</p>}
      {choices.value?.length === 0 && <p>None yet.</p>}
      <SelectField label={label} name="audience_id" required>
        {choices.value?.map((c) => (
          <option key={c.id} value={String(c.id)}>
            {c.label}
          </option>
        ))}
      </SelectField>
    </>
  );
}
