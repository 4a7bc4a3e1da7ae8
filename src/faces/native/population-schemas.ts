import { Type } from '@sinclair/typebox';
import { Id } from '../shared/fields.js';

/**
 * A population as a client sends it (src/domain/directory/population.ts), once for every area that takes
 * one (conversation deployments, calibration cycles).
 */
export const Audience = Type.Union(
  [Type.Literal('everyone'), Type.Literal('departments'), Type.Literal('groups'), Type.Literal('people')],
  { description: 'everyone; or the people of department_ids (sub-departments too), group_ids or user_ids.' },
);
const Ids = (description: string) =>
  Type.Array(Id, { minItems: 1, maxItems: 10_000, uniqueItems: true, description });

/** The fields of a body that names a population: its audience and exactly the list it takes. */
export const populationFields = {
  audience: Audience,
  department_ids: Type.Optional(Ids('With audience departments.')),
  group_ids: Type.Optional(Ids('With audience groups.')),
  user_ids: Type.Optional(Ids('With audience people.')),
};
