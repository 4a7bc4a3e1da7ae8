// Typed questions and their answers as stored in JSON columns by conversations and feedback alike; the rules
// about them are in src/domain/questions/questions.ts.

export type QuestionType = 'paragraph' | 'scale' | 'star_rating' | 'single_select' | 'multi_select';

/** A scale point's label: `value` is the point (1 to scale_max). */
export interface ScaleLabel {
  value: number;
  label: string;
}

/** One question, as stored: id, text, required, and the fields of its type only. */
export interface Question {
  id: number;
  type: QuestionType;
  text: string;
  required: boolean;
  /** paragraph: the most characters an answer may have. */
  limit?: number;
  /** scale: answers run from 1 to scale_max. */
  scale_max?: number;
  /** scale: a label per point, optional, in the order of the points. */
  labels?: ScaleLabel[];
  /** star_rating: answers run from 1 to stars. */
  stars?: number;
  /** single_select and multi_select: the choices. */
  options?: string[];
}

export type AnswerValue = string | number | string[];

/** An answer names its question by id. */
export interface Answer {
  question_id: number;
  value: AnswerValue;
}
