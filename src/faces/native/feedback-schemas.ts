import { Type } from '@sinclair/typebox';
import { Id, Nullable, Text } from '../shared/fields.js';

/** The schemas the feedback routes share: questions, answers and anonymity. */

export const Anonymity = Type.Union(
  [Type.Literal('named'), Type.Literal('anonymous_to_recipient'), Type.Literal('anonymous_to_all')],
  {
    description:
      'named: providers are shown to every reader. anonymous_to_recipient: hidden from the recipient, shown to ' +
      'their managers and HR. anonymous_to_all: hidden from everyone but the provider. Hidden providers answers ' +
      'reach readers only pooled, once the anonymity threshold of providers answered.',
  },
);

const QuestionType = Type.Union([
  Type.Literal('paragraph'),
  Type.Literal('scale'),
  Type.Literal('star_rating'),
  Type.Literal('single_select'),
  Type.Literal('multi_select'),
]);

const questionFields = {
  type: QuestionType,
  text: Text(500, 1),
  limit: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 10_000,
      description: 'paragraph: most characters (default 10,000).',
    }),
  ),
  scale_max: Type.Optional(
    Type.Integer({ minimum: 2, maximum: 25, description: 'scale: answers run 1 to this.' }),
  ),
  labels: Type.Optional(
    Type.Array(Type.Object({ value: Type.Integer({ minimum: 1, maximum: 25 }), label: Text(100, 1) }), {
      maxItems: 25,
      description: 'scale: a label per point, optional.',
    }),
  ),
  stars: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 5, description: 'star_rating: at most 5 (default 5).' }),
  ),
  options: Type.Optional(
    Type.Array(Text(200, 1), { maxItems: 50, description: 'single_select and multi_select: the choices.' }),
  ),
};

export const QuestionInput = Type.Object(
  {
    ...questionFields,
    required: Type.Optional(Type.Boolean({ description: 'Must be answered (default false).' })),
  },
  { additionalProperties: false },
);
export const Questions = Type.Array(QuestionInput, { minItems: 1, maxItems: 50 });

export const Question = Type.Object(
  { id: Type.Integer(), ...questionFields, required: Type.Boolean() },
  { $id: 'FeedbackQuestion' },
);

const AnswerValue = Type.Union(
  [Type.String({ maxLength: 10_000 }), Type.Integer(), Type.Array(Text(200), { maxItems: 50 })],
  {
    description:
      'Text (paragraph, single_select), a whole number (scale, star_rating) or a list of options (multi_select).',
  },
);
export const Answers = Type.Array(
  Type.Object({ question_id: Id, value: AnswerValue }, { additionalProperties: false }),
  {
    maxItems: 50,
  },
);

export const NullableDate = Nullable(Type.String({ format: 'date' }));
