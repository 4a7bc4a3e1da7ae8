import { Ajv, type FormatDefinition, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** 0001-01-01T00:00:00Z: PostgreSQL has no year 0000, which ISO 8601's four digits allow. */
const FIRST_MOMENT = Date.parse('0001-01-01T00:00:00Z');
const YEAR_ZERO = /^0000-/;

/** A date or date-time from the year 0001 on: earlier ones PostgreSQL refuses or reads as BC. */
const fromYearOne = (text: string) => {
  const moment = Date.parse(text);
  return !YEAR_ZERO.test(text) && !(moment < FIRST_MOMENT);
};

/** ajv-formats' date and date-time, narrowed to what PostgreSQL stores. */
function fromYearOneFormats(ajv: Ajv) {
  for (const name of ['date', 'date-time']) {
    const format = ajv.formats[name] as FormatDefinition<string>;
    const validate = format.validate as (text: string) => boolean;
    ajv.addFormat(name, { ...format, validate: (text: string) => validate(text) && fromYearOne(text) });
  }
  return ajv;
}

const makeAjv = (options: Options, externalSchemas: Record<string, unknown>) => {
  const ajv = fromYearOneFormats(
    addFormats(new Ajv({ removeAdditional: false, useDefaults: true, strict: false, ...options })),
  );
  for (const schema of Object.values(externalSchemas)) ajv.addSchema(schema as object);
  return ajv;
};

/**
 * Fastify's validator factory (schemaController.compilersFactory.buildValidator): bodies are validated
 * strictly (wrong types and unknown fields are errors, nothing is coerced); query strings and path params
 * arrive as text, so they are coerced to the schema's types.
 */
export function buildValidator(externalSchemas: Record<string, unknown>): FastifySchemaCompiler<unknown> {
  const strict = makeAjv({ coerceTypes: false }, externalSchemas);
  const coercing = makeAjv({ coerceTypes: 'array' }, externalSchemas);
  return ({ schema, httpPart }) =>
    (httpPart === 'body' ? strict : coercing).compile(schema as object) as ReturnType<
      FastifySchemaCompiler<unknown>
    >;
}
