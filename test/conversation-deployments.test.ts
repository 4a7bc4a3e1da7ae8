import { describe, expect, it } from 'vitest';
import { operatorPrincipal } from '../src/domain/access/principal.js';
import { createApiKey } from '../src/domain/keys/service.js';
import {
  admin,
  anytime,
  anytimeTemplate,
  auditCount,
  conversationCount,
  departmentId,
  hr,
  hrElsewhere,
  type Method,
  manager,
  ok,
  org,
  other,
  outsider,
  type Q,
  qid,
  report,
  report2,
  send,
  skip,
  type Template,
  t,
  useConversationWorld,
} from './conversation-fixtures.js';
import { expectError } from './envelope-assert.js';
import type { Member } from './harness.js';

/**
 * Conversation deployments (issue 14 item 2): populations, one conversation per pair in one step, sync,
 * filters and paging of one deployment's conversations, refusals that write nothing; input at the edges
 * and the test sandbox.
 */
useConversationWorld();

describe('deployments', () => {
  const scheduled = { ...anytimeTemplate, name: 'Quarterly review', kind: 'scheduled' };
  const ids = (res: { json(): { data: Q[] } }) => res.json().data.map((x) => x.id);

  it('make one conversation per person of the population with their manager, in one step', async () => {
    const tpl: Template = await ok(admin.key, 'POST', '/v1/conversation-templates', scheduled, 201);
    const period = await ok(
      org.key,
      'POST',
      '/v1/periods',
      { name: 'Q1 2027', starts_on: '2027-01-01', ends_on: '2027-03-31' },
      201,
    );
    const before = await auditCount();
    const d = await ok(
      admin.key,
      'POST',
      '/v1/conversation-deployments',
      {
        template_id: tpl.id,
        period_id: period.id,
        starts_on: '2027-01-04',
        due_on: '2027-01-29',
        audience: 'departments',
        department_ids: [departmentId],
      },
      201,
    );
    expect(d).toMatchObject({
      template_id: tpl.id,
      template_version: 1,
      name: 'Quarterly review 2027-01-04',
      audience: 'departments',
      audience_ids: [departmentId],
      only_with_manager: true,
      conversation_count: 3,
    });
    expect(await auditCount()).toBe(before + 1);
    const listed = await send(org.key, 'GET', `/v1/conversations?deployment_id=${d.id}`);
    expect(listed.json().total_count).toBe(3);
    const pairs = listed
      .json()
      .data.map((c: { manager_id: number; report_id: number }) => [c.manager_id, c.report_id]);
    expect(pairs.sort()).toEqual(
      [
        [skip.id, manager.id],
        [manager.id, report.id],
        [manager.id, report2.id],
      ].sort(),
    );
    expect(listed.json().data[0]).toMatchObject({
      deployment_id: d.id,
      starts_on: '2027-01-04',
      due_on: '2027-01-29',
      status: 'not_started',
    });
    // The seed's way: the template list carries its deployments, whose id lists the conversations.
    const templates = await send(report.key, 'GET', '/v1/conversation-templates?kind=scheduled&size=100');
    const shown = templates.json().data.find((x: Q) => x.id === tpl.id);
    expect(shown.deployments).toEqual([
      expect.objectContaining({
        id: d.id,
        period_id: period.id,
        conversation_count: 3,
        starts_on: '2027-01-04',
      }),
    ]);
    // Each sees theirs: the report one, the manager three (one as report), hr in scope all, elsewhere none.
    expect(ids(await send(report.key, 'GET', `/v1/conversations?deployment_id=${d.id}`))).toHaveLength(1);
    expect(ids(await send(manager.key, 'GET', `/v1/conversations?deployment_id=${d.id}`))).toHaveLength(3);
    expect(ids(await send(hr.key, 'GET', `/v1/conversations?deployment_id=${d.id}`))).toHaveLength(3);
    expect(ids(await send(hrElsewhere.key, 'GET', `/v1/conversations?deployment_id=${d.id}`))).toHaveLength(
      0,
    );
    // Filters.
    const q = (query: string) => send(org.key, 'GET', `/v1/conversations?deployment_id=${d.id}&${query}`);
    expect((await q(`manager_id=${manager.id}`)).json().total_count).toBe(2);
    expect((await q(`person_id=${manager.id}`)).json().total_count).toBe(3);
    expect((await q(`report_id=${report.id}`)).json().total_count).toBe(1);
    expect((await q('status=not_started')).json().total_count).toBe(3);
    expect((await q('status=shared')).json().total_count).toBe(0);
    expect((await q(`template_id=${tpl.id}&period_id=${period.id}`)).json().total_count).toBe(3);
    expect((await q('due_from=2027-01-29&due_to=2027-01-29')).json().total_count).toBe(3);
    expect((await q('due_to=2027-01-28')).json().total_count).toBe(0);
    const paged = await q('size=2');
    expect(paged.json()).toMatchObject({ total_count: 3, size: 2 });
    expect(paged.json().next_cursor).not.toBeNull();
    const rest = await q(`size=2&cursor=${paged.json().next_cursor}`);
    expect(rest.json().data).toHaveLength(1);
    expectError(await q('size=101'), 400, 'invalid_parameters', 'size over 100');
  });

  it('add people who joined the population later, once each', async () => {
    const tpl: Template = await ok(admin.key, 'POST', '/v1/conversation-templates', scheduled, 201);
    const d = await ok(
      admin.key,
      'POST',
      '/v1/conversation-deployments',
      {
        template_id: tpl.id,
        starts_on: '2027-04-01',
        due_on: '2027-04-30',
        audience: 'departments',
        department_ids: [departmentId],
      },
      201,
    );
    const none = await ok(admin.key, 'POST', `/v1/conversation-deployments/${d.id}/sync`);
    expect(none).toMatchObject({ added: 0, deployment: { conversation_count: 3 } });
    const joiner = await t.createMember(org, {
      fields: { manager_id: manager.id, department_id: departmentId },
    });
    const synced = await ok(admin.key, 'POST', `/v1/conversation-deployments/${d.id}/sync`);
    expect(synced).toMatchObject({ added: 1, deployment: { conversation_count: 4 } });
    expect(synced.deployment.synced_at).not.toBeNull();
    const mine = await send(joiner.key, 'GET', `/v1/conversations?deployment_id=${d.id}`);
    expect(mine.json().data).toMatchObject([{ manager_id: manager.id, report_id: joiner.id }]);
    expect((await ok(admin.key, 'POST', `/v1/conversation-deployments/${d.id}/sync`)).added).toBe(0);
    const events = await send(org.key, 'GET', `/v1/audit-events?object_id=${d.id}&size=10`);
    expect(
      events
        .json()
        .data.map((e: { action: string }) => e.action)
        .sort(),
    ).toEqual([
      'conversation_deployment.created',
      // Each sync is recorded, the two that found nobody new too (their added count is 0).
      'conversation_deployment.synced',
      'conversation_deployment.synced',
      'conversation_deployment.synced',
    ]);
  });

  it('reach groups and lists of people, and people without a manager only when asked', async () => {
    const tpl: Template = await ok(admin.key, 'POST', '/v1/conversation-templates', scheduled, 201);
    const group = await ok(
      org.key,
      'POST',
      '/v1/groups',
      { name: 'Pilots', user_ids: [report.id, outsider.id] },
      201,
    );
    const base = { template_id: tpl.id, starts_on: '2027-05-01', due_on: '2027-05-01' };
    const byGroup = await ok(
      admin.key,
      'POST',
      '/v1/conversation-deployments',
      { ...base, audience: 'groups', group_ids: [group.id] },
      201,
    );
    expect(byGroup.conversation_count).toBe(1);
    const alone = await ok(
      admin.key,
      'POST',
      '/v1/conversation-deployments',
      {
        ...base,
        audience: 'people',
        user_ids: [outsider.id, report2.id],
        only_with_manager: false,
      },
      201,
    );
    expect(alone.conversation_count).toBe(2);
    const listed = await send(outsider.key, 'GET', `/v1/conversations?deployment_id=${alone.id}`);
    expect(listed.json().data).toMatchObject([{ manager_id: null, report_id: outsider.id }]);
    // Alone, the report's answers share the conversation at once, and only they confirm the meeting.
    const url = `/v1/conversations/${listed.json().data[0].id}`;
    const shared = await ok(outsider.key, 'POST', `${url}/submit`, { answers: [] });
    expect(shared).toMatchObject({ status: 'shared', manager_id: null, my_side: 'report' });
    expectError(await send(outsider.key, 'POST', `${url}/complete`), 422, 'invalid_operation', 'unconfirmed');
    await ok(outsider.key, 'POST', `${url}/confirm-meeting`);
    expect(await ok(outsider.key, 'POST', `${url}/complete`)).toMatchObject({ status: 'completed' });
    const everyone = await ok(
      admin.key,
      'POST',
      '/v1/conversation-deployments',
      { ...base, audience: 'everyone' },
      201,
    );
    expect(everyone.conversation_count).toBeGreaterThanOrEqual(3);
  });

  it('refuse an empty population, due before start, an anytime template and a member, writing nothing', async () => {
    const tpl: Template = await ok(admin.key, 'POST', '/v1/conversation-templates', scheduled, 201);
    const { tpl: anytimeTpl } = await anytime();
    const empty = await ok(org.key, 'POST', '/v1/departments', { name: 'Empty' }, 201);
    const base = { template_id: tpl.id, starts_on: '2027-06-01', due_on: '2027-06-30' };
    const before = await auditCount();
    const conversations = await conversationCount();
    const refused: [object, number][] = [
      [{ ...base, audience: 'departments', department_ids: [empty.id] }, 422],
      [{ ...base, audience: 'people', user_ids: [outsider.id] }, 422],
      [{ ...base, audience: 'departments' }, 422],
      [{ ...base, audience: 'departments', department_ids: [] }, 400],
      [{ ...base, audience: 'departments', department_ids: [987_654_321] }, 422],
      [{ ...base, audience: 'everyone', group_ids: [1] }, 422],
      [{ ...base, audience: 'groups', department_ids: [departmentId] }, 422],
      [{ ...base, audience: 'everyone', due_on: '2027-05-31' }, 422],
      [{ ...base, template_id: anytimeTpl.id, audience: 'everyone' }, 422],
      [{ ...base, template_id: 987_654_321, audience: 'everyone' }, 422],
      [{ ...base, period_id: 987_654_321, audience: 'everyone' }, 422],
    ];
    for (const [body, status] of refused) {
      const res = await send(admin.key, 'POST', '/v1/conversation-deployments', body);
      expectError(
        res,
        status,
        status === 400 ? 'invalid_parameters' : 'invalid_operation',
        JSON.stringify(body),
      );
    }
    for (const who of [manager, hr]) {
      const res = await send(who.key, 'POST', '/v1/conversation-deployments', {
        ...base,
        audience: 'everyone',
      });
      expectError(res, 403, 'insufficient_access', 'non-admin deploys');
    }
    expect(await auditCount()).toBe(before);
    expect(await conversationCount()).toBe(conversations);
    expect(
      (await send(org.key, 'GET', `/v1/conversation-deployments?template_id=${tpl.id}`)).json().total_count,
    ).toBe(0);
  });

  it('are read by id, and another organisation’s are 404', async () => {
    const tpl: Template = await ok(other.key, 'POST', '/v1/conversation-templates', scheduled, 201);
    const otherMember = await t.createMember(other);
    await t.createMember(other, { fields: { manager_id: otherMember.id } });
    const d = await ok(
      other.key,
      'POST',
      '/v1/conversation-deployments',
      {
        template_id: tpl.id,
        starts_on: '2027-01-01',
        due_on: '2027-01-02',
        audience: 'everyone',
      },
      201,
    );
    expect((await ok(other.key, 'GET', `/v1/conversation-deployments/${d.id}`)).conversation_count).toBe(1);
    expectError(
      await send(org.key, 'GET', `/v1/conversation-deployments/${d.id}`),
      404,
      'invalid_resource_id',
    );
    expectError(
      await send(org.key, 'POST', `/v1/conversation-deployments/${d.id}/sync`),
      404,
      'invalid_resource_id',
    );
    expect((await send(org.key, 'GET', `/v1/conversations?deployment_id=${d.id}`)).json().total_count).toBe(
      0,
    );
    const theirs = (await send(other.key, 'GET', `/v1/conversations?deployment_id=${d.id}`)).json().data[0];
    expectError(await send(org.key, 'GET', `/v1/conversations/${theirs.id}`), 404, 'invalid_resource_id');
    expectError(
      await send(org.key, 'POST', `/v1/conversations/${theirs.id}/submit`, {}),
      404,
      'invalid_resource_id',
    );
  });
});

