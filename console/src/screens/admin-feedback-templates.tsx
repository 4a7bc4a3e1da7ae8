import { useState } from 'preact/hooks';
import { api, unwrap } from '../api/client';
import { ErrorBanner } from '../components/error-banner';
import { PagedCards } from '../components/paged-cards';
import { useAction } from '../components/use-action';
import { usePaged } from '../config-admin/use-paged';
import { FeedbackCycles } from '../feedback/cycles-list';
import { ANONYMITY, type FeedbackTemplate, FeedbackTemplateForm } from '../feedback/template-form';

export const FEEDBACK_TEMPLATES_PATH = '/admin/feedback-templates';

const anonymityWords = (t: FeedbackTemplate) => ANONYMITY.find((a) => a.value === t.anonymity)?.label;

/**
 * Feedback templates: list, create, edit, archive and restore; below, the cycles made with them. Archiving is the API's end of a template (no
 * delete): requests made with it keep their copy of its questions.
 */
export function FeedbackTemplatesScreen() {
  const [archived, setArchived] = useState(false);
  const [made, setMade] = useState('');
  const templates = usePaged(
    (cursor) =>
      unwrap(
        api.GET('/v1/feedback-templates', {
          params: { query: { size: 100, archived, ...(cursor && { cursor }) } },
        }),
      ),
    [archived],
  );
  return (
    <section>
      <h1>Feedback templates</h1>
      <label class="inline">
        <input type="checkbox" checked={archived} onChange={(e) => setArchived(e.currentTarget.checked)} />
        Show archived templates instead
      </label>
      <PagedCards
        list={templates}
        loading="Loading templates…"
        empty={archived ? 'No archived templates.' : 'No feedback templates yet.'}
        card={(template) => <TemplateCard key={template.id} template={template} onSaved={templates.reload} />}
      />
      <FeedbackTemplateForm
        onSaved={(template) => {
          setMade(`Template ${template.name} was created.`);
          templates.reload();
        }}
      />
      <p role="status">{made}</p>
      <FeedbackCycles templateNames={new Map(templates.rows?.map((t) => [t.id, t.name]))} />
    </section>
  );
}

function TemplateCard({ template, onSaved }: { template: FeedbackTemplate; onSaved: () => void }) {
  const [editing, setEditing] = useState(false);
  const archive = useAction();
  const toggleArchived = async () => {
    const path = { params: { path: { id: template.id } } };
    const body = { archived: !template.archived };
    const done = await archive.run(() => unwrap(api.PATCH('/v1/feedback-templates/{id}', { ...path, body })));
    if (done) onSaved();
  };
  const count = template.questions.length;
  return (
    <li class="card">
      <h2>{template.name}</h2>
      <p class="muted">
        {anonymityWords(template)} · managers {template.managers_can_read ? 'read it' : 'do not read it'}
      </p>
      {template.description && <p>{template.description}</p>}
      <p>{`${count} question${count === 1 ? '' : 's'}`}</p>
      <ErrorBanner error={archive.error} />
      {editing ? (
        <FeedbackTemplateForm
          template={template}
          onSaved={() => {
            setEditing(false);
            onSaved();
          }}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <div class="actions">
          <button type="button" class="secondary" onClick={() => setEditing(true)}>
            Edit<span class="visually-hidden"> {template.name}</span>
          </button>
          <button type="button" class="secondary" onClick={toggleArchived} disabled={archive.busy}>
            {template.archived ? 'Restore' : 'Archive'}
            <span class="visually-hidden"> {template.name}</span>
          </button>
        </div>
      )}
    </li>
  );
}
