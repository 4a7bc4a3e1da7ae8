import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

const makeAjv = (options: Options, externalSchemas: Record<string, unknown>) => {
  const ajv = addFormats(new Ajv({ removeAdditional: false, useDefaults: true, strict: false, ...options }));
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
