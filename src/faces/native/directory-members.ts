import { Type } from '@sinclair/typebox';
import { Nullable } from '../shared/fields.js';

/** A person as a group's or team's member list shows them. */
export const memberFields = {
  user_id: Type.Integer(),
  email: Type.String(),
  first_name: Type.String(),
  last_name: Type.String(),
  preferred_name: Nullable(Type.String()),
  title: Nullable(Type.String()),
  department_id: Nullable(Type.Integer()),
  status: Type.Union([Type.Literal('active'), Type.Literal('deactivated')]),
};
