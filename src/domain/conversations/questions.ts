import type { Answers, AnswerType, AnswerValue, Question } from '../../db/schema.js';
import { AppError } from '../errors.js';

/**
 * The rules of questions and answers, once: what a question may ask (its type's bounds) and whether an
 * answer fits its question (type, range, options, length). Pure functions, called by templates and
 * conversations alike.
 */

/** Betterworks' paragraph default (its feedback templates' limit). */
export const PARAGRAPH_LIMIT = 10_000;
export const SCALE_MAX = 25;
export const STARS_MAX = 5;

/** A question as a client sends it: the type's own fields only. */
export interface QuestionInput {
  text: string;
  type: AnswerType;
  required?: boolean | undefined;
  confidential?: boolean | undefined;
  limit?: number | undefined;
  scale_max?: number | undefined;
  labels?: string[] | undefined;
  stars?: number | undefined;
  options?: string[] | undefined;
}

const FIELDS_OF: Record<AnswerType, (keyof QuestionInput)[]> = {
  paragraph: ['limit'],
  scale: ['scale_max', 'labels'],
  rating: ['stars'],
  single_select: ['options'],
  multi_select: ['options'],
};
const TYPED_FIELDS = ['limit', 'scale_max', 'labels', 'stars', 'options'] as const;

const refuse = (where: string, why: string) => new AppError('invalid_operation', `${where}: ${why}`);

/** A question input checked against its type and given its id; `where` names it in a refusal. */
export function questionOf(input: QuestionInput, id: number, where: string): Question {
  for (const field of TYPED_FIELDS) {
    if (input[field] !== undefined && !FIELDS_OF[input.type].includes(field))
      throw refuse(where, `${field} does not apply to a ${input.type} question.`);
  }
  const question: Question = {
    id,
    text: input.text,
    type: input.type,
    required: input.required ?? false,
    confidential: input.confidential ?? false,
    limit: null,
    scale_max: null,
    labels: null,
    stars: null,
    options: null,
  };
  switch (input.type) {
    case 'paragraph':
      question.limit = input.limit ?? PARAGRAPH_LIMIT;
      break;
    case 'scale':
      if (input.scale_max === undefined) throw refuse(where, 'a scale question needs scale_max (2 to 25).');
      if ((input.labels?.length ?? 0) > input.scale_max)
        throw refuse(where, `a scale of ${input.scale_max} points has at most ${input.scale_max} labels.`);
      question.scale_max = input.scale_max;
      question.labels = input.labels ?? [];
      break;
    case 'rating':
      question.stars = input.stars ?? STARS_MAX;
      break;
    default:
      if (!input.options || input.options.length < 2)
        throw refuse(where, `a ${input.type} question needs at least two options.`);
      if (new Set(input.options).size !== input.options.length)
        throw refuse(where, 'options must differ from each other.');
      question.options = input.options;
  }
  return question;
}

/** A stored question as input again, for a version that keeps one side's questions and renews the other. */
export function inputOf(q: Question): QuestionInput {
  const input: QuestionInput = {
    text: q.text,
    type: q.type,
    required: q.required,
    confidential: q.confidential,
  };
  for (const field of TYPED_FIELDS) {
    const value = q[field];
    if (value !== null) Object.assign(input, { [field]: value });
  }
  return input;
}

/** Why an answer does not fit its question, or null when it does. */
export function answerProblem(q: Question, value: AnswerValue): string | null {
  switch (q.type) {
    case 'paragraph':
      if (typeof value !== 'string') return 'a paragraph answer is text.';
      if (value.length > (q.limit ?? PARAGRAPH_LIMIT))
        return `the answer has ${value.length} characters; the limit is ${q.limit}.`;
      return null;
    case 'scale':
    case 'rating': {
      const top = (q.type === 'scale' ? q.scale_max : q.stars) ?? 0;
      if (typeof value !== 'number' || !Number.isInteger(value))
        return `a ${q.type} answer is a whole number.`;
      if (value < 1 || value > top) return `${value} is outside 1 to ${top}.`;
      return null;
    }
    case 'single_select':
      if (typeof value !== 'string') return 'a single_select answer is one of the options.';
      return q.options?.includes(value) ? null : `"${value}" is not one of the options.`;
    case 'multi_select': {
      if (!Array.isArray(value)) return 'a multi_select answer is a list of options.';
      if (new Set(value).size !== value.length) return 'an option is chosen twice.';
      const unknown = value.find((v) => !q.options?.includes(v));
      return unknown === undefined ? null : `"${unknown}" is not one of the options.`;
    }
  }
}

export interface AnswerInput {
  question_id: number;
  value: AnswerValue;
}

/**
 * A side's answers checked against that side's questions: each names one of them, once, and fits it.
 * `side` names the questions in a refusal (a question of the other side or another template is refused).
 */
export function checkedAnswers(questions: Question[], inputs: AnswerInput[], side: string): Answers {
  const byId = new Map(questions.map((q) => [q.id, q]));
  const answers: Answers = {};
  inputs.forEach((input, i) => {
    const where = `answers[${i}]`;
    const q = byId.get(input.question_id);
    if (!q)
      throw refuse(
        where,
        `question ${input.question_id} is not one of this conversation's ${side} questions.`,
      );
    if (String(q.id) in answers) throw refuse(where, `question ${q.id} is answered twice.`);
    const problem = answerProblem(q, input.value);
    if (problem) throw refuse(where, `question ${q.id}: ${problem}`);
    answers[String(q.id)] = input.value;
  });
  return answers;
}

/** Refuses a submission that leaves a required question unanswered. */
export function assertComplete(questions: Question[], answers: Answers): void {
  const missing = questions.find((q) => q.required && !(String(q.id) in answers));
  if (missing)
    throw new AppError('invalid_operation', `Question ${missing.id} is required; answer it first.`);
}

/** Answers as a list in the questions' order. */
export const answerList = (questions: Question[], answers: Answers) =>
  questions
    .filter((q) => String(q.id) in answers)
    .map((q) => ({ question_id: q.id, value: answers[String(q.id)] as AnswerValue }));
