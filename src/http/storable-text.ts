import type { FastifyRequest } from 'fastify';
import { AppError } from '../domain/errors.js';

/** NUL and unpaired UTF-16 surrogates: PostgreSQL's text and jsonb cannot hold them, so a write would fail. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is the very character refused.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, 'g');

const PROBLEM = 'must not contain NUL (U+0000) or an unpaired UTF-16 surrogate';

/** A path segment that is safe to echo in an error: the offending characters become U+FFFD. */
const shown = (segment: string) => segment.replace(UNSTORABLE_ALL, '\ufffd');
const join = (path: string, segment: string) => (path ? `${path}/${shown(segment)}` : shown(segment));

/** The path of the first string, key or value, that PostgreSQL cannot store; null when there is none. One walk. */
export function unstorablePath(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? path : null;
  if (typeof value !== 'object' || value === null) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unstorablePath(value[i], join(path, String(i)));
      if (found !== null) return found;
    }
    return null;
  }
  for (const key in value) {
    if (UNSTORABLE.test(key)) return join(path, key);
    const found = unstorablePath((value as Record<string, unknown>)[key], join(path, key));
    if (found !== null) return found;
  }
  return null;
}

/** Fields are named as validation errors name them: body fields bare, others under their part. */
const PARTS = [
  ['params', (r: FastifyRequest) => r.params],
  ['querystring', (r: FastifyRequest) => r.query],
  ['', (r: FastifyRequest) => r.body],
] as const;

/**
 * A preValidation hook: text PostgreSQL cannot store is a 400 invalid_parameters naming the field, before
 * any route runs, in every part of the request (a CSV body is one string).
 */
export async function refuseUnstorableText(request: FastifyRequest) {
  for (const [part, read] of PARTS) {
    const found = unstorablePath(read(request), part);
    if (found === null) continue;
    const field = found || null;
    throw new AppError('invalid_parameters', `${field ?? 'The body'} ${PROBLEM}.`, [
      { field, problem: PROBLEM },
    ]);
  }
}
