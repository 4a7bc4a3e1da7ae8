import { type Schema, sample, validator, variants } from './route-catalog.js';

/** A request body that breaks its schema in exactly one place, and the code the answer must carry. */
export interface BadBody {
  label: string;
  body: unknown;
  code: 'invalid_parameters' | 'missing_required_parameters';
}

const jsonType = (v: unknown) =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' ? 'number' : typeof v;

/** The JSON types a schema accepts; null when it accepts anything. */
function acceptedTypes(s: Schema): Set<string> | null {
  const types = new Set<string>();
  for (const v of variants(s)) {
    if (v.const !== undefined) types.add(jsonType(v.const));
    else if (typeof v.type === 'string') types.add(v.type === 'integer' ? 'number' : v.type);
    else return null;
  }
  return types;
}

const CANDIDATES: unknown[] = ['not-a-valid-value', 12345, true, ['x'], { x: 1 }, null];

/** A value of a JSON type the schema does not accept, or undefined when it accepts every type. */
function wrongType(s: Schema): unknown {
  const types = acceptedTypes(s);
  if (!types) return undefined;
  return CANDIDATES.find((v) => !types.has(jsonType(v)) && (v !== null || !types.has('null')));
}

/** A string one character over the limit, still in the field's format where that matters. */
function tooLong(s: Schema): string {
  const length = Number(s.maxLength) + 1;
  return s.format === 'email' ? `${'a'.repeat(length)}@example.com` : 'a'.repeat(length);
}

const sampled = (s: Schema) => sample(s) as Record<string, unknown>;

function* objectFaults(s: Schema, build: (v: unknown) => unknown, path: string): Generator<BadBody> {
  const properties = s.properties ?? {};
  const base = sampled(s);
  if (s.additionalProperties === false) {
    const body = build({ ...base, unexpected_field: 'x' });
    yield { label: `${path}: unknown field`, body, code: 'invalid_parameters' };
  }
  for (const name of s.required ?? []) {
    const { [name]: _dropped, ...rest } = base;
    yield { label: `${path}.${name}: missing`, body: build(rest), code: 'missing_required_parameters' };
  }
  for (const [name, schema] of Object.entries(properties)) {
    yield* faults(schema, (v) => build({ ...base, [name]: v }), `${path}.${name}`);
  }
}

/** Every single-fault body for a schema: wrong types, oversize strings and lists, unknown and missing fields. */
export function* faults(s: Schema, build: (v: unknown) => unknown, path = 'body'): Generator<BadBody> {
  const wrong = wrongType(s);
  if (wrong !== undefined) {
    yield { label: `${path}: ${JSON.stringify(wrong)}`, body: build(wrong), code: 'invalid_parameters' };
  }
  const bounded = variants(s).find((v) => v.type === 'string' && v.maxLength !== undefined);
  if (bounded) {
    const label = `${path}: ${Number(bounded.maxLength) + 1} characters`;
    yield { label, body: build(tooLong(bounded)), code: 'invalid_parameters' };
  }
  if (s.type === 'array' && s.items) {
    if (s.maxItems !== undefined && Number(s.maxItems) <= 10_000) {
      const items = Array.from({ length: Number(s.maxItems) + 1 }, () => sample(s.items as Schema));
      yield { label: `${path}: ${items.length} items`, body: build(items), code: 'invalid_parameters' };
    }
    yield* faults(s.items, (v) => build([v]), `${path}[0]`);
  }
  if (s.type === 'object' && s.properties) yield* objectFaults(s, build, path);
  if (s.type === 'object') yield* mapFaults(s, build, path);
}

/** Free-form maps (custom fields): a bad value under a key, and one key more than allowed. */
function* mapFaults(s: Schema, build: (v: unknown) => unknown, path: string): Generator<BadBody> {
  const patterns = Object.values((s.patternProperties ?? {}) as Record<string, Schema>);
  const values = typeof s.additionalProperties === 'object' ? s.additionalProperties : patterns[0];
  if (values) yield* faults(values as Schema, (v) => build({ key: v }), `${path}.key`);
  if (s.maxProperties !== undefined && Number(s.maxProperties) <= 1000) {
    const map = Object.fromEntries(
      Array.from({ length: Number(s.maxProperties) + 1 }, (_, i) => [`k${i}`, 1]),
    );
    yield {
      label: `${path}: ${Number(s.maxProperties) + 1} keys`,
      body: build(map),
      code: 'invalid_parameters',
    };
  }
}

/** The faults of a route's body that its own schema rejects (a generated value that passes is dropped). */
export function badBodies(schema: Schema): BadBody[] {
  const valid = validator(schema);
  return [...faults(schema, (v) => v)].filter((b) => !valid(b.body));
}
