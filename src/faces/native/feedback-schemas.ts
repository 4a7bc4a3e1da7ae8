import { Type } from '@sinclair/typebox';
import { Nullable } from '../shared/fields.js';
import { QuestionInput } from './question-schemas.js';

/** The schemas the feedback routes share: a template's questions, anonymity, dates. */

export const Anonymity = Type.Union(
  [Type.Literal('named'), Type.Literal('anonymous_to_recipient'), Type.Literal('anonymous_to_all')],
  {
    description:
      'named: providers are shown to every reader. anonymous_to_recipient: hidden from the recipient, shown to ' +
      'their managers and HR. anonymous_to_all: hidden from everyone but the provider. Hidden providers answers ' +
      'reach readers only pooled, once the anonymity threshold of providers answered.',
  },
);

/** A template's questions: the shared question (question-schemas.ts), feedback adds nothing to it. */
export const Questions = Type.Array(QuestionInput({}), { minItems: 1, maxItems: 50 });

export const NullableDate = Nullable(Type.String({ format: 'date' }));
