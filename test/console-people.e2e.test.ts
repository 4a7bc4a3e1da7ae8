import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mail, Mailer } from '../src/domain/mail.js';
import { launchBrowser } from './browser.js';
import {
  ARTIFACTS,
  buildConsole,
  listenOnLocalhost,
  seriousViolations,
  signInToConsole,
} from './console-kit.js';
import { type Member, type Org, startTestApp, type TestApp } from './harness.js';

/**
 * The people and departments admin screens in headless Chromium against a real app on loopback: a super
 * admin searches, adds, edits, deactivates and reactivates people, sets an HR scope, manages departments
 * and uploads people from CSV; an hr_admin sees what their scope lets them change. Builds the console first.
 */

const PASSWORD = 'correct horse battery staple';
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

// A mail server that refuses one address, as a real one refuses a mailbox that does not exist.
const sent: Mail[] = [];
const mailer: Mailer = {
  send: async (mail) => {
    if (mail.to.startsWith('bounce')) throw new Error('550 5.1.1 mailbox unavailable');
    sent.push(mail);
  },
};

let t: TestApp;
let org: Org;
let admin: Member;
let hr: Member;
let sara: Member;
let eric: Member;
let sales: number;
let engineering: number;
let browser: Browser;
let page: Page;
let base = '';
const cspViolations: string[] = [];

async function api(method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) {
  const res = await t.request(org.key, { method, url, ...(payload && { payload }) });
  return { status: res.statusCode, body: res.json() };
}

async function department(name: string): Promise<number> {
  const res = await api('POST', '/v1/departments', { name });
  if (res.status !== 201) throw new Error(`department: ${res.status}`);
  return res.body.data.id;
}

/** The person follows the invitation an admin had mailed them and chooses a password. */
async function choosePassword(person: { id: number; email: string }) {
  const invite = await api('POST', `/v1/users/${person.id}/invitation`);
  if (invite.status !== 202) throw new Error(`invitation: ${invite.status}`);
  const text = sent.filter((m) => m.to === person.email && m.kind === 'invitation').at(-1)?.text ?? '';
  const link = /\/auth\/invitations\/\S+/.exec(text)?.[0];
  if (!link) throw new Error(`no invitation was mailed to ${person.email}`);
  const chosen = await t.app.inject({ method: 'POST', url: link, payload: { password: PASSWORD } });
  if (chosen.statusCode !== 200) throw new Error(`set password: ${chosen.statusCode}`);
}

const person = (first: string, last: string, department_id: number) => ({
  fields: { first_name: first, last_name: last, department_id },
});

