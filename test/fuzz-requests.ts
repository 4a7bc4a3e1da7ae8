import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import type { Doc, Route } from './route-catalog.js';

/**
 * Request generators for the fuzz suite (fuzz.test.ts): valid bodies, queries and path ids, mutated with
 * values that break parsers, validators and databases. FUZZ_SEED and FUZZ_RUNS (docs/fuzzing.md) make a
 * run reproducible and larger.
 */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20_261_203);
/** Requests per property in CI; FUZZ_RUNS sets the total over all properties for a larger run. */
export const runsFor = (share: number, ciRuns: number) => {
  const total = Number(process.env.FUZZ_RUNS ?? 0);
  return total > 0 ? Math.max(1, Math.round(total * share)) : ciRuns;
};

const deep = (depth: number, leaf: unknown = 1): unknown => {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
};

/** JSON values that are hostile to a field of any type. */
export const HOSTILE_VALUES: unknown[] = [
  // Other JSON types and empties.
  null,
  true,
  false,
  '',
  ' ',
  [],
  {},
  [null],
  { unknown: 1 },
  // Text PostgreSQL cannot store, oversize text and look-alikes.
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udc00y',
  '\udfff\ud800',
  'a'.repeat(10_001),
  'é'.repeat(70_000),
  '😀'.repeat(5_000),
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '../../etc/passwd',
  '%00',
  '\u202e\ufeff',
  // Numbers at and past every limit, as numbers and as strings.
  1e308,
  -1e308,
  -1,
  0,
  -0,
  0.5,
  5e-324,
  2147483648,
  -2147483649,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53),
  2 ** 63, // 9223372036854775808, one past bigint
  '9223372036854775808',
  '-9223372036854775809',
  '1e308',
  'NaN',
  'Infinity',
  '-Infinity',
  '0x10',
  '1',
  // Dates out of range, invalid and odd.
  '0000-01-01',
  '0000-01-01T00:00:00Z',
  '9999-12-31',
  '9999-12-31T23:59:59Z',
  '10000-01-01',
  '2026-02-30',
  '2026-13-01',
  '2026-02-28T25:00:00Z',
  '2026-01-01T00:00:00+99:00',
  '-0001-01-01',
  '1970-01-01T00:00:00.0000000001Z',
  // Deep nesting and big collections.
  deep(64),
  deep(2_000),
  Array.from({ length: 10_001 }, (_, i) => i),
  Object.fromEntries(Array.from({ length: 2_000 }, (_, i) => [`k${i}`, i])),
  { __proto__: { polluted: true } },
  JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}}'),
];

/** A value that fast-check reports by a short label: a counterexample of 10,000 nested arrays stays readable. */
export interface Shown<T> {
  value: T;
}
export const shown = <T>(value: T, label: string): Shown<T> =>
  ({ value, [fc.toStringMethod]: () => label }) as Shown<T>;

/** A short description of a value: itself when short, its type and size otherwise. */
export function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  if (text.length <= 80) return text;
  const size = typeof value === 'string' ? `${value.length} chars` : `${text.length} bytes of JSON`;
  return `${text.slice(0, 40)}… (${Array.isArray(value) ? 'array' : typeof value}, ${size})`;
}
const labelled = <T>(arbitrary: fc.Arbitrary<T>) => arbitrary.map((v) => shown(v, describe(v)));

/** A hostile value: one from the list, or any JSON value fast-check makes (a few are unicode-heavy). */
export const hostileValue: fc.Arbitrary<Shown<unknown>> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_VALUES.map((v) => shown(v, describe(v)))) },
  { weight: 1, arbitrary: labelled(fc.jsonValue({ maxDepth: 3 })) },
  { weight: 1, arbitrary: labelled(fc.string({ unit: 'binary', maxLength: 40 })) },
  { weight: 1, arbitrary: labelled(fc.double()) },
  { weight: 1, arbitrary: labelled(fc.integer()) },
);

