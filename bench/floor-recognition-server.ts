import { pool, serveFloor } from './floor.js';

/**
 * The floor of GET /v1/recognition/hashtags?from=&to=&size=: the raw GROUP BY over the live recognitions
 * in the range, for an organisation (BENCH_ORG_ID) whose caller sees them all; no auth, no validation, no
 * framework, the envelope written by hand.
 */
const orgId = Number(process.env.BENCH_ORG_ID);

const COUNTS = `select h.hashtag, count(*)::int as count
  from recognition_hashtags h join recognitions r
    on r.org_id = h.org_id and r.mode = h.mode and r.id = h.recognition_id
  where h.org_id = $1 and h.mode = 'live' and r.deleted_at is null and r.created_at >= $2 and r.created_at < $3
  group by h.hashtag order by count(*) desc, h.hashtag limit $4`;

serveFloor(async (url) => {
  const query = new URL(url).searchParams;
  const { rows } = await pool.query(COUNTS, [orgId, query.get('from'), query.get('to'), query.get('size')]);
  return { success: true, message: 'OK', data: rows };
});
