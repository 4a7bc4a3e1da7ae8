import { useState } from 'preact/hooks';
import { api, unwrap } from '../api/client';
import { PagedCards } from '../components/paged-cards';
import { usePaged } from '../config-admin/use-paged';
import { type ConversationTemplate, ConversationTemplateForm } from '../conversations/template-form';

export const CONVERSATION_TEMPLATES_PATH = '/admin/conversation-templates';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Conversation templates: list, create and edit; the API has no archive or delete for them. */
export function ConversationTemplatesScreen() {
  const [made, setMade] = useState('');
  const templates = usePaged(
    (cursor) =>
      unwrap(
        api.GET('/v1/conversation-templates', {
          params: { query: { size: 100, ...(cursor && { cursor }) } },
        }),
      ),
    [],
  );
  return (
    <section>
      <h1>Conversation templates</h1>
      <p>
        The questions of 1:1s and check-ins. A scheduled template is sent to people from{' '}
        <a href="/admin/deployments">Deployments</a>.
      </p>
      <PagedCards
        list={templates}
        loading="Loading templates…"
        empty="No conversation templates yet: create the first below."
        card={(template) => <TemplateCard key={template.id} template={template} onSaved={templates.reload} />}
      />
      <ConversationTemplateForm
        onSaved={(template) => {
          setMade(`Template ${template.name} was created.`);
          templates.reload();
        }}
      />
      <p role="status">{made}</p>
    </section>
  );
}

function TemplateCard({ template, onSaved }: { template: ConversationTemplate; onSaved: () => void }) {
  const [editing, setEditing] = useState(false);
  const conversations = template.deployments.reduce((sum, d) => sum + d.conversation_count, 0);
  return (
    <li class="card">
      <h2>{template.name}</h2>
      <p class="muted">
        {template.kind} · {template.format === 'two_way' ? 'two-way' : 'one-way'} · version {template.version}
      </p>
      {template.description && <p>{template.description}</p>}
      <p>
        {plural(template.manager_questions.length, "manager's question")},{' '}
        {plural(template.report_questions.length, "report's question")};{' '}
        {plural(template.deployments.length, 'deployment')}, {plural(conversations, 'conversation')}
      </p>
      {editing ? (
        <ConversationTemplateForm
          template={template}
          onSaved={() => {
            setEditing(false);
            onSaved();
          }}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <button type="button" class="secondary" onClick={() => setEditing(true)}>
          Edit<span class="visually-hidden"> {template.name}</span>
        </button>
      )}
    </li>
  );
}
