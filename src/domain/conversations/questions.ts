import type { Answer, Answers, AnswerValue, ConversationQuestion } from '../../db/schema.js';
import {
  answerProblems,
  buildQuestion,
  invalidParameters,
  type Problem,
  questionProblems,
  requiredProblems,
  type QuestionInput as TypedQuestionInput,
  inputOf as typedInputOf,
} from '../questions/questions.js';

/**
 * Conversations' questions and answers: the shared rules (src/domain/questions/questions.ts) with the
 * conversation's own field, `confidential`, and answers kept by question id, a side at a time.
 */

/** The paragraph limit of a question that names none. */
export const PARAGRAPH_LIMIT = 10_000;
const DEFAULTS = { paragraphLimit: PARAGRAPH_LIMIT };

/** A question as a client sends it. */
export type QuestionInput = TypedQuestionInput & { confidential?: boolean | undefined };
export type AnswerInput = Answer;

/** Refuses questions that do not fit their type; `at` names the list (`manager_questions`). */
export function assertQuestions(lists: [at: string, questions: QuestionInput[]][]): void {
  const problems = lists.flatMap(([at, questions]) =>
    questions.flatMap((q, i) => questionProblems(q, `${at}[${i}]`)),
  );
  if (problems.length > 0) throw invalidParameters(problems);
}

/** A question checked by assertQuestions, given its id. */
export const questionOf = (input: QuestionInput, id: number): ConversationQuestion => ({
  ...buildQuestion(input, id, DEFAULTS),
  confidential: input.confidential ?? false,
});

/** A stored question as input again, for a version that keeps one side's questions and renews the other. */
export const inputOf = (q: ConversationQuestion): QuestionInput => typedInputOf(q);

/** A side's answers checked against that side's questions (another side's or template's are refused). */
export function checkedAnswers(questions: ConversationQuestion[], inputs: AnswerInput[]): Answers {
  const problems = answerProblems(questions, inputs);
  if (problems.length > 0) throw invalidParameters(problems);
  return Object.fromEntries(inputs.map((a) => [String(a.question_id), a.value]));
}

/** Refuses a submission that leaves a required question unanswered. */
export function assertComplete(questions: ConversationQuestion[], answers: Answers): void {
  const problems: Problem[] = requiredProblems(questions, new Set(Object.keys(answers).map(Number)));
  if (problems.length > 0) throw invalidParameters(problems);
}

/** Answers as a list in the questions' order. */
export const answerList = (questions: ConversationQuestion[], answers: Answers) =>
  questions
    .filter((q) => String(q.id) in answers)
    .map((q) => ({ question_id: q.id, value: answers[String(q.id)] as AnswerValue }));