describe('input at the edges', () => {
  it('replays a deployment sent twice with one Idempotency-Key, making its conversations once', async () => {
    const tpl: Template = await ok(
      admin.key,
      'POST',
      '/v1/conversation-templates',
      { ...anytimeTemplate, kind: 'scheduled' },
      201,
    );
    const body = { template_id: tpl.id, starts_on: '2027-09-01', due_on: '2027-09-30', audience: 'everyone' };
    const headers = { 'idempotency-key': 'deploy-once' };
    const first = await t.request(admin.key, {
      method: 'POST',
      url: '/v1/conversation-deployments',
      payload: body,
      headers,
    });
    const again = await t.request(admin.key, {
      method: 'POST',
      url: '/v1/conversation-deployments',
      payload: body,
      headers,
    });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().data.id).toBe(first.json().data.id);
    const listed = await send(org.key, 'GET', `/v1/conversation-deployments?template_id=${tpl.id}`);
    expect(listed.json().total_count).toBe(1);
  });

  it('refuses what PostgreSQL cannot store, and a default due date past year 9999, with a 4xx', async () => {
    const { tpl, c } = await anytime();
    const before = await auditCount();
    const url = `/v1/conversations/${c.id}`;
    const r1 = qid(tpl.report_questions, 1);
    const cases: [Member, Method, string, object, number][] = [
      [report, 'PUT', `${url}/draft`, { answers: [{ question_id: r1, value: 'a\u0000b' }] }, 400],
      [report, 'PUT', `${url}/private-note`, { body: '\ud800' }, 400],
      [report, 'PUT', `${url}/draft`, { answers: [{ question_id: 2 ** 53, value: 'x' }] }, 400],
      [report, 'PUT', `${url}/draft`, { answers: [{ question_id: r1, value: 1e300 }] }, 400],
      [report, 'PATCH', url, { shared_notes: 'x'.repeat(10_001) }, 400],
      [
        manager,
        'POST',
        '/v1/conversations',
        { template_id: tpl.id, report_id: report.id, starts_on: '0000-01-01' },
        400,
      ],
      [
        manager,
        'POST',
        '/v1/conversations',
        { template_id: tpl.id, report_id: report.id, starts_on: '9999-12-31' },
        422,
      ],
      [admin, 'POST', '/v1/conversation-templates', { ...anytimeTemplate, name: 'x\u0000' }, 400],
    ];
    for (const [who, method, where, body, status] of cases) {
      const res = await send(who.key, method, where, body);
      expect(res.statusCode, `${where} ${JSON.stringify(body).slice(0, 80)}: ${res.body.slice(0, 200)}`).toBe(
        status,
      );
    }
    expect(await auditCount()).toBe(before);
  });
});

