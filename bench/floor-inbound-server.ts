import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import { reportListening } from './child.js';
import { pool } from './floor.js';

/**
 * The least a signed inbound update five levels deep can cost: node:http, the Standard Webhooks HMAC checked
 * with node:crypto against the one hook's secret (known, not looked up), then one round trip: one
 * simple-protocol message holding `begin`, the message id claimed, the chain locked in one statement, and
 * one statement making every other row change Trellis makes (the check-in, the milestone, the goal and its
 * ancestors, an audit row and an outbox event for each change, the hook's last use), `commit`. No other
 * checks, no answer beyond the new progress.
 */
const orgId = Number(process.env.BENCH_ORG_ID);
const milestoneId = Number(process.env.BENCH_MILESTONE_ID);
const userId = Number(process.env.BENCH_USER_ID);
const hookId = Number(process.env.BENCH_HOOK_ID);
const key = Buffer.from(String(process.env.BENCH_HOOK_SECRET).slice('whsec_'.length), 'base64');
const tenant = (alias: string) => `${alias}.org_id = ${orgId} and ${alias}.mode = 'live'`;

function verified(req: IncomingMessage, body: string) {
  const id = String(req.headers['webhook-id']);
  const timestamp = String(req.headers['webhook-timestamp']);
  const given = Buffer.from(String(req.headers['webhook-signature']).replace(/^v1,/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Error('bad signature');
  // Inlined into the SQL below: only the ids the bench makes pass.
  if (!/^msg_[0-9a-f]{24}$/.test(id) || !/^\d{1,12}$/.test(timestamp)) throw new Error('bad headers');
  return { id, sentAt: Number(timestamp) };
}

const claim = (messageId: string, sentAt: number) =>
  `insert into metric_hook_messages (org_id, mode, hook_id, message_id, sent_at)
   values (${orgId}, 'live', ${hookId}, '${messageId}', to_timestamp(${sentAt}))`;

const lock = `with recursive chain(id, parent_id, rolls_up, depth) as (
    select g.id, g.parent_id, true, 0 from goals g
    where ${tenant('g')} and g.id = (select goal_id from milestones m where ${tenant('m')} and m.id = ${milestoneId})
    union all
    select g.id, g.parent_id, g.progress_source = 'children', c.depth + 1
    from chain c join goals g on ${tenant('g')} and g.id = c.parent_id where c.rolls_up
  )
  select g.id from chain c join goals g on ${tenant('g')} and g.id = c.id order by c.depth for update of g`;

/** The audit row and the outbox event of one change, from a CTE's rows: `object`, `id` and `changes` columns. */
const recorded = (name: string, action: string, object: string, from: string) => `
  ${name}_audit as (insert into audit_events (org_id, mode, actor_user_id, action, object_type, object_id, changes)
    select ${orgId}, 'live', ${userId}, '${action}', '${object}', id, changes from ${from}),
  ${name}_event as (insert into events (org_id, mode, type, object_type, object_id, payload)
    select ${orgId}, 'live', '${action}', '${object}', id, jsonb_build_object('object', '${object}', 'id', id,
      'mode', 'live', 'actor_user_id', ${userId}, 'changes', changes) from ${from})`;

/** Everything else in one statement; `value` is a number, checked before it is written into the text. */
const write = (value: number) => `with recursive
  ins as (insert into checkins (org_id, mode, goal_id, milestone_id, user_id, value, checked_in_at)
    select ${orgId}, 'live', m.goal_id, m.id, ${userId}, ${value}, now() from milestones m
    where ${tenant('m')} and m.id = ${milestoneId} returning id),
  ms as (update milestones m set current_value = ${value}, progress = round(100 * least(greatest((${value}
      - m.start_value) / (m.target_value - m.start_value), 0), 1), 3), last_checkin_at = now(), updated_at = now()
    from milestones o where ${tenant('o')} and o.id = m.id and ${tenant('m')} and m.id = ${milestoneId}
    returning m.id, m.goal_id, m.progress, jsonb_build_object('checkin_id', (select id from ins),
      'current_value', jsonb_build_object('from', o.current_value, 'to', m.current_value),
      'progress', jsonb_build_object('from', o.progress, 'to', m.progress)) as changes),
  up(id, parent_id, depth, was, progress) as (
    select g.id, g.parent_id, 0, g.progress, round((select avg(case when m.id = ${milestoneId} then ms.progress
      else m.progress end) from milestones m where ${tenant('m')} and m.goal_id = g.id), 3)::numeric
    from ms join goals g on ${tenant('g')} and g.id = ms.goal_id
    union all
    select g.id, g.parent_id, up.depth + 1, g.progress, round((select avg(case when c.id = up.id then up.progress
      else c.progress end) from goals c where ${tenant('c')} and c.parent_id = g.id), 3)::numeric
    from up join goals g on ${tenant('g')} and g.id = up.parent_id where g.progress_source = 'children'
  ),
  moved as (update goals g set progress = up.progress, updated_at = now(), last_checkin_at = case
      when up.depth = 0 then now() else g.last_checkin_at end
    from up where ${tenant('g')} and g.id = up.id
    returning g.id, up.depth, up.was, g.progress,
      jsonb_build_object('progress', jsonb_build_object('from', up.was, 'to', g.progress)) as changes),
  ${recorded('milestone', 'milestone.checked_in', 'milestone', 'ms')},
  ${recorded('goal', 'goal.progress_changed', 'goal', 'moved where was <> progress')},
  used as (update metric_hooks h set last_used_at = now() where ${tenant('h')} and h.id = ${hookId})
  select progress from moved where depth = 0`;

async function receive(req: IncomingMessage, body: string) {
  const message = verified(req, body);
  const value = Number((JSON.parse(body) as { value: unknown }).value);
  if (!Number.isFinite(value)) throw new Error('value must be a number');
  const results = (await pool.query(
    `begin; ${claim(message.id, message.sentAt)}; ${lock}; ${write(value)}; commit`,
  )) as unknown as { rows: { progress: number }[] }[];
  return results[3]?.rows[0]?.progress;
}

const server = createServer(async (req, res) => {
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const progress = await receive(req, Buffer.concat(chunks).toString());
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ success: true, data: { progress } }));
  } catch (error) {
    res.writeHead(500).end(String(error));
  }
});
server.listen(0, '127.0.0.1', () =>
  reportListening(server.address(), () => new Promise((resolve) => server.close(resolve))),
);
