import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedbackAnonymity } from '../src/db/schema.js';
import { replaceHrScope } from '../src/domain/access/hr-scopes.js';
import { createDepartment } from '../src/domain/departments/service.js';
import { createCycle } from '../src/domain/feedback/cycles.js';
import { createRequest, listRequests } from '../src/domain/feedback/requests.js';
import { giveFeedback, listResponses, respond } from '../src/domain/feedback/responses.js';
import { createTemplate } from '../src/domain/feedback/templates.js';
import { updateUser } from '../src/domain/users/service.js';
import { type BareWorld, bareWorld } from './bare-world.js';

/**
 * Who reads a feedback response and a feedback request (feedback/visibility.ts, the SQL predicates), through
 * the feedback services over a migrated database and no app, so that mutation testing can run this suite
 * once per mutant (docs/testing.md). feedback and feedback-anonymity pin the same through HTTP.
 *
 * boss manages manager, who manages recipient. hr covers People (recipient and hr); hr2 covers Sales (the
 * rest but root, the organisation's first admin, a super admin in no department). p1 answers every request;
 * p2 gives unprompted feedback.
 */
let w: BareWorld;
const template: Partial<Record<string, number>> = {};
const request: Record<string, number> = {};
const response: Record<string, number> = {};
const who = (name: string) => w.who(name);
const id = (name: string) => w.id(name);

const QUESTIONS = [{ type: 'paragraph' as const, text: 'What went well?', limit: 200, required: true }];

async function templateOf(name: string, anonymity: FeedbackAnonymity, managersCanRead = true) {
  const t = await createTemplate(w.db, w.operator, {
    name,
    anonymity,
    managers_can_read: managersCanRead,
    questions: QUESTIONS,
  });
  template[name] = t.id;
  const q = t.questions[0]?.id ?? 0;
  return [{ question_id: q, value: `About ${name}` }];
}

/** `by` asks p1 about `about` on template `name`, and p1 answers. */
async function asked(
  name: string,
  by: string,
  about: string,
  answers: { question_id: number; value: string }[],
) {
  const r = await createRequest(w.db, who(by), {
    recipient_id: id(about),
    template_id: template[name] ?? 0,
    provider_ids: [id('p1')],
  });
  request[name] = r.id;
  response[name] = (await respond(w.db, who('p1'), r.id, answers)).id;
}

beforeAll(async () => {
  w = await bareWorld('Feedback');
  const { operator, person } = w;
  const people = (await createDepartment(w.db, operator, { name: 'People', parent_id: null })).id;
  const sales = (await createDepartment(w.db, operator, { name: 'Sales', parent_id: null })).id;
  const boss = await person('boss', 'member', { department_id: sales });
  const manager = await person('manager', 'member', { department_id: sales, manager_id: boss });
  await person('recipient', 'member', { department_id: people, manager_id: manager });
  await person('moved', 'member', { department_id: sales, manager_id: manager });
  for (const name of ['p1', 'p2', 'outsider']) await person(name, 'member', { department_id: sales });
  await person('admin', 'admin', { department_id: sales });
  await person('hr', 'hr_admin', { department_id: people });
  await person('hr2', 'hr_admin', { department_id: sales });
  await replaceHrScope(w.db, operator, id('hr'), { department_ids: [people], group_ids: [] });
  await replaceHrScope(w.db, operator, id('hr2'), { department_ids: [sales], group_ids: [] });

  // The recipient asks p1 on each kind of template.
  for (const [name, anonymity, managersCanRead] of [
    ['named', 'named', true],
    ['anonymous to the recipient', 'anonymous_to_recipient', true],
    ['anonymous to all', 'anonymous_to_all', true],
    ['kept from managers', 'named', false],
  ] as const)
    await asked(name, 'recipient', 'recipient', await templateOf(name, anonymity, managersCanRead));
  // hr, in their own scope, asks about themselves anonymously to the recipient.
  const aboutHr = await templateOf('hr about themselves', 'anonymous_to_recipient');
  await asked('hr about themselves', 'hr', 'hr', aboutHr);
  // manager asks about moved, then moved gets another manager.
  await asked(
    'asked by a former manager',
    'manager',
    'moved',
    await templateOf('asked by a former manager', 'named'),
  );
  await updateUser(w.db, operator, id('moved'), { manager_id: boss });
  // An admin's scheduled 360 about the recipient.
  await templateOf('scheduled', 'named');
  await createCycle(w.db, who('admin'), {
    name: 'Scheduled',
    kind: '360',
    template_id: template.scheduled ?? 0,
    assignments: [{ recipient_id: id('recipient'), provider_ids: [id('p2')] }],
  });
  // p2's unprompted feedback to the recipient: always named, managers read it.
  response.unprompted = (
    await giveFeedback(w.db, who('p2'), { recipient_id: id('recipient'), body: 'Thanks' })
  ).id;
});
afterAll(async () => {
  await w?.close();
});