type Mutation =
  | { kind: 'replace'; field: number; value: Shown<unknown> }
  | { kind: 'nested'; field: number; value: Shown<unknown> }
  | { kind: 'drop'; field: number }
  | { kind: 'unknown'; name: string; value: Shown<unknown> }
  | { kind: 'whole'; value: Shown<unknown> };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('replace'), field: fc.nat(), value: hostileValue }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('nested'), field: fc.nat(), value: hostileValue }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop'), field: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('unknown'),
      name: fc.oneof(
        fc.constantFrom('__proto__', 'constructor', '\u0000', '\ud800', 'id', 'org_id'),
        fc.string(),
      ),
      value: hostileValue,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('whole'), value: hostileValue }) },
) as fc.Arbitrary<Mutation>;

export const mutations = fc.array(mutation, { minLength: 1, maxLength: 3 });

const clone = <T>(v: T): T => (v === undefined ? v : structuredClone(v));

/** Applies mutations to a valid body; a field is named by index among the body's and the schema's fields. */
export function mutateBody(valid: unknown, fields: string[], applied: Mutation[]): unknown {
  let body = clone(valid);
  for (const m of applied) {
    if (m.kind === 'whole') {
      body = clone(m.value.value);
      continue;
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) body = {};
    const record = body as Record<string, unknown>;
    const names = [...new Set([...Object.keys(record), ...fields])];
    if (m.kind === 'unknown') {
      Object.defineProperty(record, m.name, {
        value: m.value.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
      continue;
    }
    const name = names[m.field % Math.max(1, names.length)];
    if (name === undefined) continue;
    if (m.kind === 'drop') delete record[name];
    else if (m.kind === 'replace') record[name] = clone(m.value.value);
    else {
      // One level down: into an object's first field or an array's first item, or wrapped in a list.
      const value = m.value.value;
      const current = record[name];
      if (Array.isArray(current)) record[name] = [clone(value), ...current.slice(1)];
      else if (current && typeof current === 'object') {
        const inner = Object.keys(current)[0] ?? 'x';
        record[name] = { ...current, [inner]: clone(value) };
      } else record[name] = [clone(value)];
    }
  }
  return body;
}

/** The query parameters a route's OpenAPI operation declares. */
export function queryNames(doc: Doc, route: Route): string[] {
  const op = doc.paths[route.path]?.[route.method] as
    | { parameters?: { in: string; name: string }[] }
    | undefined;
  return (op?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
}

/** Raw URL fragments, already encoded or deliberately malformed. */
export const RAW_FRAGMENTS = [
  '%00',
  'a%00b',
  '%FF',
  '%C0%AF',
  '%ED%A0%80',
  '%',
  '%zz',
  '%E2%80%AE',
  '-1',
  '0',
  '1e308',
  '9223372036854775808',
  '-9223372036854775809',
  '9007199254740993',
  'NaN',
  '1.5',
  '0x10',
  '%20%201',
  '%EF%BC%91',
  'true',
  '[]',
  '%5B%5D',
  '0000-01-01',
  '9999-12-31T23%3A59%3A59Z',
  '2026-02-30',
  '2026-02-30T00%3A00%3A00Z',
  '..',
  '%2F',
  '%2E%2E%2F',
  '',
  'a'.repeat(10_000),
  '9'.repeat(400),
  '%F0%9F%98%80',
];

const encodedString = fc.string({ unit: 'binary', maxLength: 30 }).map((s) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%A0%80';
  }
});

/** An encoded query or path value: a raw fragment, an encoded random string, or a number. */
export const rawValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...RAW_FRAGMENTS) },
  { weight: 1, arbitrary: encodedString },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double({ noNaN: true })).map(String) },
);

type QueryPart = { name: number | string; value: string; repeat: boolean };
export const queryParts = fc.array(
  fc.record({
    name: fc.oneof(
      { weight: 4, arbitrary: fc.nat() },
      { weight: 1, arbitrary: fc.constantFrom('unknown', 'a[]', 'a[b]', '%00', '__proto__', '') },
    ),
    value: rawValue,
    repeat: fc.boolean(),
  }),
  { minLength: 1, maxLength: 3 },
);

