import { useState } from 'preact/hooks';
import { api, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { SelectField } from '../components/select-field';
import { useFormSubmit } from '../components/use-action';
import { draftOf, type QuestionDraft, questionInput } from '../questions/drafts';
import { QuestionsEditor } from '../questions/questions-editor';
import { nameAndDescription, TemplateFrame } from '../questions/template-frame';

export type ConversationTemplate = components['schemas']['ConversationTemplate'];

interface Props {
  /** The template to edit; left out, the form creates one. */
  template?: ConversationTemplate;
  onSaved: (template: ConversationTemplate) => void;
  onCancel?: () => void;
}

/**
 * A conversation template's name, description, who reads it, and each side's ordered questions. Kind and
 * format are chosen at creation only: the API fixes them then.
 */
export function ConversationTemplateForm({ template, onSaved, onCancel }: Props) {
  const [managerQuestions, setManagerQuestions] = useState<QuestionDraft[]>(
    () => template?.manager_questions.map(draftOf) ?? [],
  );
  const [reportQuestions, setReportQuestions] = useState<QuestionDraft[]>(
    () => template?.report_questions.map(draftOf) ?? [],
  );
  const send = async (fields: FormData) => {
    const editable = {
      ...nameAndDescription(fields),
      manager_questions: managerQuestions.map((q) => questionInput(q, true)),
      report_questions: reportQuestions.map((q) => questionInput(q, true)),
      settings: { readers: { admins: fields.get('admins_read') === 'on' } },
    };
    if (template) {
      const path = { params: { path: { id: template.id } } };
      return (await unwrap(api.PATCH('/v1/conversation-templates/{id}', { ...path, body: editable }))).data;
    }
    const kind = fields.get('kind') === 'anytime' ? 'anytime' : 'scheduled';
    const format = fields.get('format') === 'one_way' ? 'one_way' : 'two_way';
    const body = { ...editable, kind, format } as const;
    return (await unwrap(api.POST('/v1/conversation-templates', { body }))).data;
  };
  const form = useFormSubmit(send, (saved) => {
    if (!template) {
      setManagerQuestions([]);
      setReportQuestions([]);
    }
    onSaved(saved);
  });
  const title = template ? `Edit ${template.name}` : 'New conversation template';
  return (
    <TemplateFrame title={title} template={template} form={form} onCancel={onCancel}>
      {!template && (
        <>
          <SelectField label="Kind" name="kind">
            <option value="scheduled">Scheduled: sent to people by a deployment</option>
            <option value="anytime">Anytime: started by a manager or a report</option>
          </SelectField>
          <SelectField label="Format" name="format">
            <option value="two_way">Two-way: both sides answer</option>
            <option value="one_way">One-way: one side answers</option>
          </SelectField>
        </>
      )}
      <label class="inline">
        <input
          type="checkbox"
          name="admins_read"
          defaultChecked={template?.settings.readers.admins ?? false}
        />
        Admins read its conversations (never confidential answers)
      </label>
      <QuestionsEditor
        legend="Manager's questions"
        questions={managerQuestions}
        onChange={setManagerQuestions}
        withConfidential
      />
      <QuestionsEditor
        legend="Report's questions"
        questions={reportQuestions}
        onChange={setReportQuestions}
        withConfidential
      />
    </TemplateFrame>
  );
}
