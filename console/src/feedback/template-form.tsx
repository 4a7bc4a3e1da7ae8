import { useState } from 'preact/hooks';
import { api, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { SelectField } from '../components/select-field';
import { useFormSubmit } from '../components/use-action';
import { blankQuestion, draftOf, type QuestionDraft, questionInput } from '../questions/drafts';
import { QuestionsEditor } from '../questions/questions-editor';
import { nameAndDescription, TemplateFrame } from '../questions/template-frame';

export type FeedbackTemplate = components['schemas']['FeedbackTemplate'];
type Anonymity = FeedbackTemplate['anonymity'];

export const ANONYMITY: { value: Anonymity; label: string }[] = [
  { value: 'named', label: 'Named: every reader sees who answered' },
  { value: 'anonymous_to_recipient', label: 'Anonymous to the recipient (managers and HR see names)' },
  { value: 'anonymous_to_all', label: 'Anonymous to all: answers reach readers only pooled' },
];
const anonymityOf = (typed: FormDataEntryValue | null): Anonymity =>
  ANONYMITY.find((a) => a.value === typed)?.value ?? 'named';

interface Props {
  template?: FeedbackTemplate;
  onSaved: (template: FeedbackTemplate) => void;
  onCancel?: () => void;
}

/** A feedback template: name, description, anonymity, managers' access and its questions (at least one). */
export function FeedbackTemplateForm({ template, onSaved, onCancel }: Props) {
  const [questions, setQuestions] = useState<QuestionDraft[]>(() =>
    template ? template.questions.map(draftOf) : [blankQuestion()],
  );
  const send = async (fields: FormData) => {
    const body = {
      ...nameAndDescription(fields),
      anonymity: anonymityOf(fields.get('anonymity')),
      managers_can_read: fields.get('managers_can_read') === 'on',
      questions: questions.map((q) => questionInput(q, false)),
    };
    if (!template) return (await unwrap(api.POST('/v1/feedback-templates', { body }))).data;
    const path = { params: { path: { id: template.id } } };
    // The API gives sent questions new ids; unchanged ones are left out so their ids stay.
    const before = template.questions.map((q) => questionInput(draftOf(q), false));
    const same = JSON.stringify(before) === JSON.stringify(body.questions);
    const changed = same ? { ...body, questions: undefined } : body;
    return (await unwrap(api.PATCH('/v1/feedback-templates/{id}', { ...path, body: changed }))).data;
  };
  const form = useFormSubmit(send, (saved) => {
    if (!template) setQuestions([blankQuestion()]);
    onSaved(saved);
  });
  const title = template ? `Edit ${template.name}` : 'New feedback template';
  return (
    <TemplateFrame title={title} template={template} form={form} onCancel={onCancel}>
      <SelectField label="Anonymity" name="anonymity">
        {ANONYMITY.map((a) => (
          <option key={a.value} value={a.value} selected={a.value === (template?.anonymity ?? 'named')}>
            {a.label}
          </option>
        ))}
      </SelectField>
      <label class="inline">
        <input
          type="checkbox"
          name="managers_can_read"
          defaultChecked={template?.managers_can_read ?? true}
        />
        The recipient's managers read the feedback
      </label>
      <QuestionsEditor legend="Questions" questions={questions} onChange={setQuestions} />
    </TemplateFrame>
  );
}
