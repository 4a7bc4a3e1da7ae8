import type { Answer, Question } from '../../db/schema.js';
import {
  answerProblems,
  buildQuestion,
  inQuestionOrder,
  invalidParameters,
  type QuestionInput,
  questionProblems,
  requiredProblems,
} from '../questions/questions.js';

/**
 * Feedback's questions and answers: the shared rules (src/domain/questions/questions.ts) with feedback's
 * defaults and its own rule that a response answers something.
 */

export const DEFAULT_PARAGRAPH_LIMIT = 10_000;
const DEFAULTS = { paragraphLimit: DEFAULT_PARAGRAPH_LIMIT };

export type { QuestionInput };

/** Checks a template's questions and gives each its defaults and an id (from `nextId`). */
export function buildQuestions(input: QuestionInput[], nextId: () => number): Question[] {
  const problems = input.flatMap((q, i) => questionProblems(q, `questions[${i}]`));
  if (problems.length > 0) throw invalidParameters(problems);
  return input.map((q) => buildQuestion(q, nextId(), DEFAULTS));
}

/**
 * Checks a response's answers against the questions it answers (answerProblems); every required question is
 * answered, and at least one question. Returns the answers in the questions' order.
 */
export function checkAnswers(questions: Question[], answers: Answer[]): Answer[] {
  const problems = [
    ...answerProblems(questions, answers),
    ...requiredProblems(questions, new Set(answers.map((a) => a.question_id))),
  ];
  if (answers.length === 0)
    problems.push({ field: 'answers', problem: 'at least one question must be answered' });
  if (problems.length > 0) throw invalidParameters(problems);
  return inQuestionOrder(questions, answers);
}
