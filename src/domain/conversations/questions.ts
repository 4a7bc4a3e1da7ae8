import type {
  Answer,
  Answers,
  AnswerValue,
  ConversationQuestion,
  MappedTalentField,
} from '../../db/schema.js';
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
export type QuestionInput = TypedQuestionInput & {
  confidential?: boolean | undefined;
  talent_field?: MappedTalentField | undefined;
};
export type AnswerInput = Answer;

/**
 * Why a question may not map to a talent field, or null when it may (docs/conversations.md, "Talent
 * records"): the manager's single-select questions only (an option either is a label of the cycle's scale
 * or is not), never a confidential one (a talent record is read by facilitators, and by the person once a
 * cycle publishes it, who may not read a confidential answer), and one question per field.
 */
function talentFieldProblem(q: QuestionInput, side: 'manager' | 'report', taken: Set<MappedTalentField>) {
  if (!q.talent_field) return null;
  if (side === 'report') return "only the manager's questions propose talent record values";
  if (q.type !== 'single_select') return 'only a single_select question maps to a talent field';
  if (q.confidential) return 'a confidential answer may not feed a talent record: calibrators would read it';
  if (taken.has(q.talent_field)) return `another question already maps to ${q.talent_field}`;
  taken.add(q.talent_field);
  return null;
}

/** Refuses questions that do not fit their type or map to a talent field they may not. */
export function assertQuestions(manager: QuestionInput[], report: QuestionInput[]): void {
  const taken = new Set<MappedTalentField>();
  const lists = [
    ['manager', manager],
    ['report', report],
  ] as const;
  const problems = lists.flatMap(([side, questions]) =>
    questions.flatMap((q, i) => {
      const at = `${side}_questions[${i}]`;
      const mapping = talentFieldProblem(q, side, taken);
      return [
        ...questionProblems(q, at),
        ...(mapping ? [{ field: `${at}.talent_field`, problem: mapping }] : []),
      ];
    }),
  );
  if (problems.length > 0) throw invalidParameters(problems);
}

/** A question checked by assertQuestions, given its id. */
export const questionOf = (input: QuestionInput, id: number): ConversationQuestion => ({
  ...buildQuestion(input, id, DEFAULTS),
  confidential: input.confidential ?? false,
  ...(input.talent_field && { talent_field: input.talent_field }),
});

/** The manager's submitted answers to mapped questions, by the talent field they propose. */
export const talentValues = (questions: ConversationQuestion[], answers: Answers) =>
  Object.fromEntries(
    questions
      .filter((q) => q.talent_field && typeof answers[String(q.id)] === 'string')
      .map((q) => [q.talent_field, answers[String(q.id)] as string]),
  ) as Partial<Record<MappedTalentField, string>>;

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
