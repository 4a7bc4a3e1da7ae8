import type { FastifyRequest } from 'fastify';
import { AppError } from '../domain/errors.js';

/** NUL and unpaired UTF-16 surrogates: PostgreSQL's text and jsonb cannot hold them, so a write would fail. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is the very character refused.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, 'g');

const PROBLEM = 'must not contain NUL (U+0000) or an unpaired UTF-16 surrogate';

/** JSON nested deeper than this is refused: no client needs it, and a walk over 10,000 levels overflows the stack. */
export const MAX_NESTING = 256;
const TOO_DEEP = 'must not nest objects and arrays more than 256 levels deep';

/**
 * The path to the first string, key or value, that PostgreSQL cannot store, with its problem; null when
 * there is none. One walk, and the path is built only for the string found, so a 10,000-row upload
 * allocates no paths. A value nested past MAX_NESTING is a problem too, found before the stack runs out.
 */
function unstorablePath(value: unknown, depth = 0): { path: string[]; problem: string } | null {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? { path: [], problem: PROBLEM } : null;
  if (typeof value !== 'object' || value === null) return null;
  if (depth >= MAX_NESTING) return { path: [], problem: TOO_DEEP };
  for (const key in value) {
    if (UNSTORABLE.test(key)) return { path: [key], problem: PROBLEM };
    const found = unstorablePath((value as Record<string, unknown>)[key], depth + 1);
    if (found !== null) return { path: [key, ...found.path], problem: found.problem };
  }
  return null;
}

/** A field name that is safe to echo in an error: the offending characters become U+FFFD. */
const fieldName = (part: string, path: string[]) =>
  [part, ...path]
    .filter((s) => s !== '')
    .map((s) => s.replace(UNSTORABLE_ALL, '\ufffd'))
    .join('/');

/** Fields are named as validation errors name them: body fields bare, others under their part. */
const PARTS = [
  ['params', (r: FastifyRequest) => r.params],
  ['querystring', (r: FastifyRequest) => r.query],
  ['', (r: FastifyRequest) => r.body],
] as const;

/**
 * A preValidation hook: text PostgreSQL cannot store, or JSON nested past MAX_NESTING, is a 400
 * invalid_parameters naming the field, before any route runs, in every part of the request (a CSV body is
 * one string).
 */
/** The first body field PostgreSQL cannot store, with its problem: for a body parsed after this hook ran. */
export function unstorableField(body: unknown): { field: string | null; problem: string } | null {
  const found = unstorablePath(body);
  return found && { field: fieldName('', found.path) || null, problem: found.problem };
}

export async function refuseUnstorableText(request: FastifyRequest) {
  for (const [part, read] of PARTS) {
    const found = unstorablePath(read(request));
    if (found === null) continue;
    const field = fieldName(part, found.path) || null;
    throw new AppError('invalid_parameters', `${field ?? 'The body'} ${found.problem}.`, [
      { field, problem: found.problem },
    ]);
  }
}
