import type { FeedbackAnswer, FeedbackQuestion, FeedbackQuestionType } from '../../db/schema.js';
import { AppError } from '../errors.js';

/**
 * Feedback questions and the answers given to them: pure rules, used by templates, requests, responses and
 * unprompted feedback alike. Types: paragraph (a character limit, 10,000 by default), scale (1 to N,
 * 2 ≤ N ≤ 25, optional labels), star_rating (1 to at most 5 stars), single_select and multi_select (options).
 */

export const DEFAULT_PARAGRAPH_LIMIT = 10_000;
export const MAX_SCALE = 25;
export const MAX_STARS = 5;

/** A question as a client describes it: the id is given by the template. */
export type QuestionInput = Omit<FeedbackQuestion, 'id' | 'required'> & { required?: boolean };

/** The fields each type may carry besides type, text and required. */
const OWN_FIELDS: Record<FeedbackQuestionType, readonly string[]> = {
  paragraph: ['limit'],
  scale: ['scale_max', 'labels'],
  star_rating: ['stars'],
  single_select: ['options'],
  multi_select: ['options'],
};
const SHARED = new Set(['type', 'text', 'required']);

interface Problem {
  field: string;
  problem: string;
}

const invalid = (problems: Problem[]) =>
  new AppError('invalid_parameters', problems.map((p) => `${p.field}: ${p.problem}`).join(' '), problems);

function questionProblems(q: QuestionInput, at: string): Problem[] {
  const problems: Problem[] = [];
  const own = OWN_FIELDS[q.type];
  for (const [field, value] of Object.entries(q)) {
    if (value !== undefined && !SHARED.has(field) && !own.includes(field)) {
      problems.push({ field: `${at}.${field}`, problem: `a ${q.type} question has no ${field}` });
    }
  }
  if (q.type === 'scale') {
    if (q.scale_max === undefined)
      problems.push({ field: `${at}.scale_max`, problem: 'is required (2 to 25)' });
    const values = new Set<number>();
    for (const [i, l] of (q.labels ?? []).entries()) {
      if (q.scale_max !== undefined && (l.value < 1 || l.value > q.scale_max)) {
        problems.push({ field: `${at}.labels[${i}].value`, problem: `must be between 1 and ${q.scale_max}` });
      }
      if (values.has(l.value))
        problems.push({ field: `${at}.labels[${i}].value`, problem: 'has two labels' });
      values.add(l.value);
    }
  }
  if ((q.type === 'single_select' || q.type === 'multi_select') && (q.options ?? []).length < 2) {
    problems.push({ field: `${at}.options`, problem: 'needs at least two distinct options' });
  }
  if (q.options && new Set(q.options).size !== q.options.length) {
    problems.push({ field: `${at}.options`, problem: 'has the same option twice' });
  }
  return problems;
}

/** Checks a template's questions and gives each its defaults and an id (from `nextId`). */
export function buildQuestions(input: QuestionInput[], nextId: () => number): FeedbackQuestion[] {
  const problems = input.flatMap((q, i) => questionProblems(q, `questions[${i}]`));
  if (problems.length > 0) throw invalid(problems);
  return input.map((q) => {
    const question: FeedbackQuestion = {
      id: nextId(),
      type: q.type,
      text: q.text,
      required: q.required ?? false,
    };
    if (q.type === 'paragraph') question.limit = q.limit ?? DEFAULT_PARAGRAPH_LIMIT;
    if (q.type === 'scale') {
      question.scale_max = q.scale_max as number;
      question.labels = [...(q.labels ?? [])].sort((a, b) => a.value - b.value);
    }
    if (q.type === 'star_rating') question.stars = q.stars ?? MAX_STARS;
    if (q.options) question.options = q.options;
    return question;
  });
}

const isWhole = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** Why the value is not an answer to the question, or null when it is one. */
export function answerProblem(q: FeedbackQuestion, value: unknown): string | null {
  switch (q.type) {
    case 'paragraph': {
      if (typeof value !== 'string') return 'a paragraph question takes text';
      if (value.trim().length === 0) return 'is empty';
      const limit = q.limit ?? DEFAULT_PARAGRAPH_LIMIT;
      return [...value].length > limit ? `is longer than the question's limit of ${limit} characters` : null;
    }
    case 'scale':
      if (!isWhole(value)) return 'a scale question takes a whole number';
      return value < 1 || value > (q.scale_max ?? 0) ? `must be between 1 and ${q.scale_max}` : null;
    case 'star_rating':
      if (!isWhole(value)) return 'a star rating takes a whole number of stars';
      return value < 1 || value > (q.stars ?? MAX_STARS) ? `must be between 1 and ${q.stars} stars` : null;
    case 'single_select':
      if (typeof value !== 'string') return 'a single-select question takes one of its options';
      return q.options?.includes(value) ? null : `"${value}" is not one of the question's options`;
    case 'multi_select': {
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
        return 'a multi-select question takes a list of its options';
      }
      if (new Set(value).size !== value.length) return 'names the same option twice';
      const unknown = value.find((v) => !q.options?.includes(v));
      return unknown === undefined ? null : `"${unknown}" is not one of the question's options`;
    }
  }
}

/**
 * Checks answers against the questions they answer: each names a question of this set (a question of another
 * template is refused), at most once, with a value of the question's type, range, options and limit; every
 * required question is answered. Returns the answers in the questions' order.
 */
export function checkAnswers(questions: FeedbackQuestion[], answers: FeedbackAnswer[]): FeedbackAnswer[] {
  const byId = new Map(questions.map((q) => [q.id, q]));
  const problems: Problem[] = [];
  const seen = new Set<number>();
  for (const [i, a] of answers.entries()) {
    const q = byId.get(a.question_id);
    if (!q) {
      problems.push({ field: `answers[${i}].question_id`, problem: 'is not a question of this feedback' });
      continue;
    }
    if (seen.has(a.question_id))
      problems.push({ field: `answers[${i}].question_id`, problem: 'is answered twice' });
    seen.add(a.question_id);
    const problem = answerProblem(q, a.value);
    if (problem) problems.push({ field: `answers[${i}].value`, problem });
  }
  for (const q of questions) {
    if (q.required && !seen.has(q.id))
      problems.push({ field: 'answers', problem: `question ${q.id} is required` });
  }
  if (answers.length === 0)
    problems.push({ field: 'answers', problem: 'at least one question must be answered' });
  if (problems.length > 0) throw invalid(problems);
  const order = new Map(questions.map((q, i) => [q.id, i]));
  return [...answers].sort((a, b) => (order.get(a.question_id) ?? 0) - (order.get(b.question_id) ?? 0));
}
