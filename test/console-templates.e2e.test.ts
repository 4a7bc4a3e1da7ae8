import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser.js';
import {
  ARTIFACTS,
  buildConsole,
  givePassword,
  listenOnLocalhost,
  seriousViolations,
  signInToConsole,
} from './console-kit.js';
import { type Member, type Org, startTestApp, type TestApp } from './harness.js';

/**
 * The Performance admin screens in headless Chromium against a real app on loopback: a super admin makes a
 * conversation template with two questions (reordered), deploys it to a department after a refusal, sees its
 * counts, and makes and archives a feedback template; a member is kept out. Each result is checked over HTTP.
 */

const PASSWORD = 'correct horse battery staple';
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

let t: TestApp;
let org: Org;
let admin: Member;
let maria: Member;
let rob: Member;
let rita: Member;
let browser: Browser;
let page: Page;
let base = '';

async function api(method: 'GET' | 'POST', url: string, payload?: object) {
  const res = await t.request(org.key, { method, url, ...(payload && { payload }) });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json();
}

beforeAll(async () => {
  if (onPostgres) return;
  await buildConsole();
  t = await startTestApp();
  org = await t.createOrg();
  const sales = (await api('POST', '/v1/departments', { name: 'Sales' })).data.id;
  admin = await t.createMember(org, {
    role: 'super_admin',
    fields: { first_name: 'Grace', last_name: 'Hopper' },
  });
  // Maria manages Rob and Rita in Sales; she has no manager, so a deployment that needs one leaves her out.
  maria = await t.createMember(org, {
    fields: { first_name: 'Maria', last_name: 'Diaz', department_id: sales },
  });
  const inSales = (first: string) => ({
    fields: { first_name: first, last_name: 'Sales', department_id: sales, manager_id: maria.id },
  });
  rob = await t.createMember(org, inSales('Rob'));
  rita = await t.createMember(org, inSales('Rita'));
  await givePassword(t, org, admin, PASSWORD);
  await givePassword(t, org, rob, PASSWORD);
  base = await listenOnLocalhost(t);
  browser = await launchBrowser();
  page = await browser.newPage();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function expectAccessible(on: Page, name: string) {
  await on.screenshot({ path: join(ARTIFACTS, `console-templates-${name}.png`), fullPage: true });
  expect(await seriousViolations(on), `axe on ${name}`).toEqual([]);
}

const heading = (name: string) => page.getByRole('heading', { name, exact: true });
const question = (side: string, n: number) => page.getByRole('group', { name: `${side}: question ${n}` });

describe.skipIf(onPostgres)('the Performance admin screens', { timeout: 60_000 }, () => {
  it('lists the screens under Performance', async () => {
    await signInToConsole(page, base, admin.email, PASSWORD);
    await page.getByRole('link', { name: 'Admin' }).click();
    const area = page.getByRole('region', { name: 'Performance' });
    await area.getByRole('link', { name: 'Deployments' }).waitFor();
    await expectAccessible(page, 'index');
    await area.getByRole('link', { name: 'Conversation templates' }).click();
    await heading('Conversation templates').waitFor();
  });

  it('creates a conversation template with two questions, reordered', async () => {
    await page.getByText('No conversation templates yet').waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Quarterly check-in');
    await page.getByRole('button', { name: "Add a question to Manager's questions" }).click();
    await question("Manager's questions", 1).getByLabel('Question 1').fill('How did the quarter go?');
    await page.getByRole('button', { name: "Add a question to Manager's questions" }).click();
    const second = question("Manager's questions", 2);
    await second.getByLabel('Question 2').fill('How sure are you of next quarter?');
    await second.getByLabel('Kind of answer').selectOption('scale');
    await second.getByLabel('Points on the scale').fill('5');
    await second.getByLabel('Required').check();
    await page.getByRole('button', { name: "Move up Manager's questions: question 2" }).click();
    await expect
      .poll(() => question("Manager's questions", 1).getByLabel('Question 1').inputValue())
      .toBe('How sure are you of next quarter?');
    await expectAccessible(page, 'conversation-form');
    await page.getByRole('button', { name: 'Create template' }).click();
    await page.getByText('Template Quarterly check-in was created.').waitFor();
    await page.getByText("2 manager's questions, 0 report's questions").waitFor();

    const listed = (await api('GET', '/v1/conversation-templates')).data;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ name: 'Quarterly check-in', kind: 'scheduled', format: 'two_way' });
    expect(listed[0].manager_questions).toMatchObject([
      { text: 'How sure are you of next quarter?', type: 'scale', scale_max: 5, required: true },
      { text: 'How did the quarter go?', type: 'paragraph', required: false },
    ]);
    await expectAccessible(page, 'conversation-templates');
  });

  it("edits it: a report's question added, still version 1 while nothing uses it", async () => {
    await page.getByRole('button', { name: 'Edit Quarterly check-in' }).click();
    const form = page.getByRole('form', { name: 'Edit Quarterly check-in' });
    await form.getByRole('button', { name: "Add a question to Report's questions" }).click();
    const asked = form.getByRole('group', { name: "Report's questions: question 1" });
    await asked.getByLabel('Question 1').fill('What do you need from me?');
    await asked.getByLabel('Kind of answer').selectOption('single_select');
    await asked.getByLabel('Options, one a line').fill('Time\nTraining\nNothing');
    await asked.getByLabel('Confidential (never shown to the other participant)').check();
    await form.getByRole('button', { name: 'Save template' }).click();
    await page.getByText("2 manager's questions, 1 report's question;").waitFor();
    const [edited] = (await api('GET', '/v1/conversation-templates')).data;
    expect(edited.version).toBe(1);
    expect(edited.report_questions).toMatchObject([
      { type: 'single_select', options: ['Time', 'Training', 'Nothing'], confidential: true },
    ]);
  });

  it('deploys it to a department after a refusal shown with its request id, and sees its counts', async () => {
    await page.goto(`${base}/admin/deployments`);
    await heading('Deployments').waitFor();
    await page.getByText('No deployments yet').waitFor();
    const form = page.getByRole('form', { name: 'Deploy a template' });
    await form.getByLabel('Template', { exact: true }).selectOption({ label: 'Quarterly check-in' });
    await form.getByLabel('Starts on').fill('2027-01-29');
    await form.getByLabel('Due on').fill('2027-01-04');
    await form.getByLabel('Department').selectOption({ label: 'Sales' });
    await form.getByRole('button', { name: 'Deploy' }).click();
    const refusal = form.getByRole('alert');
    await expect.poll(() => refusal.textContent()).toMatch(/Request id: \S+/);
    await expectAccessible(page, 'deployment-refused');
    expect((await api('GET', '/v1/conversation-deployments')).data).toEqual([]);

    await form.getByLabel('Due on').fill('2027-02-26');
    await form.getByRole('button', { name: 'Deploy' }).click();
    await page.getByText('Quarterly check-in 2027-01-29 was deployed: 2 conversations.').waitFor();
    const card = page
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: 'Quarterly check-in 2027-01-29' }) });
    await card.getByText('2 conversations', { exact: true }).waitFor();
    await card.getByText('0 completed · 2 not started').waitFor();

    const deployments = (await api('GET', '/v1/conversation-deployments')).data;
    expect(deployments).toMatchObject([
      { audience: 'departments', conversation_count: 2, due_on: '2027-02-26' },
    ]);
    const conversations = await api('GET', `/v1/conversations?deployment_id=${deployments[0].id}`);
    expect(conversations.total_count).toBe(2);
    const reports = conversations.data.map((c: { report_id: number }) => c.report_id).sort();
    expect(reports).toEqual([rob.id, rita.id].sort());

    await card.getByRole('button', { name: /Add people who joined since/ }).click();
    await card.getByText('0 conversation(s) added.').waitFor();
    await expectAccessible(page, 'deployments');
  });

  it('creates a feedback template, archives it and finds it among the archived', async () => {
    await page.goto(`${base}/admin/feedback-templates`);
    await heading('Feedback templates').waitFor();
    await page.getByText('No feedback templates yet.').waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Peer feedback');
    await page.getByLabel('Anonymity').selectOption('anonymous_to_all');
    await question('Questions', 1).getByLabel('Question 1').fill('What should they keep doing?');
    await page.getByRole('button', { name: 'Create template' }).click();
    await page.getByText('Template Peer feedback was created.').waitFor();
    await page.getByRole('heading', { name: 'Peer feedback' }).waitFor();
    const [made] = (await api('GET', '/v1/feedback-templates')).data;
    expect(made).toMatchObject({ name: 'Peer feedback', anonymity: 'anonymous_to_all', archived: false });
    expect(made.questions).toMatchObject([{ text: 'What should they keep doing?', type: 'paragraph' }]);
    await expectAccessible(page, 'feedback-templates');

    // Renamed without touching its questions: they keep their ids (the API renumbers questions it is sent).
    await page.getByRole('button', { name: 'Edit Peer feedback' }).click();
    await page
      .getByRole('form', { name: 'Edit Peer feedback' })
      .getByLabel('Name', { exact: true })
      .fill('Peer review');
    await page.getByRole('button', { name: 'Save template' }).click();
    await page.getByRole('heading', { name: 'Peer review' }).waitFor();
    const renamed = (await api('GET', `/v1/feedback-templates/${made.id}`)).data;
    expect(renamed.questions.map((q: { id: number }) => q.id)).toEqual(
      made.questions.map((q: { id: number }) => q.id),
    );

    // An upward cycle started over the API: Maria's two reports asked; its totals and a reminder here.
    await page.getByText('No feedback cycles yet').waitFor();
    const upward = {
      name: 'H1 upward',
      kind: 'upward',
      template_id: made.id,
      assignments: [{ recipient_id: maria.id }],
    };
    await api('POST', '/v1/feedback-cycles', upward);
    await page.reload();
    const cycle = page
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: 'H1 upward' }) });
    await cycle.getByText('1 request(s): 2 asked, 0 answered, 0 declined, 2 pending').waitFor();
    await cycle.getByRole('button', { name: 'Remind those pending in H1 upward' }).click();
    await cycle.getByText('2 pending in 1 request(s) reminded.').waitFor();
    await expectAccessible(page, 'feedback-cycles');

    await page.getByRole('button', { name: 'Archive Peer review' }).click();
    await page.getByText('No feedback templates yet.').waitFor();
    await page.getByLabel('Show archived templates instead').check();
    await page.getByRole('button', { name: 'Restore Peer review' }).waitFor();
    expect((await api('GET', `/v1/feedback-templates/${made.id}`)).data.archived).toBe(true);
  });

  it('fits a phone: no screen scrolls sideways at 390 px', async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    for (const [path, form] of [
      ['/admin/conversation-templates', 'New conversation template'],
      ['/admin/deployments', 'Deploy a template'],
      ['/admin/feedback-templates', 'New feedback template'],
    ] as const) {
      await page.goto(`${base}${path}`);
      await page.getByRole('heading', { name: form }).waitFor();
      await page.getByText(/^Loading/).waitFor({ state: 'detached' });
      // The question editor open too: its fields must fit as well.
      const add = page.getByRole('button', { name: /^Add a question to/ }).first();
      if (await add.count()) await add.click();
      expect(await overflow(), path).toBeLessThanOrEqual(0);
    }
    await expectAccessible(page, 'phone');
  });

  it('keeps a member out with "Admins only", and the API refuses them too', async () => {
    const context = await browser.newContext();
    const memberPage = await context.newPage();
    await signInToConsole(memberPage, base, rob.email, PASSWORD);
    for (const path of ['/admin/conversation-templates', '/admin/deployments', '/admin/feedback-templates']) {
      await memberPage.goto(`${base}${path}`);
      await memberPage.getByRole('heading', { name: 'Admins only' }).waitFor();
    }
    await expectAccessible(memberPage, 'admins-only');
    const refused = await t.request(rob.key, {
      method: 'POST',
      url: '/v1/feedback-templates',
      payload: { name: 'Mine', questions: [{ type: 'paragraph', text: 'Why?' }] },
    });
    expect(refused.statusCode).toBe(403);
    await context.close();
  });
});
