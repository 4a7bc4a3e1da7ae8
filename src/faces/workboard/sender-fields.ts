import type { FastifyRequest } from 'fastify';
import { AppError } from '../../domain/errors.js';
import type { App } from '../../http/instance.js';
import { unstorableField } from '../../http/storable-text.js';

/**
 * WorkBoard's senders post JSON, form fields, or nothing but a query string. In the scope this is called
 * on, JSON and form bodies arrive as the text received: a signature is over that text, and a sender's
 * malformed body is the webhook's refusal (invalid_webhook_action), not a framework error.
 */
export function keepBodiesAsText(scope: App) {
  scope.removeContentTypeParser('application/json');
  scope.addContentTypeParser(
    ['application/json', 'application/x-www-form-urlencoded'],
    { parseAs: 'string' },
    (_request, body, done) => done(null, body),
  );
}

export const rawBody = (request: FastifyRequest) => (typeof request.body === 'string' ? request.body : '');

const badAction = (why: string) => new AppError('invalid_webhook_action', why);

function bodyFields(request: FastifyRequest): Record<string, unknown> {
  const body = rawBody(request);
  if (body.trim() === '') return {};
  if (String(request.headers['content-type'] ?? '').includes('x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(body));
  }
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw badAction('The body is neither JSON nor form fields.');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw badAction('The body must be a JSON object.');
  }
  return value as Record<string, unknown>;
}

/** The query string's fields and the body's (the body wins), refused when PostgreSQL could not store them. */
export function senderFields(request: FastifyRequest): Record<string, unknown> {
  const fields = { ...(request.query as Record<string, unknown>), ...bodyFields(request) };
  // Checked again once parsed: a JSON "\u0000" only becomes a NUL here.
  const unstorable = unstorableField(fields);
  if (unstorable) throw badAction(`${unstorable.field ?? 'The body'} ${unstorable.problem}.`);
  return fields;
}

/** A number as WorkBoard's senders write one: a JSON number or a numeric string ("1,250" is not one). */
export function numberField(fields: Record<string, unknown>, name: string): number | undefined {
  const raw = fields[name];
  if (raw === undefined || raw === null || raw === '') return undefined;
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw.trim()) : Number.NaN;
  if (!Number.isFinite(value) || Math.abs(value) > 1e15) {
    throw badAction(`${name} must be a number between -1e15 and 1e15.`);
  }
  return value;
}

/** An id as WorkBoard's senders write one: a positive integer, as a number or a string of digits. */
export function idField(fields: Record<string, unknown>, name: string): number | undefined {
  const raw = fields[name];
  if (raw === undefined || raw === null || raw === '') return undefined;
  const text = String(raw).trim();
  if (!/^[1-9]\d{0,14}$/.test(text)) throw badAction(`${name} must be a positive integer id.`);
  return Number(text);
}

/** Text of at most `max` characters; empty counts as absent. */
export function textField(fields: Record<string, unknown>, name: string, max: number): string | undefined {
  const raw = fields[name];
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw !== 'string' && typeof raw !== 'number') throw badAction(`${name} must be text.`);
  const text = String(raw);
  if (text.length > max) throw badAction(`${name} is longer than ${max} characters.`);
  return text;
}
