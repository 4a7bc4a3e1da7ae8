import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpMailer } from '../src/mail/transports.js';
import { expectError } from './envelope-assert.js';
import { type Member, type Org, startTestApp, type TestApp } from './harness.js';
import { browser, linkIn, startMailbox } from './sign-in-kit.js';

/**
 * Sign-in (docs/sign-in.md): invitations and resets through a real SMTP server on loopback, sessions in real
 * cookies kept by a small jar, CSRF, revocation, the privacy notice in the browser and lock-out.
 */
const BASE = 'https://trellis.example.test';
const PASSWORD = 'correct horse battery staple';
let t: TestApp;
let mailbox: Awaited<ReturnType<typeof startMailbox>>;
let org: Org;
let other: Org;

beforeAll(async () => {
  mailbox = await startMailbox();
  t = await startTestApp({
    publicUrl: BASE,
    mailer: smtpMailer({
      from: 'Trellis <no-reply@trellis.example.test>',
      host: '127.0.0.1',
      port: mailbox.port,
      secure: false,
      user: null,
      password: null,
    }),
  });
  org = await t.createOrg();
  other = await t.createOrg();
}, 120_000);
afterAll(async () => {
  await t?.close();
  await mailbox?.close();
});

const latestMail = (email: string) => {
  const mails = mailbox.to(email);
  const last = mails[mails.length - 1];
  if (!last) throw new Error(`no mail to ${email}`);
  return last;
};

/** A JSON sign-in through a browser: its answer, whatever it is. */
const signInJson = (b: ReturnType<typeof browser>, email: string, password: string) =>
  b.send({ method: 'POST', url: '/auth/sign-in', payload: { email, password } });

/** An admin invites the member; the member follows the mailed link and chooses a password. */
async function invited(member: Member, password = PASSWORD, inviter = org.key) {
  const res = await t.request(inviter, { method: 'POST', url: `/v1/users/${member.id}/invitation` });
  expect(res.statusCode, res.body).toBe(202);
  const link = linkIn(latestMail(member.email).text, BASE);
  const b = browser(t);
  const set = await b.form(link, { password });
  expect(set.statusCode, set.body).toBe(200);
  return link;
}

