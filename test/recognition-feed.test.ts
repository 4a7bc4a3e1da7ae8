import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Member, type Org, startTestApp, type TestApp } from './harness.js';

/**
 * The recognition feed is newest first (created_at desc, id desc; docs/recognition.md): pages by cursor
 * and by page number walk it without skipping or repeating a recognition, recognitions given in the same
 * instant included. The app's clock is frozen at chosen instants to give them.
 */
let t: TestApp;
let org: Org;
let giver: Member;
let receiver: Member;
let frozen: number | null = null;

interface Listed {
  id: number;
  created_at: string;
}

beforeAll(async () => {
  t = await startTestApp({ clock: () => frozen ?? Date.now() });
  org = await t.createOrg();
  giver = await t.createMember(org);
  receiver = await t.createMember(org);
});
afterAll(() => t.close());

const give = async (at: string, n: number) => {
  frozen = Date.parse(at);
  const res = await t.request(giver.key, {
    method: 'POST',
    url: '/v1/recognition',
    payload: { receiver_ids: [receiver.id], message: `Thanks, number ${n} #feed` },
  });
  frozen = null;
  expect(res.statusCode, res.body).toBe(201);
  return res.json().data as Listed;
};
const list = async (query: string) => {
  const res = await t.request(receiver.key, { method: 'GET', url: `/v1/recognition?hashtag=feed${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

/** Newest first; the id breaks a tie between recognitions given in the same instant. */
const newestFirst = (a: Listed, b: Listed) =>
  a.created_at === b.created_at ? b.id - a.id : a.created_at < b.created_at ? 1 : -1;

describe('the recognition feed', () => {
  let given: Listed[] = [];

  beforeAll(async () => {
    // Given out of order, three of them in one instant, so neither id order nor time alone is the answer.
    const moments = [
      '2026-03-02T10:00:00.000Z',
      '2026-03-05T09:30:00.250Z',
      '2026-03-01T08:00:00.000Z',
      '2026-03-04T12:00:00.000Z',
      '2026-03-04T12:00:00.000Z',
      '2026-03-04T12:00:00.000Z',
      '2026-03-03T16:45:00.999Z',
    ];
    given = [];
    for (const [i, at] of moments.entries()) given.push(await give(at, i));
  });

  it('lists newest first, ties by id descending', async () => {
    const all = await list('&size=100');
    expect(all.total_count).toBe(given.length);
    expect(all.data.map((r: Listed) => r.id)).toEqual([...given].sort(newestFirst).map((r) => r.id));
    expect(all.data[0].created_at).toBe('2026-03-05T09:30:00.250Z');
  });

  it('walks by cursor without skipping or repeating, through the tied instant', async () => {
    const seen: number[] = [];
    let page = await list('&size=2');
    seen.push(...page.data.map((r: Listed) => r.id));
    while (page.next_cursor) {
      page = await list(`&size=2&cursor=${page.next_cursor}`);
      seen.push(...page.data.map((r: Listed) => r.id));
      expect(page.total_count).toBe(given.length);
    }
    expect(seen).toEqual([...given].sort(newestFirst).map((r) => r.id));
  });

  it('pages by number in the same order', async () => {
    const pages = [await list('&size=3&page=1'), await list('&size=3&page=2'), await list('&size=3&page=3')];
    const ids = pages.flatMap((p) => p.data.map((r: Listed) => r.id));
    expect(ids).toEqual([...given].sort(newestFirst).map((r) => r.id));
  });

  it('keeps a walk going when a newer recognition arrives mid-walk: no repeat, the newcomer waits for the next walk', async () => {
    const first = await list('&size=3');
    const newcomer = await give('2026-03-06T00:00:00.000Z', 99);
    const seen = first.data.map((r: Listed) => r.id);
    let page = first;
    while (page.next_cursor) {
      page = await list(`&size=3&cursor=${page.next_cursor}`);
      seen.push(...page.data.map((r: Listed) => r.id));
    }
    expect(seen).toEqual([...given].sort(newestFirst).map((r) => r.id));
    expect(seen).not.toContain(newcomer.id);
    expect((await list('&size=1')).data[0].id).toBe(newcomer.id);
    given.push(newcomer);
  });
});