/** A query string: a valid page size, then the mutated parameters (a number picks a declared name). */
export function mutateQuery(names: string[], parts: QueryPart[]): string {
  const pairs = ['size=5'];
  for (const part of parts) {
    const name =
      typeof part.name === 'number' ? (names[part.name % Math.max(1, names.length)] ?? 'size') : part.name;
    pairs.push(`${name}=${part.value}`);
    if (part.repeat) pairs.push(`${name}=${part.value}`);
  }
  return pairs.join('&');
}

/** A path with one parameter replaced by a raw value (the others keep their real ids). */
export function mutatePath(path: string, ids: Record<string, number | string>, param: string, value: string) {
  return path.replace(/\{(\w+)\}/g, (_m, name: string) => (name === param ? value : String(ids[name] ?? '')));
}

export interface Tally {
  sent: number;
  serverErrors: number;
  envelopeViolations: number;
  refusedWrites: number;
  /** Answers by status, to see that the mutations reach validation, the domain and success. */
  statuses: Record<number, number>;
}
export const tally: Tally = {
  sent: 0,
  serverErrors: 0,
  envelopeViolations: 0,
  refusedWrites: 0,
  statuses: {},
};

/**
 * Why an answer breaks the contract, or null: never a 5xx; a JSON body in the envelope (success with data,
 * or an error with its code and the request id of the header); 204 has no body; a 2xx may be CSV.
 */
export function envelopeProblem(res: LightMyRequestResponse): string | null {
  if (res.statusCode >= 500) return `status ${res.statusCode}`;
  if (res.statusCode === 204) return res.body === '' ? null : '204 with a body';
  const type = String(res.headers['content-type'] ?? '');
  if (!type.startsWith('application/json')) {
    return res.statusCode < 300 && type.startsWith('text/csv') ? null : `content-type ${type}`;
  }
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(res.body);
  } catch {
    return 'body is not JSON';
  }
  if (body === null || typeof body !== 'object') return 'body is not an object';
  if (res.statusCode >= 400) {
    if (body.success !== false) return 'error without success: false';
    for (const key of ['error', 'message', 'error_description', 'request_id'] as const) {
      if (typeof body[key] !== 'string') return `error without ${key}`;
    }
    if (body.request_id !== res.headers['x-request-id']) return 'request_id differs from x-request-id';
    if ('data' in body) return 'error with data';
    return null;
  }
  if (body.success !== true || typeof body.message !== 'string' || !('data' in body))
    return 'not a success envelope';
  return null;
}

/** Content types a client might send, right, wrong or odd. */
export const CONTENT_TYPES: (string | null)[] = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'text/csv',
  'text/csv; charset=utf-16',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json, text/csv',
  '',
  null,
];

/** A raw body: broken JSON, CSV with hostile cells, or random text. */
export const rawBody: fc.Arbitrary<Shown<string>> = labelled(
  fc.oneof(
    fc.constantFrom(
      '{',
      '{"a":1,}',
      '[1,2',
      'null',
      '0',
      '"x"',
      '{"a":1}{"b":2}',
      '\ufeff{}',
      '{"a":"\\u0000"}',
      '{"a":"\\ud800"}',
      '{"a":1e400}',
      '{"a":-1e400}',
      '{"a":123456789012345678901234567890}',
      `${'['.repeat(10_000)}${']'.repeat(10_000)}`,
      `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`,
      'email,first_name,last_name\na\u0000@example.com,A,B',
      'email,first_name,last_name\n\ud800@example.com,A,B',
      'title,period_id\nx,9223372036854775808',
      'title,starts_on,ends_on\nx,0000-01-01,9999-12-31',
      '"unterminated,quote\n',
      'a,b\n1,2,3,4,5',
      '',
    ),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  ),
);
