import type { Answer, Question, QuestionType } from '../../db/schema.js';
import { AppError } from '../errors.js';

/**
 * Typed questions and their answers, once for every area that asks them (conversations, feedback): what a
 * question may ask, and whether an answer fits it. Pure functions; an area adds its own fields around a
 * question (a conversation's `confidential`) and its own rules around a set of answers.
 */

export const MAX_PARAGRAPH_LIMIT = 10_000;
export const MAX_SCALE = 25;
export const MAX_STARS = 5;

/** A question as a client describes it: the area gives the id, `required` defaults to false. */
export type QuestionInput = Omit<Question, 'id' | 'required'> & { required?: boolean | undefined };

/** What an area decides for its questions: the paragraph limit a question gets when it names none. */
export interface QuestionDefaults {
  paragraphLimit: number;
}

/** One thing wrong with a request, named by the field at fault: `details` of a 400 invalid_parameters. */
export interface Problem {
  field: string;
  problem: string;
}

export const invalidParameters = (problems: Problem[]) =>
  new AppError('invalid_parameters', problems.map((p) => `${p.field}: ${p.problem}`).join(' '), problems);

/** The fields each type may carry besides type, text and required. */
const OWN_FIELDS: Record<QuestionType, readonly string[]> = {
  paragraph: ['limit'],
  scale: ['scale_max', 'labels'],
  star_rating: ['stars'],
  single_select: ['options'],
  multi_select: ['options'],
};
const TYPED_FIELDS = ['limit', 'scale_max', 'labels', 'stars', 'options'] as const;

const outside = (v: number | undefined, low: number, high: number) =>
  v !== undefined && v !== null && (!Number.isInteger(v) || v < low || v > high);

function boundProblems(q: QuestionInput, at: string): Problem[] {
  const problems: Problem[] = [];
  if (outside(q.limit, 1, MAX_PARAGRAPH_LIMIT))
    problems.push({ field: `${at}.limit`, problem: `must be between 1 and ${MAX_PARAGRAPH_LIMIT}` });
  if (outside(q.stars, 1, MAX_STARS))
    problems.push({ field: `${at}.stars`, problem: `must be between 1 and ${MAX_STARS}` });
  if (q.type === 'scale' && (q.scale_max === undefined || outside(q.scale_max, 2, MAX_SCALE)))
    problems.push({ field: `${at}.scale_max`, problem: `is required, 2 to ${MAX_SCALE}` });
  return problems;
}

function labelProblems(q: QuestionInput, at: string): Problem[] {
  const problems: Problem[] = [];
  const values = new Set<number>();
  for (const [i, l] of (q.labels ?? []).entries()) {
    if (q.scale_max !== undefined && (l.value < 1 || l.value > q.scale_max))
      problems.push({ field: `${at}.labels[${i}].value`, problem: `must be between 1 and ${q.scale_max}` });
    if (values.has(l.value)) problems.push({ field: `${at}.labels[${i}].value`, problem: 'has two labels' });
    values.add(l.value);
  }
  return problems;
}

/** What is wrong with a question as described; `at` names it (`questions[2]`). Empty when nothing is. */
export function questionProblems(q: QuestionInput, at: string): Problem[] {
  const problems: Problem[] = [];
  for (const field of TYPED_FIELDS) {
    if (q[field] !== undefined && q[field] !== null && !OWN_FIELDS[q.type].includes(field))
      problems.push({ field: `${at}.${field}`, problem: `a ${q.type} question has no ${field}` });
  }
  problems.push(...boundProblems(q, at), ...labelProblems(q, at));
  if ((q.type === 'single_select' || q.type === 'multi_select') && (q.options ?? []).length < 2)
    problems.push({ field: `${at}.options`, problem: 'needs at least two distinct options' });
  if (q.options && new Set(q.options).size !== q.options.length)
    problems.push({ field: `${at}.options`, problem: 'has the same option twice' });
  return problems;
}

