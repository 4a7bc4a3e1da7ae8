import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import { _, Ajv, type KeywordCxt, type ValidateFunction } from 'ajv';

/**
 * Response serialisation. fast-json-stringify (Fastify's default) writes only what the response schema
 * declares, so that nothing else can leak; on string-heavy payloads it is slower than JSON.stringify and
 * builds a rope the socket must flatten. So each route's schema also gets an exact-shape check: when a
 * payload has no undeclared property and every value already has its declared type, both would write the
 * same JSON (key order aside) and JSON.stringify does it; any other payload (a Date, say, which
 * fast-json-stringify writes as its toISOString()) goes to fast-json-stringify as before. A schema with
 * keywords the check does not model (oneOf, allOf, patternProperties, ...) always goes to fast-json-stringify.
 */

type Schema = Record<string, unknown>;
type Resolve = (ref: string) => Schema | undefined;

/** Keywords that change nothing in what fast-json-stringify writes for a value of the declared type. */
const INERT = new Set([
  ...['$id', '$schema', 'title', 'description', 'examples', 'deprecated', 'readOnly', 'writeOnly', 'format'],
  ...['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minLength', 'maxLength'],
  ...['pattern', 'minItems', 'maxItems', 'uniqueItems', 'minProperties', 'maxProperties', 'contentMediaType'],
]);
const MODELLED = new Set([
  ...['type', 'properties', 'required', 'additionalProperties', 'items', 'anyOf', 'const', 'enum'],
  ...['nullable', '$ref', 'default'],
]);
const JSON_TYPES = new Set(['string', 'integer', 'number', 'boolean', 'null', 'array', 'object']);

class Unsupported extends Error {}

function typesOf(schema: Schema): string[] | null {
  const declared = schema.type ?? (schema.properties ? 'object' : undefined);
  if (declared === undefined) return null;
  const types = Array.isArray(declared) ? (declared as string[]) : [declared as string];
  if (types.some((t) => !JSON_TYPES.has(t))) throw new Unsupported();
  return schema.nullable === true ? [...types, 'null'] : types;
}

/** anyOf is modelled when no value can match two branches: then both serialisers use the same branch. */
function assertDisjoint(branches: Schema[]) {
  if (branches.every((b) => 'const' in b)) return;
  const seen = new Set<string>();
  for (const branch of branches) {
    const types = typesOf(branch)?.flatMap((t) => (t === 'number' ? ['number', 'integer'] : [t]));
    if (!types || types.some((t) => seen.has(t))) throw new Unsupported();
    for (const t of types) seen.add(t);
  }
}

/**
 * Literals and bare types as one enum or one type list. Ajv builds an error object for every branch of an
 * anyOf a value fails before the one it matches: on a page of goals that was most of the check's time.
 */
function mergedBranches(branches: Schema[]): Schema | null {
  if (!branches.every((b) => Object.keys(b).every((k) => k === 'type' || k === 'const'))) return null;
  const literals = branches.filter((b) => 'const' in b).map((b) => b.const);
  const bare = branches.filter((b) => !('const' in b)).flatMap((b) => b.type as string[]);
  if (literals.length === 0) return { type: [...new Set(bare)] };
  if (bare.every((t) => t === 'null')) return { enum: bare.length > 0 ? [...literals, null] : literals };
  return null;
}

/**
 * The schema of an exact shape, for Ajv: $refs inlined, undeclared properties refused, a property with a
 * default required (fast-json-stringify would write the default in place of a missing value), plain objects
 * only (a Date or a class instance serialises differently), and no keyword that fast-json-stringify ignores.
 */