beforeAll(async () => {
  if (onPostgres) return;
  await buildConsole();
  t = await startTestApp({ mailer });
  org = await t.createOrg();
  sales = await department('Sales');
  engineering = await department('Engineering');
  admin = await t.createMember(org, { role: 'super_admin', ...person('Grace', 'Hopper', engineering) });
  hr = await t.createMember(org, { role: 'hr_admin', ...person('Harriet', 'Rowe', sales) });
  sara = await t.createMember(org, person('Sara', 'Lindqvist', sales));
  eric = await t.createMember(org, person('Eric', 'Moreau', engineering));
  const scope = await api('PUT', `/v1/users/${hr.id}/hr-scope`, { department_ids: [sales], group_ids: [] });
  if (scope.status !== 200) throw new Error(`hr scope: ${scope.status}`);
  await choosePassword(admin);
  await choosePassword(hr);
  base = await listenOnLocalhost(t);
  browser = await launchBrowser();
  page = await browser.newPage();
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const signIn = (on: Page, email: string) => signInToConsole(on, base, email, PASSWORD);

async function expectAccessible(on: Page, name: string) {
  await on.screenshot({ path: join(ARTIFACTS, `console-${name}.png`), fullPage: true });
  expect(await seriousViolations(on), `axe on ${name}`).toEqual([]);
}

const userByEmail = async (email: string) => {
  const res = await api('GET', `/v1/users/${encodeURIComponent(email)}`);
  return res.status === 200 ? res.body.data : null;
};

const rowOf = (name: string) => page.getByRole('row').filter({ hasText: name });

// Each step waits on a busy shared machine: a minute each, none of it asserted. PGlite only, as the
// console's own browser test: the console is the same on both engines.
describe.skipIf(onPostgres)('the people and departments screens', { timeout: 60_000 }, () => {
  it('lists and searches people, with their department, manager and status', async () => {
    await signIn(page, admin.email);
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('link', { name: 'People', exact: true }).click();
    await page.getByRole('heading', { name: 'People' }).waitFor();
    await rowOf('Sara Lindqvist').waitFor();
    await expectAccessible(page, 'people');

    await page.getByLabel('Name or email').fill('lindq');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => page.getByRole('row').count()).toBe(2);
    expect(await rowOf('Sara Lindqvist').textContent()).toContain('Sales');

    await page.getByLabel('Name or email').fill('nobody by this name');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('No one matches.').waitFor();
  });

  it('adds a person and mails the invitation; a refused mail is said in words', async () => {
    const form = page.getByRole('form', { name: 'Add a person' });
    await page.getByText('Add a person', { exact: true }).click();
    await form.getByLabel('Email', { exact: true }).fill('ada@example.com');
    await form.getByLabel('First name').fill('Ada');
    await form.getByLabel('Last name').fill('Lovelace');
    await form.getByLabel('Department').selectOption({ label: 'Sales' });
    await form.getByRole('button', { name: 'Add person' }).click();
    await page.getByText('Ada Lovelace was added, and an invitation to sign in was mailed').waitFor();
    const ada = await userByEmail('ada@example.com');
    expect(ada).toMatchObject({ first_name: 'Ada', department_id: sales, role: 'member', status: 'active' });
    expect(sent.some((m) => m.to === 'ada@example.com' && m.kind === 'invitation')).toBe(true);

    await form.getByLabel('Email', { exact: true }).fill('bounce@example.com');
    await form.getByLabel('First name').fill('Bo');
    await form.getByLabel('Last name').fill('Unce');
    await form.getByRole('button', { name: 'Add person' }).click();
    await page.getByText('The invitation was not sent').waitFor();
    const banner = page.getByRole('alert');
    expect(await banner.textContent()).toMatch(/could not be sent.*Request id: \S+/);
    expect(await userByEmail('bounce@example.com')).toMatchObject({ first_name: 'Bo' });
  });

  it("edits a person's role and title; the API's refusal shows in words", async () => {
    await page.getByLabel('Name or email').fill('lovelace');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'Ada Lovelace' }).click();
    await page.getByRole('heading', { name: 'Ada Lovelace' }).waitFor();
    await page.getByLabel('Title').fill('Analyst');
    await page.getByLabel('Role').selectOption('admin');
    await page.getByLabel("Manager's email").fill(sara.email);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved.').waitFor();
    expect(await userByEmail('ada@example.com')).toMatchObject({
      title: 'Analyst',
      role: 'admin',
      manager_id: sara.id,
    });
    await expectAccessible(page, 'person');

    await page.getByLabel("Manager's email").fill('no-such-person@example.com');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/Request id: \S+/);
    expect((await userByEmail('ada@example.com')).manager_id).toBe(sara.id);
  });

  it('deactivates and reactivates a person, each after a confirmation', async () => {
    await page.getByRole('button', { name: 'Deactivate…' }).click();
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect((await userByEmail('ada@example.com')).status).toBe('active');

    await page.getByRole('button', { name: 'Deactivate…' }).click();
    const confirm = page.getByRole('button', { name: 'Yes, deactivate Ada Lovelace' });
    await expect.poll(() => confirm.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByText('Ada Lovelace is deactivated').waitFor();
    expect((await userByEmail('ada@example.com')).status).toBe('deactivated');
    await expectAccessible(page, 'person-deactivated');

    await page.getByRole('button', { name: 'Reactivate…' }).click();
    await page.getByRole('button', { name: 'Yes, reactivate Ada Lovelace' }).click();
    await page.getByText('Ada Lovelace is active').waitFor();
    expect((await userByEmail('ada@example.com')).status).toBe('active');
  });

  it("sets an hr_admin's scope", async () => {
    await page.goto(`${base}/admin/people/${hr.id}`);
    const scope = page.getByRole('region', { name: 'HR scope' });
    const box = (name: string) => scope.getByRole('checkbox', { name, exact: true });
    await expect.poll(() => box('Sales').isChecked()).toBe(true);
    expect(await box('Engineering').isChecked()).toBe(false);
    await expectAccessible(page, 'person-hr-scope');

    await box('Engineering').check();
    await scope.getByRole('button', { name: 'Save HR scope' }).click();
    await scope.getByText('HR scope saved.').waitFor();
    const widened = await api('GET', `/v1/users/${hr.id}/hr-scope`);
    expect(widened.body.data.department_ids.sort()).toEqual([sales, engineering].sort());

    await box('Engineering').uncheck();
    await scope.getByRole('button', { name: 'Save HR scope' }).click();
    await expect
      .poll(async () => (await api('GET', `/v1/users/${hr.id}/hr-scope`)).body.data.department_ids)
      .toEqual([sales]);
  });

  it('adds, renames and deletes departments, with their member counts', async () => {
    await page.goto(`${base}/admin/departments`);
    await page.getByRole('heading', { name: 'Departments' }).waitFor();
    // Sales: the hr_admin, Sara and Ada.
    await expect.poll(() => rowOf('Sales').textContent()).toContain('3');
    await page.getByLabel('New department').fill('Research');
    await page.getByLabel('Under').selectOption({ label: 'Engineering' });
    await page.getByRole('button', { name: 'Add department' }).click();
    await rowOf('Engineering › Research').waitFor();

    await page.getByRole('button', { name: 'Rename Engineering › Research' }).click();
    await page.getByLabel('New name for Engineering › Research').fill('Research and Development');
    await page.keyboard.press('Enter');
    await rowOf('Engineering › Research and Development').waitFor();
    const listed = await api('GET', '/v1/departments?q=Research');
    expect(listed.body.data.map((d: { name: string }) => d.name)).toEqual(['Research and Development']);
    await expectAccessible(page, 'departments');

    await page.getByRole('button', { name: 'Delete Sales' }).click();
    await rowOf('Sales').getByRole('button', { name: 'Yes, delete' }).click();
    await expect.poll(() => rowOf('Sales').getByRole('alert').textContent()).toMatch(/Request id: \S+/);
    expect((await api('GET', `/v1/departments/${sales}`)).status).toBe(200);

    await page.getByRole('button', { name: 'Delete Engineering › Research and Development' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await expect.poll(() => rowOf('Research and Development').count()).toBe(0);
    expect((await api('GET', '/v1/departments?q=Research')).body.data).toEqual([]);
  });

  it('uploads a CSV with a bad row: that row is reported by its line, and nothing is applied', async () => {
    await page.goto(`${base}/admin/people/upload`);
    await page.getByRole('heading', { name: 'Upload people' }).waitFor();
    await expectAccessible(page, 'people-upload');
    const csv = [
      'email,first_name,last_name,title',
      'lin@example.com,Lin,Okafor,Analyst',
      'not-an-email,Bad,Row,',
      '"mo@example.com",Mo,Reyes,"Lead, sales"',
    ].join('\n');
    await page
      .getByLabel('CSV file')
      .setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.getByRole('heading', { name: 'Nothing was applied' }).waitFor();
    const line3 = page.getByRole('row').filter({ hasText: 'invalid_parameters' });
    expect(await line3.count()).toBe(1);
    expect(await line3.getByRole('cell').allTextContents()).toEqual([
      '3',
      'email',
      expect.stringContaining('email'),
      'invalid_parameters',
    ]);
    expect(await page.getByRole('alert').textContent()).toMatch(/nothing was written.*Request id: \S+/);
    expect(await userByEmail('lin@example.com')).toBeNull();
    expect(await userByEmail('mo@example.com')).toBeNull();
    await expectAccessible(page, 'people-upload-rejected');
  });

  it('uploads a good CSV with a progress bar while it applies, and the people appear', async () => {
    const csv = [
      '\uFEFFemail,first_name,last_name,title,manager_email',
      'lin@example.com,Lin,Okafor,Analyst,mo@example.com',
      '"mo@example.com",Mo,Reyes,"Lead, sales",',
    ].join('\r\n');
    // The request waits until the test has seen the progress bar, so a fast server cannot skip it.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route('**/v1/users/bulk**', async (route) => {
      await held;
      await route.continue();
    });
    await page
      .getByLabel('CSV file')
      .setInputFiles({ name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.getByRole('progressbar', { name: 'Uploading good.csv' }).waitFor();
    await expectAccessible(page, 'people-upload-progress');
    release();
    await page.getByText('2 added, 0 updated, 0 unchanged.').waitFor();
    expect(await page.getByRole('progressbar').count()).toBe(0);
    await page.unroute('**/v1/users/bulk**');

    const mo = await userByEmail('mo@example.com');
    expect(mo).toMatchObject({ title: 'Lead, sales' });
    expect(await userByEmail('lin@example.com')).toMatchObject({ manager_id: mo.id });
    await page.getByRole('link', { name: 'People', exact: true }).click();
    await page.getByLabel('Name or email').fill('okafor');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => rowOf('Lin Okafor').textContent()).toContain('Mo Reyes');
  });

  it('applies the good rows when asked to, and reports the wrong ones', async () => {
    await page.goto(`${base}/admin/people/upload`);
    const csv = 'email,first_name,last_name,role\nkim@example.com,Kim,Tan,\nzed@example.com,Zed,Ober,chief\n';
    await page
      .getByLabel('CSV file')
      .setInputFiles({ name: 'mixed.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByLabel('Apply the good rows, and list the wrong ones').check();
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.getByText('1 added, 0 updated, 0 unchanged; 1 row was wrong and was not applied.').waitFor();
    const line3 = page.getByRole('row').filter({ hasText: 'invalid_parameters' });
    expect(await line3.getByRole('cell').first().textContent()).toBe('3');
    expect(await userByEmail('kim@example.com')).toMatchObject({ last_name: 'Tan' });
    expect(await userByEmail('zed@example.com')).toBeNull();
  });

  it('says in words when the file itself cannot be read', async () => {
    const csv = 'email,first_name,shoe_size\nal@example.com,Al,42\n';
    await page
      .getByLabel('CSV file')
      .setInputFiles({ name: 'odd.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Upload' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toMatch(/Unknown column "shoe_size".*Request id: \S+/);
    expect(await userByEmail('al@example.com')).toBeNull();
  });

  it('fits a phone in one column', async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    await page.goto(`${base}/admin/people`);
    await page.getByRole('link', { name: 'Sara Lindqvist' }).waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await expectAccessible(page, 'people-phone');
    await page.goto(`${base}/admin/departments`);
    await rowOf('Engineering').first().waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('lets an hr_admin change the people of their scope, and shows the refusals of the rest', async () => {
    const hrPage = await browser.newPage();
    await signIn(hrPage, hr.email);
    await hrPage.goto(`${base}/admin/people`);
    // Everyone reads the directory: the hr_admin sees people outside their scope too.
    await hrPage.getByRole('row').filter({ hasText: 'Eric Moreau' }).waitFor();

    await hrPage.goto(`${base}/admin/people/${sara.id}`);
    await hrPage.getByLabel('Title').fill('Account executive');
    await hrPage.getByRole('button', { name: 'Save changes' }).click();
    await hrPage.getByText('Saved.').waitFor();
    expect((await userByEmail(sara.email)).title).toBe('Account executive');
    await hrPage.getByLabel('Role').selectOption('admin');
    await hrPage.getByRole('button', { name: 'Save changes' }).click();
    await expect
      .poll(() => hrPage.getByRole('alert').textContent())
      .toMatch(/Only super admins change roles.*Request id: \S+/);
    expect((await userByEmail(sara.email)).role).toBe('member');

    await hrPage.goto(`${base}/admin/people/${eric.id}`);
    await hrPage.getByLabel('Title').fill('Not allowed');
    await hrPage.getByRole('button', { name: 'Save changes' }).click();
    await expect
      .poll(() => hrPage.getByRole('alert').textContent())
      .toMatch(/outside your HR scope.*Request id: \S+/);
    expect((await userByEmail(eric.email)).title).toBeNull();

    await hrPage.goto(`${base}/admin/people/${hr.id}`);
    const scope = hrPage.getByRole('region', { name: 'HR scope' });
    await expect.poll(() => scope.getByRole('alert').textContent()).toMatch(/Only super admins/);
    await expectAccessible(hrPage, 'person-as-hr-admin');

    await hrPage.goto(`${base}/admin/departments`);
    await hrPage.getByLabel('New department').fill('Shadow');
    await hrPage.getByRole('button', { name: 'Add department' }).click();
    await expect
      .poll(() => hrPage.getByRole('alert').textContent())
      .toMatch(/Only admins manage departments/);
    expect((await api('GET', '/v1/departments?q=Shadow')).body.data).toEqual([]);
    await hrPage.close();
  });

  it('keeps nothing in storage and breaks no CSP rule', async () => {
    expect(await page.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0);
    expect(cspViolations).toEqual([]);
  });
});