/** A question checked by questionProblems, with its type's defaults and the id the area gave it. */
export function buildQuestion(q: QuestionInput, id: number, defaults: QuestionDefaults): Question {
  const question: Question = { id, type: q.type, text: q.text, required: q.required ?? false };
  if (q.type === 'paragraph') question.limit = q.limit ?? defaults.paragraphLimit;
  if (q.type === 'scale') {
    question.scale_max = q.scale_max as number;
    question.labels = [...(q.labels ?? [])].sort((a, b) => a.value - b.value);
  }
  if (q.type === 'star_rating') question.stars = q.stars ?? MAX_STARS;
  if (q.type === 'single_select' || q.type === 'multi_select') question.options = q.options ?? [];
  return question;
}

/** A stored question as a client would describe it again (for a copy that renews ids). */
export function inputOf(q: Question): QuestionInput {
  const { id: _id, ...input } = q;
  return input;
}

const isWhole = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** Why the value is not an answer to the question, or null when it is one. */
export function answerProblem(q: Question, value: unknown): string | null {
  switch (q.type) {
    case 'paragraph': {
      if (typeof value !== 'string') return 'a paragraph question takes text';
      if (value.trim().length === 0) return 'is empty';
      const limit = q.limit ?? MAX_PARAGRAPH_LIMIT;
      return [...value].length > limit ? `is longer than the question's limit of ${limit} characters` : null;
    }
    case 'scale':
      if (!isWhole(value)) return 'a scale question takes a whole number';
      return value < 1 || value > (q.scale_max ?? 0) ? `must be between 1 and ${q.scale_max}` : null;
    case 'star_rating': {
      const stars = q.stars ?? MAX_STARS;
      if (!isWhole(value)) return 'a star rating takes a whole number of stars';
      return value < 1 || value > stars ? `must be between 1 and ${stars} stars` : null;
    }
    case 'single_select':
      if (typeof value !== 'string') return 'a single-select question takes one of its options';
      return q.options?.includes(value) ? null : `"${value}" is not one of the question's options`;
    case 'multi_select': {
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
        return 'a multi-select question takes a list of its options';
      if (new Set(value).size !== value.length) return 'names the same option twice';
      const unknown = value.find((v) => !q.options?.includes(v));
      return unknown === undefined ? null : `"${unknown}" is not one of the question's options`;
    }
  }
}

/**
 * What is wrong with answers to a set of questions: each must name a question of the set (a question of
 * another template, version or side is refused), at most once, with a value of its type, range, options and
 * limit. Required questions are the area's call (requiredProblems): a draft may leave them out.
 */
export function answerProblems(questions: readonly Question[], answers: readonly Answer[]): Problem[] {
  const byId = new Map(questions.map((q) => [q.id, q]));
  const problems: Problem[] = [];
  const seen = new Set<number>();
  for (const [i, a] of answers.entries()) {
    const q = byId.get(a.question_id);
    if (!q) {
      problems.push({
        field: `answers[${i}].question_id`,
        problem: 'is not one of the questions asked here',
      });
      continue;
    }
    if (seen.has(a.question_id))
      problems.push({ field: `answers[${i}].question_id`, problem: 'is answered twice' });
    seen.add(a.question_id);
    const problem = answerProblem(q, a.value);
    if (problem) problems.push({ field: `answers[${i}].value`, problem });
  }
  return problems;
}

/** The required questions that are not among the answered ones. */
export const requiredProblems = (questions: readonly Question[], answered: ReadonlySet<number>): Problem[] =>
  questions
    .filter((q) => q.required && !answered.has(q.id))
    .map((q) => ({ field: 'answers', problem: `question ${q.id} is required` }));

/** Answers in their questions' order. */
export function inQuestionOrder<A extends { question_id: number }>(
  questions: readonly Question[],
  answers: A[],
) {
  const order = new Map(questions.map((q, i) => [q.id, i]));
  return [...answers].sort((a, b) => (order.get(a.question_id) ?? 0) - (order.get(b.question_id) ?? 0));
}
