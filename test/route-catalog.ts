import type { FastifySchemaCompiler } from 'fastify';
import { buildValidator } from '../src/http/validation.js';
import type { TestApp } from './harness.js';

/**
 * A face's routes as the app's own OpenAPI document describes them, and valid sample values made from their
 * schemas, so that the shared suites cover a route as soon as it is registered.
 */
export type Schema = Record<string, unknown> & {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  anyOf?: Schema[];
  items?: Schema;
  $ref?: string;
};

export interface Route {
  method: string;
  path: string;
  /** e.g. "PATCH /v1/users/{id}", for test names. */
  label: string;
  params: string[];
  /** The application/json request body schema, references resolved. */
  body: Schema | null;
  /** The policy gate the route's caller must pass before anything they sent is read (`x-gate`). */
  gate: string | null;
}

/** A public route that proves its caller another way than a key (`x-authentication`: a webhook's signature). */
export interface SignedRoute extends Route {
  authentication: string;
}

export interface Doc {
  openapi: string;
  paths: Record<
    string,
    Record<
      string,
      {
        security?: unknown[];
        requestBody?: { content?: Record<string, { schema: Schema }> };
        'x-gate'?: string;
        'x-authentication'?: string;
      }
    >
  >;
  components?: { schemas?: Record<string, Schema> };
}

export const WRITE_METHODS = new Set(['post', 'patch', 'put', 'delete']);

/** Replaces every "#/components/schemas/X" reference with the schema itself. */
export function deref(schema: unknown, doc: Doc, depth = 0): Schema {
  if (depth > 20 || schema === null || typeof schema !== 'object') return schema as Schema;
  if (Array.isArray(schema)) return schema.map((s) => deref(s, doc, depth + 1)) as unknown as Schema;
  const ref = (schema as Schema).$ref;
  if (typeof ref === 'string') {
    const target = doc.components?.schemas?.[ref.replace('#/components/schemas/', '')];
    if (!target) throw new Error(`unresolved reference ${ref}`);
    return deref(target, doc, depth + 1);
  }
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, deref(v, doc, depth + 1)])) as Schema;
}

/** The routes of the face under `prefix` (e.g. /v1), from the document the app serves at /openapi.json. */
export async function loadRoutes(
  t: TestApp,
  prefix: string,
): Promise<{ doc: Doc; routes: Route[]; signed: SignedRoute[] }> {
  const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as Doc;
  const routes: Route[] = [];
  const signed: SignedRoute[] = [];
  for (const [path, operations] of Object.entries(doc.paths)) {
    if (!path.startsWith(`${prefix}/`)) continue;
    for (const [method, op] of Object.entries(operations)) {
      const json = op.requestBody?.content?.['application/json']?.schema;
      const route: Route = {
        method,
        path,
        label: `${method.toUpperCase()} ${path}`,
        params: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string),
        body: json ? deref(json, doc) : null,
        gate: op['x-gate'] ?? null,
      };
      // A public route (`security: []`) takes no key: one that proves its caller otherwise (a webhook's
      // signature) gets the signed cases instead; one that takes no proof at all has its own suite.
      if (Array.isArray(op.security) && op.security.length === 0) {
        const authentication = op['x-authentication'];
        if (authentication) signed.push({ ...route, authentication });
        continue;
      }
      routes.push(route);
    }
  }
  return { doc, routes, signed };
}

/** The server's own body validator (strict, no coercion), to check generated values against a schema. */
const compile = buildValidator({});
export function validator(schema: Schema) {
  const fn = compile({ schema, method: 'POST', url: '/', httpPart: 'body' }) as ReturnType<
    FastifySchemaCompiler<unknown>
  >;
  return (value: unknown) => fn(value) === true;
}

/**
 * The kind of object a path parameter names: the segment before an {id} (/v1/goals/{id}/milestones →
 * goals), or the parameter's own name otherwise ({user_id} → users).
 */
export function kindOf(path: string, param: string): string {
  if (param !== 'id') return kindsForField(param)[0] ?? param;
  const segments = path.split('/');
  const at = segments.indexOf(`{${param}}`);
  return segments[at - 1] ?? '';
}

export const fill = (path: string, ids: Record<string, number | string>) =>
  path.replace(/\{(\w+)\}/g, (_m, name: string) => String(ids[name] ?? ''));

let serial = 0;
/** A unique token, so that generated names and emails never collide with a unique index. */
export const token = () => `s${Date.now().toString(36)}${(++serial).toString(36)}`;