describe('the test sandbox', () => {
  it('is reset with its templates, deployments and conversations gone', async () => {
    const { plaintext: testKey } = await createApiKey(t.db, operatorPrincipal(org.orgId, org.adminId), {
      user: org.adminId,
      name: 'conversations sandbox',
      mode: 'test',
    });
    await ok(testKey, 'POST', '/v1/sandbox/reset');
    const tpl: Template = await ok(
      testKey,
      'POST',
      '/v1/conversation-templates',
      { ...anytimeTemplate, kind: 'scheduled' },
      201,
    );
    const d = await ok(
      testKey,
      'POST',
      '/v1/conversation-deployments',
      {
        template_id: tpl.id,
        starts_on: '2027-01-01',
        due_on: '2027-01-31',
        audience: 'everyone',
      },
      201,
    );
    expect(d.conversation_count).toBeGreaterThan(0);
    const live = (await send(org.key, 'GET', `/v1/conversation-deployments/${d.id}`)).statusCode;
    expect(live, 'a test-mode deployment is not seen with a live key').toBe(404);
    await ok(testKey, 'POST', '/v1/sandbox/reset');
    expect((await send(testKey, 'GET', '/v1/conversations?size=1')).json().total_count).toBe(0);
    expect((await send(testKey, 'GET', '/v1/conversation-templates?size=1')).json().total_count).toBe(0);
  });
});
