import { sql } from 'kysely';
import { connect } from '../src/db/connect.js';
import type { BenchDatabase } from './database.js';

/**
 * 100,000 recognitions (BENCH_RECOGNITIONS) over the last year, in SQL: a giver and a receiver from the
 * directory, one in ten private, one in fifty deleted, and one to three hashtags each from a pool of sixty
 * whose use falls off steeply (a few tags carry most recognitions, as in a real feed). Deterministic
 * (setseed), then analysed as autovacuum would have by now.
 */
export async function seedRecognitions(database: BenchDatabase, count: number) {
  const { db, close } = await connect({ databaseUrl: database.url, poolSize: 1 });
  try {
    await db.transaction().execute(async (trx) => {
      await sql`select setseed(0.42)`.execute(trx);
      await sql`with people as (
          select array_agg(id order by id) as ids from users where org_id = ${database.orgId} and mode = 'live')
        insert into recognitions (org_id, mode, giver_user_id, message, visibility, created_at, updated_at,
          deleted_at)
        select ${database.orgId}, 'live', ids[1 + (g * 7919) % array_length(ids, 1)],
          'Thank you for the help this week!', case when g % 10 = 0 then 'private' else 'public' end,
          now() - g * interval '315 seconds', now() - g * interval '315 seconds',
          case when g % 50 = 0 then now() end
        from people, generate_series(1, ${count}) g`.execute(trx);
      await sql`with people as (
          select array_agg(id order by id) as ids from users where org_id = ${database.orgId} and mode = 'live')
        insert into recognition_receivers (org_id, mode, recognition_id, user_id)
        select r.org_id, r.mode, r.id, ids[1 + (r.id * 31 + 17) % array_length(ids, 1)]
        from recognitions r, people
        where r.org_id = ${database.orgId} and r.mode = 'live'
          and ids[1 + (r.id * 31 + 17) % array_length(ids, 1)] <> r.giver_user_id`.execute(trx);
      await sql`insert into recognition_hashtags (org_id, mode, recognition_id, hashtag)
        select r.org_id, r.mode, r.id, 'tag' || lpad(floor(power(random(), 3) * 60)::text, 2, '0')
        from recognitions r, generate_series(1, 1 + (r.id % 3)::int)
        where r.org_id = ${database.orgId} and r.mode = 'live'
        on conflict do nothing`.execute(trx);
    });
    await sql`analyze`.execute(db);
    const tags = await sql<{ n: string }>`select count(*) as n from recognition_hashtags`.execute(db);
    return { hashtagRows: Number(tags.rows[0]?.n ?? 0) };
  } finally {
    await close();
  }
}
