import type { components } from '../api/schema';

export type Question = components['schemas']['Question'];
export type QuestionType = Question['type'];

/** The question types, in the words a form shows (docs/questions.md). */
export const QUESTION_TYPES: { value: QuestionType; label: string }[] = [
  { value: 'paragraph', label: 'Paragraph' },
  { value: 'scale', label: 'Scale' },
  { value: 'star_rating', label: 'Star rating' },
  { value: 'single_select', label: 'Single choice' },
  { value: 'multi_select', label: 'Multiple choice' },
];

/**
 * A question as a form holds it while it is edited: every type's field at once, as typed, so switching the
 * type back and forth loses nothing. `key` names it in the list until the API gives it an id.
 */
export interface QuestionDraft {
  key: number;
  type: QuestionType;
  text: string;
  required: boolean;
  confidential: boolean;
  /** One option a line. */
  options: string;
  scaleMax: string;
  stars: string;
  limit: string;
}

let nextKey = 1;

export const blankQuestion = (): QuestionDraft => ({
  key: nextKey++,
  type: 'paragraph',
  text: '',
  required: false,
  confidential: false,
  options: '',
  scaleMax: '5',
  stars: '5',
  limit: '',
});

export const draftOf = (q: Question & { confidential?: boolean }): QuestionDraft => ({
  ...blankQuestion(),
  type: q.type,
  text: q.text,
  required: q.required,
  confidential: q.confidential ?? false,
  options: (q.options ?? []).join('\n'),
  scaleMax: String(q.scale_max ?? 5),
  stars: String(q.stars ?? 5),
  limit: q.limit === undefined ? '' : String(q.limit),
});

// An empty number field is left out, so the API's default applies; anything else goes as typed and the
// API judges it (a scale of 40 points is its refusal, not ours).
const numberOrNothing = (typed: string) => (typed.trim() === '' ? undefined : Number(typed));

/** A draft as the API takes it: only its type's own fields, which is what the API accepts. */
export function questionInput(draft: QuestionDraft, withConfidential: boolean) {
  const base = {
    type: draft.type,
    text: draft.text.trim(),
    required: draft.required,
    ...(withConfidential && { confidential: draft.confidential }),
  };
  switch (draft.type) {
    case 'paragraph': {
      const limit = numberOrNothing(draft.limit);
      return { ...base, ...(limit !== undefined && { limit }) };
    }
    case 'scale':
      return { ...base, scale_max: Number(draft.scaleMax) };
    case 'star_rating': {
      const stars = numberOrNothing(draft.stars);
      return { ...base, ...(stars !== undefined && { stars }) };
    }
    default:
      return {
        ...base,
        options: draft.options
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean),
      };
  }
}

/** The list with the question at `from` moved by `step` places; out of range, unchanged. */
export function moved<T>(list: T[], from: number, step: number): T[] {
  const to = from + step;
  if (to < 0 || to >= list.length) return list;
  const copy = [...list];
  const [item] = copy.splice(from, 1);
  if (item !== undefined) copy.splice(to, 0, item);
  return copy;
}
