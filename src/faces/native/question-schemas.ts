import { type TSchema, Type } from '@sinclair/typebox';
import { MAX_PARAGRAPH_LIMIT, MAX_SCALE, MAX_STARS } from '../../domain/questions/questions.js';
import type { App } from '../../http/instance.js';
import { DescribedId, Text } from '../shared/fields.js';

/**
 * The schemas of a typed question and of an answer, once for every area that asks questions (conversations,
 * feedback; the rules are src/domain/questions/questions.ts). An area adds its own fields around them.
 */

const QuestionType = Type.Union(
  [
    Type.Literal('paragraph'),
    Type.Literal('scale'),
    Type.Literal('star_rating'),
    Type.Literal('single_select'),
    Type.Literal('multi_select'),
  ],
  {
    description:
      'paragraph: text up to limit; scale: 1 to scale_max; star_rating: 1 to stars; single_select and ' +
      'multi_select: of options.',
  },
);

/** A question's fields besides its id and `required`: the type's own fields only. */
const typedFields = {
  type: QuestionType,
  text: Text(500, 1),
  limit: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: MAX_PARAGRAPH_LIMIT,
      description: 'paragraph: most characters (default 10,000).',
    }),
  ),
  scale_max: Type.Optional(
    Type.Integer({ minimum: 2, maximum: MAX_SCALE, description: 'scale: answers run 1 to this (required).' }),
  ),
  labels: Type.Optional(
    Type.Array(
      Type.Object({ value: Type.Integer({ minimum: 1, maximum: MAX_SCALE }), label: Text(100, 1) }),
      { maxItems: MAX_SCALE, description: 'scale: a label per point, optional.' },
    ),
  ),
  stars: Type.Optional(
    Type.Integer({ minimum: 1, maximum: MAX_STARS, description: 'star_rating: at most 5 (default 5).' }),
  ),
  options: Type.Optional(
    Type.Array(Text(200, 1), {
      maxItems: 50,
      description: 'single_select and multi_select: at least two, distinct.',
    }),
  ),
};

/** A question as a client describes it; an area's own fields go in `extra`. */
export const QuestionInput = <E extends Record<string, TSchema>>(extra: E) =>
  Type.Object(
    {
      ...typedFields,
      required: Type.Optional(Type.Boolean({ description: 'Must be answered (default false).' })),
      ...extra,
    },
    { additionalProperties: false },
  );

/** A question as stored and shown; an area's own fields go in `extra`. */
export const questionFields = {
  id: Type.Integer({ description: 'Answers name their question by this id.' }),
  ...typedFields,
  required: Type.Boolean({ description: 'Must be answered.' }),
};

export const Question = Type.Object(questionFields, { $id: 'Question' });

const AnswerValue = Type.Union(
  [
    Type.String({ maxLength: MAX_PARAGRAPH_LIMIT }),
    Type.Integer({ minimum: -1_000_000, maximum: 1_000_000 }),
    Type.Array(Text(200), { maxItems: 50 }),
  ],
  {
    description:
      'Text (paragraph, single_select), a whole number (scale, star_rating) or a list of options (multi_select).',
  },
);

export const Answer = Type.Object(
  { question_id: DescribedId('A question asked here.'), value: AnswerValue },
  { $id: 'Answer', additionalProperties: false },
);
export const Answers = Type.Array(Type.Ref(Answer), { maxItems: 50 });

/** Registers Question and Answer for Type.Ref; once, before the routes that refer to them. */
export function questionSchemas(app: App) {
  app.addSchema(Question);
  app.addSchema(Answer);
}
