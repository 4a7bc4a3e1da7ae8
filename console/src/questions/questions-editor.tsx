import { useId } from 'preact/hooks';
import { blankQuestion, moved, QUESTION_TYPES, type QuestionDraft } from './drafts';

interface Props {
  /** The list's heading, e.g. "Manager's questions". */
  legend: string;
  questions: QuestionDraft[];
  onChange: (questions: QuestionDraft[]) => void;
  /** Conversation questions may be confidential; feedback questions have no such field. */
  withConfidential?: boolean;
}

/** An ordered list of typed questions: add, remove, move up and down, and each type's own fields. */
export function QuestionsEditor({ legend, questions, onChange, withConfidential = false }: Props) {
  const change = (index: number, fields: Partial<QuestionDraft>) =>
    onChange(questions.map((q, i) => (i === index ? { ...q, ...fields } : q)));
  return (
    <fieldset class="questions-editor">
      <legend>{legend}</legend>
      {questions.length === 0 && <p class="muted">No questions.</p>}
      <ol>
        {questions.map((question, index) => (
          <li key={question.key}>
            <QuestionFields
              number={index + 1}
              side={legend}
              question={question}
              withConfidential={withConfidential}
              onChange={(fields) => change(index, fields)}
            />
            <div class="actions">
              <button
                type="button"
                class="secondary"
                disabled={index === 0}
                onClick={() => onChange(moved(questions, index, -1))}
              >
                Move up<span class="visually-hidden"> {`${legend}: question ${index + 1}`}</span>
              </button>
              <button
                type="button"
                class="secondary"
                disabled={index === questions.length - 1}
                onClick={() => onChange(moved(questions, index, 1))}
              >
                Move down<span class="visually-hidden"> {`${legend}: question ${index + 1}`}</span>
              </button>
              <button
                type="button"
                class="secondary"
                onClick={() => onChange(questions.filter((q) => q.key !== question.key))}
              >
                Remove<span class="visually-hidden"> {`${legend}: question ${index + 1}`}</span>
              </button>
            </div>
          </li>
        ))}
      </ol>
      <button type="button" class="secondary" onClick={() => onChange([...questions, blankQuestion()])}>
        Add a question<span class="visually-hidden"> to {legend}</span>
      </button>
    </fieldset>
  );
}

interface FieldsProps {
  number: number;
  side: string;
  question: QuestionDraft;
  withConfidential: boolean;
  onChange: (fields: Partial<QuestionDraft>) => void;
}

/** One question's fields; only its type's own are shown, as the API takes only those. */
function QuestionFields({ number, side, question, withConfidential, onChange }: FieldsProps) {
  const id = useId();
  const name = `${side}: question ${number}`;
  const text = (field: keyof QuestionDraft) => (event: Event) =>
    onChange({ [field]: (event.currentTarget as HTMLInputElement).value });
  const ticked = (field: keyof QuestionDraft) => (event: Event) =>
    onChange({ [field]: (event.currentTarget as HTMLInputElement).checked });
  return (
    <fieldset class="stack question-fields">
      <legend class="visually-hidden">{name}</legend>
      <label for={`${id}-text`}>Question {number}</label>
      <input id={`${id}-text`} required maxLength={500} value={question.text} onInput={text('text')} />
      <label for={`${id}-type`}>Kind of answer</label>
      <select id={`${id}-type`} value={question.type} onChange={text('type')}>
        {QUESTION_TYPES.map((t) => (
          <option key={t.value} value={t.value}>
            {t.label}
          </option>
        ))}
      </select>
      {question.type === 'paragraph' && (
        <>
          <label for={`${id}-limit`}>Most characters (empty: 10,000)</label>
          <input id={`${id}-limit`} type="number" value={question.limit} onInput={text('limit')} />
        </>
      )}
      {question.type === 'scale' && (
        <>
          <label for={`${id}-scale`}>Points on the scale</label>
          <input
            id={`${id}-scale`}
            type="number"
            required
            value={question.scaleMax}
            onInput={text('scaleMax')}
          />
        </>
      )}
      {question.type === 'star_rating' && (
        <>
          <label for={`${id}-stars`}>Stars</label>
          <input id={`${id}-stars`} type="number" value={question.stars} onInput={text('stars')} />
        </>
      )}
      {(question.type === 'single_select' || question.type === 'multi_select') && (
        <>
          <label for={`${id}-options`}>Options, one a line</label>
          <textarea id={`${id}-options`} rows={3} value={question.options} onInput={text('options')} />
        </>
      )}
      <label class="inline">
        <input type="checkbox" checked={question.required} onChange={ticked('required')} /> Required
      </label>
      {withConfidential && (
        <label class="inline">
          <input type="checkbox" checked={question.confidential} onChange={ticked('confidential')} />{' '}
          Confidential (never shown to the other participant)
        </label>
      )}
    </fieldset>
  );
}
