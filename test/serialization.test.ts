import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { listEnvelope } from '../src/faces/native/envelope.js';
import { Nullable } from '../src/faces/shared/fields.js';
import { buildSerializer, compileShapeCheck } from '../src/http/serialization.js';

const Holder = Type.Object({ id: Type.Integer(), name: Type.String() }, { $id: 'Holder' });
const Key = Type.Object(
  {
    id: Type.Integer(),
    status: Type.Union([Type.Literal('active'), Type.Literal('revoked')]),
    holder: Nullable(Type.Ref(Holder)),
    created_at: Type.String({ format: 'date-time' }),
    revoked_at: Nullable(Type.String({ format: 'date-time' })),
    custom_fields: Type.Unsafe<Record<string, unknown>>({ type: 'object', additionalProperties: true }),
    tags: Type.Array(Type.String()),
    note: Type.Optional(Type.String({ default: 'none' })),
  },
  { $id: 'Key' },
);
const schema = JSON.parse(JSON.stringify(listEnvelope(Type.Ref(Key))));
const external = JSON.parse(JSON.stringify({ Holder, Key }));
const route = { schema, method: 'GET', url: '/keys', httpStatus: '200' };
const ours = buildSerializer(external)(route);
const fastJsonStringify = SerializerSelector()(external)(route);

const key = (overrides: Record<string, unknown> = {}) => ({
  id: 7,
  status: 'active',
  holder: { id: 1, name: 'Ada' },
  created_at: '2026-01-02T03:04:05.000Z',
  revoked_at: null,
  custom_fields: { level: 3, nested: { remote: true } },
  tags: ['a'],
  note: 'hello',
  ...overrides,
});
const page = (...data: unknown[]) => ({
  success: true,
  message: 'OK',
  data,
  total_count: data.length,
  page: 1,
  size: 20,
  next: null,
  next_cursor: null,
});

/** What a client reads: our serializer must give exactly what fast-json-stringify gives. */
const read = (payload: unknown) => {
  const json = JSON.parse(ours(payload).toString());
  expect(json).toEqual(JSON.parse(fastJsonStringify(payload)));
  return json;
};

describe('response serialization', () => {
  it('writes a payload of the exact shape as it is', () => {
    expect(read(page(key(), key({ id: 8, holder: null })))).toEqual(
      page(key(), key({ id: 8, holder: null })),
    );
  });

  it('never writes a property the schema does not declare, however deep', () => {
    const leaky = page(
      key({ key_hash: 'secret' }),
      key({ holder: { id: 1, name: 'Ada', password: 'secret' } }),
    );
    const json = read({ ...leaky, internal: 'secret' });
    expect(JSON.stringify(json)).not.toContain('secret');
    expect(json.data[1].holder).toEqual({ id: 1, name: 'Ada' });
  });

  it('still converts what fast-json-stringify converts: dates, numeric strings, defaults', () => {
    const when = new Date('2026-05-06T07:08:09.010Z');
    const json = read(page(key({ created_at: when, revoked_at: when, id: '12', note: undefined })));
    expect(json.data[0]).toMatchObject({
      created_at: '2026-05-06T07:08:09.010Z',
      revoked_at: '2026-05-06T07:08:09.010Z',
      id: 12,
      note: 'none',
    });
  });

  it('leaves a Date to fast-json-stringify, which writes its ISO form, and refuses an invalid one', () => {
    const check = compileShapeCheck(schema, external);
    const when = new Date('2026-05-06T07:08:09.010Z');
    expect(check?.(page(key({ created_at: when.toISOString() })))).toBe(true);
    expect(check?.(page(key({ created_at: when })))).toBe(false);
    expect(check?.(page(key({ created_at: null })))).toBe(false);
    expect(check?.(page(key({ created_at: 5 })))).toBe(false);
    expect(read(page(key({ created_at: when }))).data[0].created_at).toBe('2026-05-06T07:08:09.010Z');
    expect(() => ours(page(key({ created_at: new Date(Number.NaN) })))).toThrow();
  });

  it('takes exactly the literals and types a union declares, and leaves any other value to fast-json-stringify', () => {
    const check = compileShapeCheck(schema, external);
    expect(check?.({ ...page(key({ status: 'revoked' })), page: null, next_cursor: 'abc' })).toBe(true);
    expect(check?.(page(key({ status: 'deleted' })))).toBe(false);
    expect(check?.(page(key({ status: null })))).toBe(false);
    expect(check?.({ ...page(key()), page: '1' })).toBe(false);
    expect(check?.({ ...page(key()), next: 5 })).toBe(false);
    expect(() => ours(page(key({ status: 'deleted' })))).toThrow();
  });

  it('keeps free-form fields whole', () => {
    const fields = { level: 3, nested: { remote: true, list: [1, 'two'] } };
    expect(read(page(key({ custom_fields: fields }))).data[0].custom_fields).toEqual(fields);
  });

  it('refuses a payload missing a required property, as fast-json-stringify does', () => {
    const { id: _id, ...missing } = key();
    expect(() => ours(page(missing))).toThrow();
  });
});
