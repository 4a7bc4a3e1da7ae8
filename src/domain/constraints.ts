import { uniqueConstraints as calibrationSessions } from './calibration/sessions.js';
import { uniqueConstraints as editRequests } from './conversations/edit-requests.js';
import { uniqueConstraints as departments } from './departments/service.js';
import { AppError } from './errors.js';
import { uniqueConstraints as feedback } from './feedback/templates.js';
import { uniqueConstraints as groups } from './groups/service.js';
import { uniqueConstraints as keys } from './keys/service.js';
import { uniqueConstraints as oauthApps } from './oauth/apps.js';
import { uniqueConstraints as companyValues } from './recognition/values.js';
import { uniqueConstraints as teams } from './teams/service.js';
import { uniqueConstraints as users } from './users/types.js';

/**
 * A write the database refused after the services' own checks passed (a concurrent write, most often):
 * each area names its unique indexes beside its rules, and this composes them. A new area adds one line.
 */
const UNIQUE_CONSTRAINTS: Record<string, string> = {
  ...users,
  ...keys,
  ...departments,
  ...groups,
  ...teams,
  ...feedback,
  ...companyValues,
  ...editRequests,
  ...calibrationSessions,
  ...oauthApps,
};

/** PostgreSQL's constraint errors (PGlite raises the same codes): the index is the last word on uniqueness. */
export function constraintError(error: { code?: unknown; constraint?: unknown }): AppError | null {
  if (error.code === '23505') {
    return new AppError('duplicate_resource', UNIQUE_CONSTRAINTS[String(error.constraint)] ?? undefined);
  }
  if (error.code === '23503') {
    return new AppError('invalid_operation', 'The request refers to an object that does not exist.');
  }
  return null;
}