describe('invitations', () => {
  it('mails a single-use link that sets the password; the page is plain HTML', async () => {
    const member = await t.createMember(org);
    const res = await t.request(org.key, { method: 'POST', url: `/v1/users/${member.id}/invitation` });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json().data).toEqual({ user_id: member.id, email: member.email, sent: true });
    const mail = latestMail(member.email);
    expect(mail.raw).toMatch(/Subject: You are invited to Trellis/);
    const link = linkIn(mail.text, BASE);
    expect(link).toMatch(/^\/auth\/invitations\/twl_/);

    const b = browser(t);
    const page = await b.send({ method: 'GET', url: link });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.body).toContain(member.email);
    expect(page.body).toContain(`<form method="post" action="${link}">`);

    // Refused passwords leave the link usable and change nothing.
    const short = await b.form(link, { password: 'short' });
    expect(short.statusCode).toBe(422);
    expect(short.body).toContain('at least 12 characters');
    const common = await b.form(link, { password: 'Password1234' });
    expect(common.statusCode).toBe(422);
    expect(common.body).toContain('too common');
    const json = await b.send({ method: 'POST', url: link, payload: { password: 'x'.repeat(257) } });
    expectError(json, 422, 'weak_password');
    expect(json.json().error_description).toMatch(/at most 256/);
    expectError(
      await b.send({
        method: 'POST',
        url: '/auth/sign-in',
        payload: { email: member.email, password: 'short' },
      }),
      401,
      'invalid_credentials',
    );

    const set = await b.form(link, { password: PASSWORD });
    expect(set.statusCode, set.body).toBe(200);
    // Used once: the link is dead.
    expect((await b.send({ method: 'GET', url: link })).statusCode).toBe(400);
    expectError(
      await b.send({ method: 'POST', url: link, payload: { password: PASSWORD } }),
      400,
      'invalid_link',
    );
    // A made-up token is the same.
    expectError(
      await b.send({
        method: 'GET',
        url: '/auth/invitations/twl_nope',
        headers: { accept: 'application/json' },
      }),
      400,
      'invalid_link',
    );
    const signedIn = await b.signIn(member.email, PASSWORD);
    expect(signedIn.user_id).toBe(member.id);
  });

  it('an invitation the SMTP server refuses answers mail_not_sent and leaves no link and no audit row', async () => {
    const member = await t.createMember(org);
    mailbox.refused.add(member.email);
    const refused = await t.request(org.key, { method: 'POST', url: `/v1/users/${member.id}/invitation` });
    expectError(refused, 503, 'mail_not_sent');
    expect(refused.body).not.toMatch(/twl_|No such mailbox/);
    const audit = await t.request(org.key, { method: 'GET', url: `/v1/audit-events?object_id=${member.id}` });
    expect((audit.json().data as { action: string }[]).map((e) => e.action)).not.toContain('user.invited');

    // Once the mailbox exists, sending again works, and the link is the only one ever made.
    mailbox.refused.delete(member.email);
    const sent = await t.request(org.key, { method: 'POST', url: `/v1/users/${member.id}/invitation` });
    expect(sent.statusCode, sent.body).toBe(202);
    expect(mailbox.to(member.email)).toHaveLength(1);
    const b = browser(t);
    expect(
      (await b.form(linkIn(latestMail(member.email).text, BASE), { password: PASSWORD })).statusCode,
    ).toBe(200);
  });

  it('a new invitation retires the earlier one', async () => {
    const member = await t.createMember(org);
    await t.request(org.key, { method: 'POST', url: `/v1/users/${member.id}/invitation` });
    const first = linkIn(latestMail(member.email).text, BASE);
    await t.request(org.key, { method: 'POST', url: `/v1/users/${member.id}/invitation` });
    const second = linkIn(latestMail(member.email).text, BASE);
    expect(second).not.toBe(first);
    const b = browser(t);
    expect((await b.form(first, { password: PASSWORD })).statusCode).toBe(400);
    expect((await b.form(second, { password: PASSWORD })).statusCode).toBe(200);
  });

  it('a member cannot invite; another organisation’s user is a 404; a test key sends nothing', async () => {
    const member = await t.createMember(org);
    const target = await t.createMember(org);
    const before = mailbox.received.length;
    expectError(
      await t.request(member.key, { method: 'POST', url: `/v1/users/${target.id}/invitation` }),
      403,
      'insufficient_access',
    );
    const stranger = await t.createMember(other);
    expectError(
      await t.request(org.key, { method: 'POST', url: `/v1/users/${stranger.id}/invitation` }),
      404,
      'invalid_resource_id',
    );
    const sandboxAdmin = await t.createMember(org, { role: 'super_admin', mode: 'test' });
    const sandboxTarget = await t.createMember(org, { mode: 'test' });
    const found = await t.request(sandboxAdmin.key, {
      method: 'GET',
      url: `/v1/users/${sandboxTarget.email}`,
    });
    const inTest = await t.request(sandboxAdmin.key, {
      method: 'POST',
      url: `/v1/users/${found.json().data.id}/invitation`,
    });
    expect(inTest.statusCode, inTest.body).toBe(202);
    expect(inTest.json().data.sent).toBe(false);
    expect(mailbox.received.length).toBe(before);
  });
});