function exactShape(input: Schema | boolean, resolve: Resolve, seen: Set<Schema>): Schema | boolean {
  if (input === true) return true;
  if (input === false || seen.has(input)) throw new Unsupported(); // recursion stays with fast-json-stringify
  if (Object.keys(input).some((k) => !INERT.has(k) && !MODELLED.has(k))) throw new Unsupported();
  if (typeof input.$ref === 'string') {
    const target = resolve(input.$ref);
    if (!target || Object.keys(input).some((k) => k !== '$ref' && !INERT.has(k))) throw new Unsupported();
    return exactShape(target, resolve, new Set([...seen, input]));
  }
  const inner = new Set([...seen, input]);
  const sub = (s: unknown) => exactShape(s as Schema, resolve, inner) as Schema;
  const out: Schema = {};
  const types = typesOf(input);
  if (types) out.type = types;
  if ('const' in input) out.const = input.const;
  if (input.enum !== undefined) out.enum = input.enum;
  if (Array.isArray(input.anyOf)) {
    const branches = input.anyOf.map(sub);
    assertDisjoint(branches);
    Object.assign(out, mergedBranches(branches) ?? { anyOf: branches });
  }
  if (types?.includes('array') && input.items !== undefined) {
    if (typeof input.items !== 'object' || Array.isArray(input.items)) throw new Unsupported();
    out.items = sub(input.items);
  }
  if (types?.includes('object')) Object.assign(out, objectShape(input, sub));
  return out;
}

function objectShape(input: Schema, sub: (s: unknown) => Schema) {
  const properties = (input.properties ?? {}) as Record<string, Schema>;
  const additional = input.additionalProperties ?? false;
  if (typeof additional !== 'boolean') throw new Unsupported();
  const withDefault = Object.keys(properties).filter((k) => 'default' in (properties[k] as Schema));
  return {
    plainObject: true,
    properties: Object.fromEntries(Object.entries(properties).map(([k, s]) => [k, sub(s)])),
    required: [...new Set([...((input.required as string[]) ?? []), ...withDefault])],
    additionalProperties: additional,
  };
}

function shapeValidator() {
  const ajv = new Ajv({ strict: false, strictNumbers: true, validateFormats: false, allErrors: false });
  // Inlined in the check's code: a page of goals runs it on hundreds of objects.
  ajv.addKeyword({
    keyword: 'plainObject',
    type: 'object',
    schemaType: 'boolean',
    code(cxt: KeywordCxt) {
      const proto = cxt.gen.const('proto', _`Object.getPrototypeOf(${cxt.data})`);
      cxt.fail(_`${proto} !== Object.prototype && ${proto} !== null`);
    },
  });
  return ajv;
}

/** The exact-shape check of a response schema, or null when the schema uses what the check does not model. */
export function compileShapeCheck(
  schema: Schema,
  externalSchemas: Record<string, Schema>,
  ajv = shapeValidator(),
): ValidateFunction | null {
  const resolve: Resolve = (ref) => externalSchemas[ref.replace(/#$/, '')];
  try {
    return ajv.compile(exactShape(schema, resolve, new Set()) as Schema);
  } catch (error) {
    if (error instanceof Unsupported) return null;
    throw error;
  }
}

type Route = { schema?: unknown; method: string; url: string; httpStatus: string };

/** Fastify's compilersFactory.buildSerializer: the exact-shape fast path, else fast-json-stringify. */
export function buildSerializer(externalSchemas: Record<string, Schema> = {}, options?: object) {
  const fallback = SerializerSelector()(externalSchemas, options);
  const ajv = shapeValidator();
  return (route: Route) => {
    const slow = fallback(route);
    // Compiled on first use: most routes never answer most of their declared statuses.
    let check: ValidateFunction | null | undefined;
    return (payload: unknown) => {
      if (check === undefined) check = compileShapeCheck(route.schema as Schema, externalSchemas, ajv);
      // As bytes: V8 builds a long JSON.stringify result in pieces, and Fastify (the length) and Node (the
      // header) would each flatten or copy a string of them again; a Buffer is written as it is.
      return check?.(payload) ? Buffer.from(JSON.stringify(payload)) : slow(payload);
    };
  };
}
