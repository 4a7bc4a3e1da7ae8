import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './envelope-assert.js';
import { type Org, startTestApp, type TestApp } from './harness.js';

/**
 * Links expire (docs/sign-in.md): an invitation after 7 days, a reset link after an hour, by the app's clock,
 * which the test moves. The mail is read from the harness's memory transport (test/sign-in.test.ts follows
 * links through a real SMTP server).
 */
let clock = Date.now();
let t: TestApp;
let org: Org;
beforeAll(async () => {
  t = await startTestApp({ clock: () => clock });
  org = await t.createOrg();
}, 120_000);
afterAll(() => t?.close());

const DAY = 86_400_000;
const lastLink = () => {
  const link = /\/auth\/\S+\/twl_[\w-]+/.exec(t.mail.at(-1)?.text ?? '')?.[0];
  if (!link) throw new Error('no link mailed');
  return link;
};
const json = { accept: 'application/json' };

describe('link expiry', () => {
  it('an invitation works for 7 days, not a moment more', async () => {
    const member = await t.createMember(org);
    const start = clock;
    await t.request(org.key, { method: 'POST', url: `/v1/users/${member.id}/invitation` });
    const link = lastLink();
    clock = start + 7 * DAY - 1000;
    expect((await t.app.inject({ method: 'GET', url: link, headers: json })).statusCode).toBe(200);
    clock = start + 7 * DAY + 1000;
    expectError(await t.app.inject({ method: 'GET', url: link, headers: json }), 400, 'invalid_link');
    expectError(
      await t.app.inject({ method: 'POST', url: link, payload: { password: 'a long enough passphrase' } }),
      400,
      'invalid_link',
    );
  });

  it('a reset link works for an hour', async () => {
    const member = await t.createMember(org);
    const start = clock;
    await t.request(org.key, { method: 'POST', url: `/v1/users/${member.id}/invitation` });
    await t.app.inject({
      method: 'POST',
      url: lastLink(),
      payload: { password: 'a long enough passphrase' },
    });
    const before = t.mail.length;
    await t.app.inject({ method: 'POST', url: '/auth/password-reset', payload: { email: member.email } });
    const deadline = Date.now() + 5000;
    while (t.mail.length === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const link = lastLink();
    expect(link).toMatch(/^\/auth\/password-reset\//);
    clock = start + 3_600_000 + 1000;
    expectError(
      await t.app.inject({ method: 'POST', url: link, payload: { password: 'another long passphrase' } }),
      400,
      'invalid_link',
    );
  });
});
