import pg from 'pg';

/**
 * Goals for a bench organisation, generated in SQL (a million take about a minute; through the API, hours):
 * owners spread over the directory, one in four private, one in ten with a contributor, one in five aligned
 * under an earlier goal, each with `milestones` key results and a category. Ends with ANALYZE, as
 * autovacuum would have by the time anyone reads them.
 */
export async function seedGoals(url: string, orgId: number, goals: number, milestones: number) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const people = `(select array_agg(id order by id) as ids from users where org_id = $1 and mode = 'live')`;
    await client.query(
      `insert into goals (org_id, mode, name, description, goal_type, owner_user_id, starts_on, ends_on,
         visibility, progress)
       select $1, 'live', 'Goal ' || i, 'Grow the number of things by ' || (i % 40) || ' percent this half',
         'personal', u.ids[1 + i % array_length(u.ids, 1)], '2027-01-01', '2027-06-30',
         case when i % 4 = 0 then 'private' else 'public' end, (i * 7) % 100
       from generate_series(1, $2::int) i, ${people} u`,
      [orgId, goals],
    );
    // Before the rows that check a foreign key into goals (src/db/statistics.ts says why).
    await client.query('analyze goals');
    // Alignment: every fifth goal under the goal five below it (ids come from one sequence, in order).
    await client.query(
      `update goals g set parent_id = p.id from goals p
       where g.org_id = $1 and p.org_id = $1 and p.mode = 'live' and g.mode = 'live'
         and p.id = g.id - 5 and g.id % 5 = 0`,
      [orgId],
    );
    await client.query(
      `insert into goal_contributors (org_id, mode, goal_id, user_id, can_edit)
       select g.org_id, g.mode, g.id, u.ids[1 + (g.id * 13) % array_length(u.ids, 1)], g.id % 20 = 0
       from goals g, ${people} u
       where g.org_id = $1 and g.id % 10 = 0 and u.ids[1 + (g.id * 13) % array_length(u.ids, 1)] <> g.owner_user_id`,
      [orgId],
    );
    await client.query(
      `insert into goal_categories (org_id, mode, goal_id, name)
       select org_id, mode, id, (array['Growth', 'Quality', 'People', 'Cost'])[1 + id % 4]
       from goals where org_id = $1`,
      [orgId],
    );
    await client.query(
      `insert into milestones (org_id, mode, goal_id, owner_user_id, name, unit, start_value, target_value,
         current_value, direction, progress, position)
       select g.org_id, g.mode, g.id, g.owner_user_id, 'Key result ' || k, 'number', 0, 100,
         (g.id + k * 31) % 100, 'increase', (g.id + k * 31) % 100, k
       from goals g, generate_series(0, $2::int - 1) k where g.org_id = $1`,
      [orgId, milestones],
    );
    await client.query('analyze');
  } finally {
    await client.end();
  }
}
