/**
 * Excel → Trellis: an Office Script (Automate → New Script, paste this file) that posts each row of a table
 * to a Trellis metric webhook and writes what the server answered into the row.
 *
 * The table, named TrellisMetrics (Insert → Table, then Table Design → Table Name), with a header row:
 *   url | secret | milestone_id | value | comment | status
 *
 *   url           https://okr.example.com/v1/hooks/hk_...      a signed update: put the webhook's signing
 *                 secret (whsec_..., shown once by POST /v1/metric-hooks) in `secret`;
 *            or   https://okr.example.com/wb/apis/hook/hk_...  WorkBoard's unsigned form: leave `secret` empty;
 *                 the webhook must have been made with accepts_unsigned: true.
 *   milestone_id  needed by an unbound webhook only.
 *   value         the milestone's new value. comment: optional.
 *   status        written by the script: "ok <time>", or the server's code, reason and request id.
 *
 * A row without a url or a value is skipped. Each accepted row is a check-in by the webhook's creator.
 * Signing uses crypto.subtle (HMAC-SHA256 over "id.timestamp.body", Standard Webhooks): Excel on the web and
 * on the desktop run scripts in a browser engine that has it. Where it is missing the row says so and
 * nothing is sent; use the WorkBoard form there.
 *
 * Power Automate cannot run this script on a schedule: Office Scripts run by a flow may not call fetch.
 * docs/webhooks.md ("Excel") has a flow that sends the same table with its own HTTP action instead.
 * Anyone who can open the workbook can read the secrets in it: share it as you would the secrets.
 */

const TABLE_NAME = 'TrellisMetrics';

interface MetricRow {
  url: string;
  secret: string;
  milestoneId: string;
  value: string;
  comment: string;
}

/** The error envelope every Trellis face answers a refusal with. */
interface Refusal {
  error?: string;
  error_description?: string;
  request_id?: string;
}

async function main(workbook: ExcelScript.Workbook): Promise<string> {
  const table = workbook.getTable(TABLE_NAME);
  if (!table) throw new Error(`Add a table named ${TABLE_NAME} (url, secret, milestone_id, value, comment, status).`);
  const header = table
    .getHeaderRowRange()
    .getValues()[0]
    .map((name) => String(name).trim().toLowerCase());
  const statusColumn = header.indexOf('status');
  if (header.indexOf('url') < 0 || header.indexOf('value') < 0 || statusColumn < 0) {
    throw new Error(`The ${TABLE_NAME} table needs the columns url, value and status.`);
  }
  const body = table.getRangeBetweenHeaderAndTotal();
  const rows = body.getValues();
  let sent = 0;
  let refused = 0;
  for (let i = 0; i < rows.length; i++) {
    const cell = (name: string) => (header.indexOf(name) < 0 ? '' : String(rows[i][header.indexOf(name)]).trim());
    const row: MetricRow = {
      url: cell('url'),
      secret: cell('secret'),
      milestoneId: cell('milestone_id'),
      value: cell('value'),
      comment: cell('comment'),
    };
    if (row.url === '' || row.value === '') continue;
    const status = await send(row);
    body.getCell(i, statusColumn).setValue(status);
    if (status.indexOf('ok ') === 0) sent++;
    else refused++;
  }
  return `${sent} sent, ${refused} refused`;
}

/** One row to the server; the status to write back. A network failure is a status too, not a stop. */
async function send(row: MetricRow): Promise<string> {
  try {
    const response = row.secret === '' ? await sendForm(row) : await sendSigned(row);
    return await describe(response);
  } catch (error) {
    return `not sent: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** The signed JSON body of POST /v1/hooks/{id}, with the three Standard Webhooks headers. */
async function sendSigned(row: MetricRow): Promise<Response> {
  if (typeof crypto === 'undefined' || !crypto.subtle) {
    throw new Error('crypto.subtle is not available here to sign; use the /wb/apis/hook/ form instead');
  }
  const update: { [field: string]: string | number } = { action: 'set', value: Number(row.value) };
  if (row.comment !== '') update.comment = row.comment;
  if (row.milestoneId !== '') update.milestone_id = Number(row.milestoneId);
  const payload = JSON.stringify(update);
  const id = `msg_${Date.now()}_${Math.random().toString(36).slice(2)}`;
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = await sign(row.secret, `${id}.${timestamp}.${payload}`);
  return fetch(row.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': timestamp,
      'webhook-signature': `v1,${signature}`,
    },
    body: payload,
  });
}

/** WorkBoard's unsigned form fields to POST /wb/apis/hook/{hash}. */
async function sendForm(row: MetricRow): Promise<Response> {
  const fields = [`metric_data=${encodeURIComponent(row.value)}`];
  if (row.milestoneId !== '') fields.push(`metric_id=${encodeURIComponent(row.milestoneId)}`);
  if (row.comment !== '') fields.push(`metric_comment=${encodeURIComponent(row.comment)}`);
  return fetch(row.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: fields.join('&'),
  });
}

async function describe(response: Response): Promise<string> {
  if (response.ok) return `ok ${new Date().toISOString()}`;
  const text = await response.text();
  try {
    const refusal: Refusal = JSON.parse(text);
    return `${refusal.error}: ${refusal.error_description} (request ${refusal.request_id})`;
  } catch (error) {
    return `HTTP ${response.status}`;
  }
}

/** base64 HMAC-SHA256 of the text, keyed by the base64 part of the secret after "whsec_". */
async function sign(secret: string, text: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    fromBase64(secret.replace(/^whsec_/, '')),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, utf8(text)));
  let binary = '';
  for (let i = 0; i < mac.length; i++) binary += String.fromCharCode(mac[i]);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** UTF-8 bytes without TextEncoder, which not every Office Scripts runtime has. */
function utf8(text: string): Uint8Array {
  const escaped = encodeURIComponent(text);
  const bytes: number[] = [];
  for (let i = 0; i < escaped.length; i++) {
    if (escaped[i] === '%') {
      bytes.push(parseInt(escaped.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(escaped.charCodeAt(i));
    }
  }
  return new Uint8Array(bytes);
}
