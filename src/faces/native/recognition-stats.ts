import { Type } from '@sinclair/typebox';
import { hashtagCounts, personCounts } from '../../domain/recognition/stats.js';
import { principalOf } from '../../http/auth.js';
import type { App } from '../../http/instance.js';
import type { FaceDeps } from '../face.js';
import { DescribedId, TimestampParam } from '../shared/fields.js';
import { errorResponses } from './common.js';
import { envelope, ok } from './envelope.js';

const Range = {
  from: Type.Optional({ ...TimestampParam, description: 'Recognitions given at or after this moment.' }),
  to: Type.Optional({ ...TimestampParam, description: 'Recognitions given before this moment.' }),
};
const HashtagsQuery = Type.Object(
  {
    ...Range,
    size: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 100, description: 'How many hashtags, most used first (20).' }),
    ),
  },
  { additionalProperties: false },
);
const CountsQuery = Type.Object(
  { ...Range, user_id: Type.Optional(DescribedId('The person counted; the caller when absent.')) },
  { additionalProperties: false },
);

const HashtagCount = Type.Object({ hashtag: Type.String(), count: Type.Integer() });
const PersonCounts = Type.Object({
  user_id: Type.Integer(),
  given: Type.Integer({ description: 'Recognitions the person gave.' }),
  received: Type.Integer({ description: 'Recognitions the person received.' }),
});

const tags = ['Recognition'];

export function recognitionStatsRoutes(app: App, { db }: FaceDeps) {
  app.get('/recognition/hashtags', {
    schema: {
      tags,
      summary: 'Hashtags used, with counts',
      description:
        'Each hashtag with the number of recognitions that carry it, over the recognitions the caller may ' +
        'see in the range, most used first (ties by name).',
      querystring: HashtagsQuery,
      response: { 200: envelope(Type.Array(HashtagCount)), ...errorResponses },
    },
    handler: async (request) => {
      const { size, ...range } = request.query;
      return ok(await hashtagCounts(db, principalOf(request), range, size ?? 20));
    },
  });

  app.get('/recognition/counts', {
    schema: {
      tags,
      summary: "A person's recognitions given and received",
      description:
        'Counted over the recognitions the caller may see in the range: a private recognition the caller ' +
        'may not read counts for nobody in their answer.',
      querystring: CountsQuery,
      response: { 200: envelope(PersonCounts), ...errorResponses },
    },
    handler: async (request) => {
      const p = principalOf(request);
      const { user_id, ...range } = request.query;
      return ok(await personCounts(db, p, user_id ?? p.userId, range));
    },
  });
}
