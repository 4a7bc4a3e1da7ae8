import pg from 'pg';
import type { BenchDatabase } from './database.js';
import { type ConversationWorld, deploymentOf } from './seed-conversations.js';
import { startServer } from './servers.js';

/**
 * Creating the deployment again, in rounds whose order alternates: Trellis (POST /v1/conversation-deployments
 * over HTTP: checks, the population resolved in SQL, one INSERT … SELECT, the audit row, the answer) against
 * the floor (the same deployment row and the same conversations, their pairs read beforehand, written with
 * bare multi-row INSERTs in one transaction). Every round adds a deployment of the same population, as a new
 * cycle does. Returns the ratio of the times (goal: at most 3).
 */
const rounds = Number(process.env.BENCH_CREATE_ROUNDS ?? 3);
const CHUNK = 1000;
const COLUMNS = [
  ...['org_id', 'mode', 'template_id', 'template_version', 'deployment_id', 'manager_id', 'report_id'],
  ...['starts_on', 'due_on', 'created_by'],
];

interface Pair {
  report_id: string;
  manager_id: string;
}

/** The (report, manager) pairs the population gives, read before the floor's clock starts. */
async function pairsOf(client: pg.Client, database: BenchDatabase, world: ConversationWorld) {
  const { rows } = await client.query<Pair>(
    `with recursive sub(id) as (
        select id from departments where org_id = $1 and mode = 'live' and id = $2
        union select d.id from departments d join sub on d.parent_id = sub.id where d.org_id = $1 and d.mode = 'live')
      select u.id as report_id, m.id as manager_id from users u
      join users m on m.org_id = u.org_id and m.mode = u.mode and m.id = u.manager_id and m.status = 'active'
      where u.org_id = $1 and u.mode = 'live' and u.status = 'active' and u.department_id in (select id from sub)
      order by u.id`,
    [database.orgId, world.companyId],
  );
  return rows;
}

async function floorCreate(
  client: pg.Client,
  database: BenchDatabase,
  world: ConversationWorld,
  pairs: Pair[],
  name: string,
) {
  const d = deploymentOf(world.templateId, world.companyId, name);
  await client.query('begin');
  const { rows } = await client.query<{ id: string }>(
    `insert into conversation_deployments (org_id, mode, template_id, template_version, name, starts_on, due_on,
       audience, audience_ids, only_with_manager, created_by)
     values ($1, 'live', $2, 1, $3, $4, $5, 'departments', $6, true, $7) returning id`,
    [
      database.orgId,
      d.template_id,
      name,
      d.starts_on,
      d.due_on,
      JSON.stringify(d.department_ids),
      database.adminId,
    ],
  );
  const deploymentId = rows[0]?.id;
  for (let start = 0; start < pairs.length; start += CHUNK) {
    const chunk = pairs.slice(start, start + CHUNK);
    const values = chunk.map(
      (_, r) => `(${COLUMNS.map((_, c) => `$${r * COLUMNS.length + c + 1}`).join(', ')})`,
    );
    const parameters = chunk.flatMap((p) => [
      ...[database.orgId, 'live', d.template_id, 1, deploymentId, p.manager_id, p.report_id],
      ...[d.starts_on, d.due_on, database.adminId],
    ]);
    await client.query(
      `insert into conversations (${COLUMNS.join(', ')}) values ${values.join(', ')}`,
      parameters,
    );
  }
  await client.query('commit');
  return Number(deploymentId);
}

async function conversationCount(client: pg.Client, deploymentId: number) {
  const { rows } = await client.query<{ n: string }>(
    'select count(*) as n from conversations where deployment_id = $1',
    [deploymentId],
  );
  return Number(rows[0]?.n);
}

async function timed<T>(run: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const result = await run();
  return [(performance.now() - started) / 1000, result];
}

export async function measureCreation(database: BenchDatabase, world: ConversationWorld): Promise<number> {
  console.log(`POST /v1/conversation-deployments · ${world.conversations} conversations · ${rounds} rounds`);
  const server = await startServer('./trellis-server.js', { BENCH_DB_URL: database.url, BENCH_POOL: '4' });
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const pairs = await pairsOf(client, database, world);
    const totals = { trellis: 0, floor: 0 };
    for (let round = 1; round <= rounds; round++) {
      const trellis = async () => {
        const response = await fetch(`${server.url}/v1/conversation-deployments`, {
          method: 'POST',
          headers: { authorization: `Bearer ${database.key}`, 'content-type': 'application/json' },
          body: JSON.stringify(deploymentOf(world.templateId, world.companyId, `Trellis round ${round}`)),
        });
        if (response.status !== 201)
          throw new Error(`the deployment answered ${response.status}: ${await response.text()}`);
        return ((await response.json()) as { data: { id: number } }).data.id;
      };
      const floor = () => floorCreate(client, database, world, pairs, `Floor round ${round}`);
      const order = round % 2 === 1 ? (['trellis', 'floor'] as const) : (['floor', 'trellis'] as const);
      const line: string[] = [];
      for (const name of order) {
        const [seconds, id] = await timed(name === 'trellis' ? trellis : floor);
        const made = await conversationCount(client, id);
        if (made !== world.conversations)
          throw new Error(`${name} made ${made} conversations, not ${world.conversations}`);
        totals[name] += seconds;
        line.push(`${name} ${seconds.toFixed(2)} s`);
      }
      console.log(`round ${round}  ${line.join('  ')}`);
    }
    const per = (s: number) => `${(s / rounds).toFixed(2)} s`;
    console.log(
      `trellis  ${per(totals.trellis)} per deployment (check, resolve, INSERT … SELECT, audit, respond)`,
    );
    console.log(`floor    ${per(totals.floor)} per deployment (bare multi-row INSERTs of the same rows)`);
    const ratio = totals.trellis / totals.floor;
    console.log(`ratio trellis/floor = ${ratio.toFixed(2)}`);
    return ratio;
  } finally {
    await client.end();
    await server.stop();
  }
}