const EVERYONE = [
  'recipient',
  'p1',
  'p2',
  'manager',
  'boss',
  'hr',
  'hr2',
  'admin',
  'root',
  'outsider',
  'moved',
];

/** The people, among those named, who read the response in their list of feedback. */
const readers = (responseName: string, people = EVERYONE) =>
  w.among(people, async (p) => {
    const { rows } = await listResponses(w.db, p, {}, { limit: 100 });
    return rows.some((r) => r.id === response[responseName]);
  });

/** The people, among those named, who find the request in their list of requests. */
const requestReaders = (requestName: string, people = EVERYONE) =>
  w.among(people, async (p) => {
    const { rows } = await listRequests(w.db, p, {}, { limit: 100 });
    return rows.some((r) => r.id === request[requestName]);
  });

describe('a response', () => {
  it("named: read by its provider, its recipient, the recipient's managers up the chain and their hr_admin", async () => {
    expect(await readers('named')).toEqual(['recipient', 'p1', 'manager', 'boss', 'hr']);
  });

  it('anonymous to the recipient: read by its provider and those who oversee the recipient, not the recipient', async () => {
    expect(await readers('anonymous to the recipient')).toEqual(['p1', 'manager', 'boss', 'hr']);
  });

  it('anonymous to all: read one by one by its provider only', async () => {
    expect(await readers('anonymous to all')).toEqual(['p1']);
  });

  it("on a template kept from managers: not read by the managers, still by the recipient's hr_admin", async () => {
    expect(await readers('kept from managers')).toEqual(['recipient', 'p1', 'hr']);
  });

  it('anonymous to the recipient, about an hr_admin in their own scope: not read by them through it', async () => {
    expect(await readers('hr about themselves', ['hr', 'p1', 'hr2', 'recipient'])).toEqual(['p1']);
  });

  it('is not read through a scope its holder keeps after losing the hr_admin role', async () => {
    w.as.demoted = w.principal(id('hr'), 'member');
    expect(await readers('named', ['demoted'])).toEqual([]);
    expect(await readers('anonymous to the recipient', ['demoted'])).toEqual([]);
  });

  it('given unprompted: read by its provider, the recipient and those who oversee the recipient', async () => {
    expect(await readers('unprompted')).toEqual(['recipient', 'p2', 'manager', 'boss', 'hr']);
  });

  it('stops being read by a manager once the person reports to someone else', async () => {
    expect(await readers('asked by a former manager')).toEqual(['p1', 'boss', 'hr2', 'moved']);
  });
});

describe('a request', () => {
  it("is read by its recipient, the one asked, the recipient's managers and their hr_admin, nobody else", async () => {
    expect(await requestReaders('named')).toEqual(['recipient', 'p1', 'manager', 'boss', 'hr']);
  });

  it('on an anonymous template is found the same way: who reads the answers one by one is another rule', async () => {
    expect(await requestReaders('anonymous to all')).toEqual(['recipient', 'p1', 'manager', 'boss', 'hr']);
  });

  it("on a template kept from managers: not read by the managers, still by the recipient's hr_admin", async () => {
    expect(await requestReaders('kept from managers')).toEqual(['recipient', 'p1', 'hr']);
  });

  it('is still read by the manager who asked after the person moved to another manager', async () => {
    expect(await requestReaders('asked by a former manager')).toEqual([
      'p1',
      'manager',
      'boss',
      'hr2',
      'moved',
    ]);
  });

  it('of a scheduled cycle is not read by the admin who made the cycle', async () => {
    const scheduled = async (name: string) => {
      const { rows } = await listRequests(w.db, who(name), { kind: 'scheduled' }, { limit: 100 });
      return rows.length;
    };
    expect(await scheduled('admin')).toBe(0);
    expect(await scheduled('recipient')).toBe(1);
    expect(await scheduled('p2')).toBe(1);
    expect(await scheduled('hr')).toBe(1);
  });

  it('is not read through a scope its holder keeps after losing the hr_admin role', async () => {
    w.as.demoted = w.principal(id('hr'), 'member');
    expect(await requestReaders('named', ['demoted'])).toEqual([]);
  });
});
