import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';
import { ErrorBanner } from '../components/error-banner';

interface Props {
  title: string;
  /** The template edited; left out, the form makes one. */
  template?: { name: string; description: string | null } | undefined;
  form: { submit: (event: SubmitEvent) => void; busy: boolean; error: unknown };
  onCancel?: (() => void) | undefined;
  /** The area's own fields and questions, between the name and the buttons. */
  children: ComponentChildren;
}

/** A template's form as conversations and feedback both have it: name, description, the rest, save. */
export function TemplateFrame({ title, template, form, onCancel, children }: Props) {
  const id = useId();
  return (
    <form class="stack admin-form" aria-label={title} onSubmit={form.submit}>
      <h3>{title}</h3>
      <label for={`${id}-name`}>Name</label>
      <input id={`${id}-name`} name="name" required maxLength={64} defaultValue={template?.name} />
      <label for={`${id}-description`}>Description</label>
      <textarea
        id={`${id}-description`}
        name="description"
        rows={2}
        maxLength={2000}
        defaultValue={template?.description ?? ''}
      />
      {children}
      <ErrorBanner error={form.error} />
      <div class="actions">
        <button type="submit" disabled={form.busy}>
          {form.busy ? 'Saving…' : template ? 'Save template' : 'Create template'}
        </button>
        {onCancel && (
          <button type="button" class="secondary" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

/** The name and description as the API takes them: an empty description is none. */
export function nameAndDescription(fields: FormData) {
  const description = String(fields.get('description') ?? '').trim();
  return {
    name: String(fields.get('name') ?? '').trim(),
    description: description === '' ? null : description,
  };
}