describe('sessions', () => {
  it('sign-in sets a Secure, HttpOnly, SameSite=Lax __Host- cookie that works on every /v1 route', async () => {
    const member = await t.createMember(org);
    await invited(member);
    const b = browser(t);
    const page = await b.send({ method: 'GET', url: '/auth/sign-in' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<form method="post" action="/auth/sign-in">');

    const res = await b.form('/auth/sign-in', { email: member.email.toUpperCase(), password: PASSWORD });
    expect(res.statusCode, res.body).toBe(303);
    expect(res.headers.location).toBe('/auth/account');
    const attributes = b.jar.attributes.get('__Host-trellis_session') ?? '';
    expect(attributes).toMatch(/HttpOnly/);
    expect(attributes).toMatch(/Secure/);
    expect(attributes).toMatch(/SameSite=Lax/);
    expect(attributes).toMatch(/Path=\//);
    expect(attributes).not.toMatch(/Domain/i);
    expect(b.jar.cookies.get('__Host-trellis_session')).toMatch(/^tws_/);

    const me = await b.send({ method: 'GET', url: '/v1/me' });
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json().data).toMatchObject({ user: { id: member.id }, mode: 'live', api_key_id: null });
    const session = await b.send({ method: 'GET', url: '/auth/session' });
    expect(session.json().data).toMatchObject({
      user_id: member.id,
      organization_id: org.orgId,
      email: member.email,
      privacy_notice_accepted: true,
    });
    expect(session.json().data.csrf_token).toMatch(/^[\w-]{43}$/);
    expectError(await t.app.inject({ method: 'GET', url: '/auth/session' }), 401, 'invalid_session');
    const account = await b.send({ method: 'GET', url: '/auth/account' });
    expect(account.body).toContain(member.email);
    expect(account.body).toMatch(/name="csrf_token" value="[\w-]+"/);
  });

  it('a cookie write needs the session’s CSRF token; a bearer write does not', async () => {
    const member = await t.createMember(org);
    await invited(member);
    const b = browser(t);
    const { csrf_token } = await b.signIn(member.email, PASSWORD);
    const write = (headers: Record<string, string>) =>
      b.send({
        method: 'PUT',
        url: '/v1/me/password',
        payload: { current_password: PASSWORD, new_password: 'another long passphrase' },
        headers,
      });
    expectError(await write({}), 403, 'csrf_token_invalid');
    expectError(await write({ 'x-csrf-token': 'wrong' }), 403, 'csrf_token_invalid');
    // One character changed: a token's last character is one of sixteen, so replacing it with a fixed one
    // left it unchanged one run in sixteen (the write then went through).
    const tampered = `${csrf_token.slice(0, -1)}${csrf_token.endsWith('A') ? 'E' : 'A'}`;
    expectError(await write({ 'x-csrf-token': tampered }), 403, 'csrf_token_invalid');
    // Nothing changed: the session still works, the old password still signs in.
    expect((await b.send({ method: 'GET', url: '/v1/me' })).statusCode).toBe(200);
    await browser(t).signIn(member.email, PASSWORD);
    // Another session's token does not fit this one.
    const second = await browser(t).signIn(member.email, PASSWORD);
    expectError(await write({ 'x-csrf-token': second.csrf_token }), 403, 'csrf_token_invalid');
    // The right token but the wrong current password: refused, nothing changed.
    const wrongCurrent = await b.send({
      method: 'PUT',
      url: '/v1/me/password',
      payload: { current_password: 'not my password', new_password: 'another long passphrase' },
      headers: { 'x-csrf-token': csrf_token },
    });
    expectError(wrongCurrent, 403, 'insufficient_access');
    expect(wrongCurrent.json().error_description).toBe('The current password is incorrect.');
    expectError(
      await b.send({
        method: 'PUT',
        url: '/v1/me/password',
        payload: { current_password: PASSWORD, new_password: 'qwerty123456' },
        headers: { 'x-csrf-token': csrf_token },
      }),
      422,
      'weak_password',
    );
    const ownEmail = await b.send({
      method: 'PUT',
      url: '/v1/me/password',
      payload: { current_password: PASSWORD, new_password: member.email.toUpperCase() },
      headers: { 'x-csrf-token': csrf_token },
    });
    expectError(ownEmail, 422, 'weak_password');
    expect(ownEmail.json().error_description).toBe('The password must not be your email address.');
    // The right token: the password changes, and every session of the person ends, this one included.
    const ok = await write({ 'x-csrf-token': csrf_token });
    expect(ok.statusCode, ok.body).toBe(200);
    expectError(await b.send({ method: 'GET', url: '/v1/me' }), 401, 'invalid_session');
    await browser(t).signIn(member.email, 'another long passphrase');
    // A key needs no CSRF token and is not a session.
    expect((await t.request(member.key, { method: 'GET', url: '/v1/me' })).statusCode).toBe(200);
  });

  it('lists the person’s sessions; one revoked is refused at once; another’s is a 404', async () => {
    const member = await t.createMember(org);
    await invited(member);
    const laptop = browser(t);
    const phone = browser(t);
    const mine = await laptop.signIn(member.email, PASSWORD);
    const theirs = await phone.signIn(member.email, PASSWORD);
    const list = await laptop.send({ method: 'GET', url: '/v1/me/sessions' });
    expect(list.statusCode, list.body).toBe(200);
    const sessions = list.json().data as { id: number; current: boolean }[];
    expect(sessions.map((s) => s.id)).toEqual([theirs.session_id, mine.session_id]);
    expect(sessions.find((s) => s.current)?.id).toBe(mine.session_id);

    const outsider = await t.createMember(org);
    await invited(outsider);
    const stranger = browser(t);
    const strangers = await stranger.signIn(outsider.email, PASSWORD);
    expectError(
      await stranger.send({
        method: 'DELETE',
        url: `/v1/me/sessions/${mine.session_id}`,
        headers: { 'x-csrf-token': strangers.csrf_token },
      }),
      404,
      'invalid_resource_id',
    );
    expectError(
      await t.request(org.key, { method: 'DELETE', url: `/v1/me/sessions/${mine.session_id}` }),
      404,
      'invalid_resource_id',
    );
    expect((await laptop.send({ method: 'GET', url: '/v1/me' })).statusCode).toBe(200);

    const revoked = await laptop.send({
      method: 'DELETE',
      url: `/v1/me/sessions/${theirs.session_id}`,
      headers: { 'x-csrf-token': mine.csrf_token },
    });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expectError(await phone.send({ method: 'GET', url: '/v1/me' }), 401, 'invalid_session');
    // The person's key lists their sessions too.
    const byKey = await t.request(member.key, { method: 'GET', url: '/v1/me/sessions' });
    expect((byKey.json().data as { id: number }[]).map((s) => s.id)).toEqual([mine.session_id]);
  });

  it('a deactivated person’s session is refused at once', async () => {
    const member = await t.createMember(org);
    await invited(member);
    const b = browser(t);
    await b.signIn(member.email, PASSWORD);
    const off = await t.request(org.key, { method: 'POST', url: `/v1/users/${member.id}/deactivate` });
    expect(off.statusCode, off.body).toBe(200);
    expectError(await b.send({ method: 'GET', url: '/v1/me' }), 403, 'user_deactivated');
    // And signing in again is refused like a wrong password.
    expectError(await signInJson(b, member.email, PASSWORD), 401, 'invalid_credentials');
  });

  it('signs out: the cookie is cleared and the session is dead', async () => {
    const member = await t.createMember(org);
    await invited(member);
    const b = browser(t);
    const { csrf_token } = await b.signIn(member.email, PASSWORD);
    const cookie = b.jar.header();
    expectError(await b.form('/auth/sign-out', {}), 403, 'csrf_token_invalid');
    const out = await b.form('/auth/sign-out', { csrf_token });
    expect(out.statusCode).toBe(303);
    expect(b.jar.cookies.size).toBe(0);
    // The old cookie, replayed, is refused.
    expectError(
      await t.app.inject({ method: 'GET', url: '/v1/me', headers: { cookie } }),
      401,
      'invalid_session',
    );
  });

  it('a wrong password, an unknown email and a bad cookie read the same; JSON errors carry the envelope', async () => {
    const member = await t.createMember(org);
    await invited(member);
    const wrong = await browser(t, '10.0.0.1').send({
      method: 'POST',
      url: '/auth/sign-in',
      payload: { email: member.email, password: 'not the password' },
    });
    const unknown = await browser(t, '10.0.0.1').send({
      method: 'POST',
      url: '/auth/sign-in',
      payload: { email: 'nobody@example.com', password: 'not the password' },
    });
    expectError(wrong, 401, 'invalid_credentials');
    expectError(unknown, 401, 'invalid_credentials');
    expect(wrong.json().error_description).toBe(unknown.json().error_description);
    const html = await browser(t, '10.0.0.1').form('/auth/sign-in', {
      email: '"><script>x</script>',
      password: 'nope nope nope',
    });
    expect(html.statusCode).toBe(401);
    expect(html.body).not.toContain('<script>x');
    expect(html.body).toContain('&quot;&gt;&lt;script&gt;');
    // Text the database cannot store is a 400 before anything is read.
    for (const [url, payload] of [
      ['/auth/sign-in', { email: 'a\u0000@example.com', password: 'x' }],
      ['/auth/password-reset', { email: 'a\u0000@example.com' }],
    ] as const) {
      expectError(await browser(t).send({ method: 'POST', url, payload }), 400, 'invalid_parameters');
    }
    expectError(
      await t.app.inject({
        method: 'GET',
        url: '/v1/me',
        headers: { cookie: '__Host-trellis_session=tws_madeup' },
      }),
      401,
      'invalid_session',
    );
    // Cross-site posts are refused before anything is read, a form with a page, JSON with the envelope.
    const crossSite = { origin: 'https://evil.example' };
    const form = await browser(t).form(
      '/auth/sign-in',
      { email: member.email, password: PASSWORD },
      crossSite,
    );
    expect(form.statusCode).toBe(403);
    expect(form.headers['set-cookie']).toBeUndefined();
    expectError(
      await browser(t).send({
        method: 'POST',
        url: '/auth/sign-in',
        payload: { email: member.email, password: PASSWORD },
        headers: crossSite,
      }),
      403,
      'csrf_token_invalid',
    );
  });
});

describe('password reset', () => {
  it('answers the same whatever the email; the mailed link sets a new password and ends every session', async () => {
    const member = await t.createMember(org);
    await invited(member);
    const before = browser(t);
    await before.signIn(member.email, PASSWORD);
    const known = await browser(t).send({
      method: 'POST',
      url: '/auth/password-reset',
      payload: { email: member.email },
    });
    const unknown = await browser(t).send({
      method: 'POST',
      url: '/auth/password-reset',
      payload: { email: 'ghost@example.com' },
    });
    expect(known.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    expect(known.json().message).toBe(unknown.json().message);
    expect(mailbox.to('ghost@example.com')).toEqual([]);
    const form = await browser(t).form('/auth/password-reset', { email: 'ghost@example.com' });
    expect(form.statusCode).toBe(202);

    // The mail goes after the answer: wait for it.
    const mail = await mailbox.next(member.email, (m) => /Subject: Reset your Trellis password/.test(m.raw));
    const link = linkIn(mail.text, BASE);
    expect(link).toMatch(/^\/auth\/password-reset\/twl_/);
    const b = browser(t);
    expect((await b.form(link, { password: 'a brand new passphrase' })).statusCode).toBe(200);
    expectError(await before.send({ method: 'GET', url: '/v1/me' }), 401, 'invalid_session');
    expectError(await signInJson(b, member.email, PASSWORD), 401, 'invalid_credentials');
    await b.signIn(member.email, 'a brand new passphrase');
    expect((await b.form(link, { password: 'yet another passphrase' })).statusCode).toBe(400);
  });
});

describe('the privacy notice in the browser', () => {
  it('admins write it; a new version asks everyone again; acceptance is recorded and the key works again', async () => {
    // An organisation of its own: a new version asks everyone in it again.
    const org = await t.createOrg();
    const member = await t.createMember(org);
    await invited(member, PASSWORD, org.key);
    expectError(
      await t.request(member.key, { method: 'PUT', url: '/v1/privacy-notice', payload: { text: 'mine' } }),
      403,
      'insufficient_access',
    );
    const text = 'We keep your goals. <script>alert(1)</script>';
    const put = await t.request(org.key, { method: 'PUT', url: '/v1/privacy-notice', payload: { text } });
    expect(put.statusCode, put.body).toBe(200);
    const version = put.json().data.version as number;
    expect(version).toBeGreaterThan(1);
    // Its writer accepted it by publishing it; the same text again is no new version.
    const again = await t.request(org.key, { method: 'PUT', url: '/v1/privacy-notice', payload: { text } });
    expect(again.json().data.version).toBe(version);

    expectError(
      await t.request(member.key, { method: 'GET', url: '/v1/me' }),
      403,
      'privacy_notice_not_accepted',
    );
    const b = browser(t);
    const res = await b.form('/auth/sign-in', { email: member.email, password: PASSWORD });
    expect(res.headers.location).toBe('/auth/notice');
    expectError(await b.send({ method: 'GET', url: '/v1/me' }), 403, 'privacy_notice_not_accepted');
    const page = await b.send({ method: 'GET', url: '/auth/notice' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('We keep your goals. &lt;script&gt;alert(1)&lt;/script&gt;');
    const csrf = /name="csrf_token" value="([\w-]+)"/.exec(page.body)?.[1] ?? '';
    expectError(await b.form('/auth/notice', { version: String(version) }), 403, 'csrf_token_invalid');
    expectError(
      await b.form('/auth/notice', { version: String(version - 1), csrf_token: csrf }),
      422,
      'invalid_operation',
    );
    const accepted = await b.form('/auth/notice', { version: String(version), csrf_token: csrf });
    expect(accepted.statusCode, accepted.body).toBe(303);
    expect((await b.send({ method: 'GET', url: '/v1/me' })).statusCode).toBe(200);
    expect((await t.request(member.key, { method: 'GET', url: '/v1/me' })).statusCode).toBe(200);

    const audit = await t.request(org.key, { method: 'GET', url: `/v1/audit-events?object_id=${member.id}` });
    const actions = (audit.json().data as { action: string }[]).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'user.invited',
        'user.password_changed',
        'user.signed_in',
        'privacy_notice.accepted',
      ]),
    );
  });

  it('a test key reads the notice but cannot change it', async () => {
    const sandboxAdmin = await t.createMember(org, { role: 'super_admin', mode: 'test' });
    expect((await t.request(sandboxAdmin.key, { method: 'GET', url: '/v1/privacy-notice' })).statusCode).toBe(
      200,
    );
    expectError(
      await t.request(sandboxAdmin.key, {
        method: 'PUT',
        url: '/v1/privacy-notice',
        payload: { text: 'sandbox' },
      }),
      403,
      'insufficient_access',
    );
  });
});

describe('lock-out', () => {
  it('five failures lock the email with back-off, whether or not it has an account, even for the right password', async () => {
    const member = await t.createMember(org);
    await invited(member);
    for (const email of [member.email, 'nobody-here@example.com']) {
      for (let i = 0; i < 4; i++) {
        expectError(
          await browser(t, `10.1.0.${i}`).send({
            method: 'POST',
            url: '/auth/sign-in',
            payload: { email, password: 'wrong password!' },
          }),
          401,
          'invalid_credentials',
        );
      }
      const fifth = await browser(t, '10.1.1.1').send({
        method: 'POST',
        url: '/auth/sign-in',
        payload: { email, password: 'wrong password!' },
      });
      expectError(fifth, 401, 'invalid_credentials');
      const locked = await browser(t, '10.1.1.2').send({
        method: 'POST',
        url: '/auth/sign-in',
        payload: { email, password: PASSWORD },
      });
      expectError(locked, 429, 'sign_in_locked');
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(15);
    }
    // The HTML form says so too.
    const page = await browser(t, '10.1.1.3').form('/auth/sign-in', {
      email: member.email,
      password: PASSWORD,
    });
    expect(page.statusCode).toBe(429);
    expect(page.headers['retry-after']).toBeDefined();
  });

  it('twenty failures from one address lock it for every email', async () => {
    const address = '10.2.0.1';
    for (let i = 0; i < 20; i++) {
      await browser(t, address).send({
        method: 'POST',
        url: '/auth/sign-in',
        payload: { email: `spray${i}@example.com`, password: 'wrong password!' },
      });
    }
    const member = await t.createMember(org);
    await invited(member);
    expectError(
      await browser(t, address).send({
        method: 'POST',
        url: '/auth/sign-in',
        payload: { email: member.email, password: PASSWORD },
      }),
      429,
      'sign_in_locked',
    );
    await browser(t, '10.2.0.2').signIn(member.email, PASSWORD);
  });
});
