import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import { reportListening } from './child.js';
import { pool } from './floor.js';
import { lockSql, writeSql } from './floor-checkin-sql.js';

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

const target = { orgId, milestoneId, userId };
const lock = lockSql(target);
const used = `,
  used as (update metric_hooks h set last_used_at = now() where ${tenant('h')} and h.id = ${hookId})`;

async function receive(req: IncomingMessage, body: string) {
  const message = verified(req, body);
  const value = Number((JSON.parse(body) as { value: unknown }).value);
  const results = (await pool.query(
    `begin; ${claim(message.id, message.sentAt)}; ${lock}; ${writeSql(target, value, used)}; commit`,
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
