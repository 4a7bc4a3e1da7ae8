import { beforeAll, describe, expect, it } from 'vitest';
import { browserFetch, type Cell, excelWorkbook, loadOfficeScript } from './excel-stand-in.js';
import { useGoalWorld } from './goal-fixtures.js';

/** examples/excel-office-script.ts run in Node against a stand-in for Excel, posting to a listening app. */
const { t, org, f, members } = useGoalWorld({ members: { owner: {} } });
const SCRIPT = 'examples/excel-office-script.ts';
const EXCEL_ORIGIN = 'https://excel.officeapps.live.com';
const HEADER: Cell[] = ['url', 'secret', 'milestone_id', 'value', 'comment', 'status'];
const WRONG_SECRET = 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0';

let base: string;
let bookings: number;
let logos: number;
/** A hook bound to bookings that takes signed updates, and an unbound one that takes WorkBoard's form. */
let signed: { url: string; secret: string };
let formUrl: string;

beforeAll(async () => {
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  [bookings = 0, logos = 0] = await f.ownedMilestones(org, members.owner.id, { Bookings: 1000, Logos: 10 });
  const make = async (body: object) => {
    const res = await f.call(members.owner.key, 'POST', '/v1/metric-hooks', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json().data as { url: string; signing_secret: string };
  };
  const bound = await make({ name: 'Excel', milestone_id: bookings });
  signed = { url: `${base}${new URL(bound.url).pathname}`, secret: bound.signing_secret };
  const unsigned = await make({ name: 'Excel form', accepts_unsigned: true });
  formUrl = `${base}/wb/apis/hook/${unsigned.url.split('/').pop()}`;
});

const current = async (id: number) =>
  (await f.call(org.key, 'GET', `/v1/milestones/${id}`)).json().data.current_value as number;
const statusOf = (rows: Cell[][], row: number) => String(rows[row]?.[5]);

describe('examples/excel-office-script.ts', () => {
  it('posts each row, signed or as WorkBoard’s form, and writes each answer into the sheet', async () => {
    const rows: Cell[][] = [
      HEADER,
      [signed.url, signed.secret, '', 420, 'from Excel', ''],
      [formUrl, '', logos, '7', '', ''],
      [signed.url, WRONG_SECRET, '', 999, '', ''],
      [formUrl, '', logos, 'lots', '', ''],
      ['', '', '', '', 'a note, not a metric', ''],
    ];
    const main = loadOfficeScript(SCRIPT, { fetch: browserFetch(EXCEL_ORIGIN), crypto: globalThis.crypto });

    expect(await main(excelWorkbook({ TrellisMetrics: rows }))).toBe('2 sent, 2 refused');

    expect(await current(bookings)).toBe(420);
    expect(await current(logos)).toBe(7);
    expect(statusOf(rows, 1)).toMatch(/^ok \d{4}-\d\d-\d\dT/);
    expect(statusOf(rows, 2)).toMatch(/^ok /);
    const history = (await f.call(org.key, 'GET', `/v1/milestones/${bookings}/checkins`)).json().data;
    expect(history[0]).toMatchObject({ value: 420, comment: 'from Excel', user_id: members.owner.id });
    // The bad rows say why, with the request id to look up, and moved nothing.
    expect(statusOf(rows, 3)).toMatch(/^invalid_webhook_secret: .+ \(request \S+\)$/);
    expect(statusOf(rows, 4)).toMatch(/^invalid_webhook_action: .*metric_data.* \(request \S+\)$/);
    expect(statusOf(rows, 5)).toBe('');
    expect(history).toHaveLength(1);
    expect((await f.call(org.key, 'GET', `/v1/milestones/${logos}/checkins`)).json().data).toHaveLength(1);
  });

  it('without crypto.subtle, refuses to send a signed row and still sends the WorkBoard form', async () => {
    const rows: Cell[][] = [
      HEADER,
      [signed.url, signed.secret, '', 1, '', ''],
      [formUrl, '', logos, 8, '', ''],
    ];
    const main = loadOfficeScript(SCRIPT, { fetch: browserFetch(EXCEL_ORIGIN) });

    expect(await main(excelWorkbook({ TrellisMetrics: rows }))).toBe('1 sent, 1 refused');
    expect(statusOf(rows, 1)).toMatch(/^not sent: crypto\.subtle is not available/);
    expect(await current(bookings)).toBe(420);
    expect(await current(logos)).toBe(8);
  });

  it('says which table it needs when the workbook has none', async () => {
    const main = loadOfficeScript(SCRIPT, { fetch: browserFetch(EXCEL_ORIGIN) });
    await expect(main(excelWorkbook({ Sheet1: [HEADER] }))).rejects.toThrow(/TrellisMetrics/);
  });
});

describe('browsers’ CORS on the sender routes, and nowhere else', () => {
  it('answers a preflight and any origin on both hook receivers, refusals included', async () => {
    for (const url of ['/v1/hooks/hk_unknown', '/wb/apis/hook/hk_unknown']) {
      const preflight = await t.app.inject({
        method: 'OPTIONS',
        url,
        headers: { origin: EXCEL_ORIGIN, 'access-control-request-method': 'POST' },
      });
      expect(preflight.statusCode, url).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe('*');
      expect(preflight.headers['access-control-allow-headers']).toContain('webhook-signature');
      const refused = await t.app.inject({ method: 'POST', url, headers: { origin: EXCEL_ORIGIN } });
      expect(refused.statusCode, url).toBe(404);
      expect(refused.json().error).toBe('invalid_webhook_url');
      expect(refused.headers['access-control-allow-origin']).toBe('*');
    }
  });

  it('gives a keyed route no CORS header, so a page elsewhere cannot read its answers', async () => {
    const res = await t.request(org.key, {
      method: 'GET',
      url: '/v1/goals',
      headers: { origin: EXCEL_ORIGIN },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: '/v1/goals',
      headers: { origin: EXCEL_ORIGIN, 'access-control-request-method': 'GET' },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });
});