export interface SampleContext {
  /** An id for a reference field (e.g. period_id), when one is known. */
  idFor?: (field: string) => number | undefined;
  /** Optional fields to include as well, for rules a schema cannot express ("period_id or dates"). */
  extra?: (field: string, schema: Schema) => boolean;
  /** The value for booleans: true to raise explicit overrides such as before_end. */
  flag?: boolean;
}

const DATE = '2030-01-15';

function sampleString(s: Schema): string {
  const enumValues = s.enum as string[] | undefined;
  if (enumValues?.[0] !== undefined) return enumValues[0];
  if (typeof s.const === 'string') return s.const;
  if (s.format === 'email') return `${token()}@example.com`;
  if (s.format === 'date') return DATE;
  if (s.format === 'date-time') return `${DATE}T09:00:00.000Z`;
  if (typeof s.pattern === 'string') {
    const candidates = ['USD', 'abc', 'x', '1', 'a-b'];
    const found = candidates.find((c) => new RegExp(s.pattern as string).test(c));
    if (found) return found;
  }
  const min = Math.max(1, Number(s.minLength ?? 1));
  const max = Number(s.maxLength ?? 100);
  return token().padEnd(min, 'x').slice(0, max);
}

function sampleNumber(s: Schema, field: string, ctx: SampleContext): number {
  const known = ctx.idFor?.(field);
  if (known !== undefined) return known;
  const low = s.minimum ?? (s.exclusiveMinimum !== undefined ? Number(s.exclusiveMinimum) + 1 : -Infinity);
  // As close to 1 as the bounds allow: a plausible count, weight or confidence.
  return Math.min(Math.max(1, Number(low)), Number(s.maximum ?? Infinity));
}

/** The alternatives a schema accepts: its anyOf, or one schema per entry of a type list (nullable). */
export function variants(s: Schema): Schema[] {
  if (s.anyOf) return s.anyOf;
  if (Array.isArray(s.type)) return s.type.map((type) => (type === 'null' ? { type } : { ...s, type }));
  return [s];
}

/** A valid value for a schema: required properties only (plus enough optional ones for minProperties). */
export function sample(s: Schema, ctx: SampleContext = {}, field = ''): unknown {
  if (s.const !== undefined) return s.const;
  const alternatives = variants(s);
  if (alternatives.length > 1 || s.anyOf) {
    const numeric = ctx.idFor?.(field) !== undefined && alternatives.find((v) => v.type === 'integer');
    const variant = numeric || alternatives.find((v) => v.type !== 'null') || alternatives[0];
    return variant ? sample(variant, ctx, field) : null;
  }
  switch (s.type) {
    case 'string':
      return sampleString(s);
    case 'integer':
    case 'number':
      return sampleNumber(s, field, ctx);
    case 'boolean':
      return ctx.flag ?? false;
    case 'null':
      return null;
    case 'array': {
      // A list of references gets one real id, so that a write with it changes something.
      const length = Math.max(Number(s.minItems ?? 0), ctx.idFor?.(field) === undefined ? 0 : 1);
      return Array.from({ length }, () => sample(s.items ?? {}, ctx, field));
    }
    default:
      return sampleObject(s, ctx);
  }
}

function sampleObject(s: Schema, ctx: SampleContext): Record<string, unknown> {
  const properties = s.properties ?? {};
  const names = new Set(s.required ?? []);
  for (const name of Object.keys(properties)) {
    if (names.size >= Number(s.minProperties ?? 0)) break;
    names.add(name);
  }
  for (const [name, schema] of Object.entries(properties)) if (ctx.extra?.(name, schema)) names.add(name);
  const value: Record<string, unknown> = {};
  for (const name of names) value[name] = sample(properties[name] ?? {}, ctx, name);
  return value;
}

/** Kinds a reference field or path parameter may point at: period_id → periods, owner_user_id → users. */
export function kindsForField(field: string): string[] {
  const base = field.replace(/_ids?$/, '');
  const last = base.split('_').pop() ?? base;
  const kinds = [`${base.replaceAll('_', '-')}s`, `${last}s`];
  if (
    [
      'manager',
      'report',
      'owner',
      'giver',
      'recipient',
      'receiver',
      'holder',
      'actor',
      'provider',
      'requester',
    ].includes(last)
  ) {
    kinds.push('users');
  }
  return kinds;
}
