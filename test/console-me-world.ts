import { createHash, randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { givePassword } from './console-kit.js';
import type { Member, Org, TestApp } from './harness.js';
import { REDIRECT_URI } from './oauth-kit.js';

/** What test/console-me.e2e.test.ts starts from, and the OAuth app's side of its flows. */

export const PASSWORD = 'correct horse battery staple';
export const APP_NAME = 'Roadmap Sync';
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** The fields of an answer's data that these fixtures read (an object's id, an app's client id, …). */
interface Data {
  id: number;
  client_id: string;
  questions: { id: number }[];
  received: number;
}
type Caller = (key: string, method: 'GET' | 'POST', url: string, payload?: object) => Promise<Data>;

/** A fixture's call through the API as the key's holder: its data, or a thrown error naming the answer. */
export const caller =
  (t: TestApp): Caller =>
  async (key, method, url, payload) => {
    const res = await t.request(key, { method, url, ...(payload && { payload }) });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json().data as Data;
  };

export interface MeWorld {
  org: Org;
  ada: Member;
  grace: Member;
  alan: Member;
  goalId: number;
  companyGoalId: number;
  appClientId: string;
}

/** The world: Ada (a member) reports to Grace; Alan is an admin; Ada owns a goal and has a 1:1 with Grace. */
export async function buildMeWorld(t: TestApp): Promise<MeWorld> {
  const api = caller(t);
  const org = await t.createOrg('Analytical Engines');
  const grace = await t.createMember(org, { fields: { first_name: 'Grace', last_name: 'Hopper' } });
  const ada = await t.createMember(org, {
    fields: { first_name: 'Ada', last_name: 'Lovelace', manager_id: grace.id },
  });
  const alan = await t.createMember(org, {
    role: 'admin',
    fields: { first_name: 'Alan', last_name: 'Turing' },
  });
  await givePassword(t, org, ada, PASSWORD);
  await givePassword(t, org, alan, PASSWORD);
  const goalId = (
    await api(org.key, 'POST', '/v1/goals', {
      name: 'Ship the engine',
      owner_user_id: ada.id,
      starts_on: day(-30),
      ends_on: day(60),
      milestones: [{ name: 'Gears cut', unit: 'number', start_value: 0, target_value: 10 }],
    })
  ).id;
  const companyGoalId = (
    await api(org.key, 'POST', '/v1/goals', {
      name: 'Grow the company',
      goal_type: 'company',
      starts_on: day(-30),
      ends_on: day(60),
    })
  ).id;
  const template = await api(org.key, 'POST', '/v1/conversation-templates', {
    name: 'Weekly 1:1',
    kind: 'anytime',
    format: 'two_way',
    manager_questions: [{ text: 'What went well?', type: 'paragraph' }],
    report_questions: [{ text: 'How do you feel?', type: 'paragraph' }],
  });
  await api(org.key, 'POST', '/v1/conversations', { template_id: template.id, report_id: ada.id });
  await api(grace.key, 'POST', '/v1/feedback', { recipient_id: ada.id, body: 'Clear release notes.' });
  await anonymousAnswer(api, org, { recipient: ada, providers: [grace, alan] });
  const appClientId = (
    await api(org.key, 'POST', '/v1/oauth-apps', {
      name: APP_NAME,
      redirect_uris: [REDIRECT_URI],
      contact_email: 'developer@example.com',
      kind: 'public',
    })
  ).client_id;
  return { org, ada, grace, alan, goalId, companyGoalId, appClientId };
}

/** The first provider's answer under a template anonymous to the recipient: never listed to them one by one. */
async function anonymousAnswer(
  api: Caller,
  org: Org,
  { recipient, providers }: { recipient: Member; providers: [Member, Member] },
) {
  const template = await api(org.key, 'POST', '/v1/feedback-templates', {
    name: 'Peer review',
    anonymity: 'anonymous_to_recipient',
    questions: [{ type: 'paragraph', text: 'What went well?', required: true }],
  });
  const request = await api(recipient.key, 'POST', '/v1/feedback-requests', {
    template_id: template.id,
    provider_ids: providers.map((p) => p.id),
  });
  await api(providers[0].key, 'POST', `/v1/feedback-requests/${request.id}/responses`, {
    answers: [{ question_id: template.questions[0]?.id, value: 'Secret praise' }],
  });
}

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** The person approves the app on the real consent page; the app exchanges the code for an access token. */
export async function authoriseApp(page: Page, base: string, clientId: string): Promise<string> {
  // The app's callback never runs: the browser's arrival there is answered here, as the app would answer it.
  await page.route(`${REDIRECT_URI}**`, (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>Back</title><h1>Back</h1>' }),
  );
  const { verifier, challenge } = pkce();
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: REDIRECT_URI,
    scope: 'read',
    state: 'console-me',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  await page.goto(`${base}/oauth/authorize?${query}`);
  await page.getByRole('heading', { name: `Allow ${APP_NAME}?` }).waitFor();
  await page.click('button[value="approve"]');
  await page.waitForURL((url) => url.href.startsWith(`${REDIRECT_URI}?`));
  const code = new URL(page.url()).searchParams.get('code') ?? '';
  const exchanged = await fetch(`${base}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      client_id: clientId,
      code_verifier: verifier,
    }),
  });
  expect(exchanged.status).toBe(200);
  return ((await exchanged.json()) as { access_token: string }).access_token;
}

// Each step waits on a busy shared machine: a minute each, none of it asserted. PGlite only, like

/** The app's own call with its client id and hash: 200 while the pair is good, 401 once it is not. */
export async function introspectWith(base: string, clientId: string, hash: string) {
  const res = await fetch(`${base}/oauth/introspect`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: 'twa_live_nothing', client_id: clientId, client_hash: hash }),
  });
  return res.status;
}
