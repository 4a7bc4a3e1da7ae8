import { describe, expect, it } from 'vitest';
import {
  admin,
  anytime,
  hr,
  hrElsewhere,
  manager,
  ok,
  org,
  outsider,
  type Q,
  qid,
  report,
  send,
  skip,
  useConversationWorld,
} from './conversation-fixtures.js';
import { expectError } from './envelope-assert.js';

/**
 * After submitting (issue 14 item 3): edit requests (request → approve or deny), the manager replaced, and
 * goals discussed.
 */
useConversationWorld();

describe('edit requests', () => {
  it('reopen submitted answers only once an approver says yes', async () => {
    const { tpl, c } = await anytime();
    const r0 = qid(tpl.report_questions, 0);
    const url = `/v1/conversations/${c.id}`;
    expectError(
      await send(report.key, 'POST', `${url}/edit-requests`, {}),
      422,
      'invalid_operation',
      'nothing submitted',
    );
    await ok(report.key, 'POST', `${url}/submit`, { answers: [{ question_id: r0, value: 2 }] });
    const edit = { answers: [{ question_id: r0, value: 5 }] };
    expectError(
      await send(report.key, 'PUT', `${url}/draft`, edit),
      422,
      'invalid_operation',
      'edit without request',
    );
    const request = await ok(report.key, 'POST', `${url}/edit-requests`, { reason: 'Wrong score' }, 201);
    expect(request).toMatchObject({
      conversation_id: c.id,
      side: 'report',
      requested_by: report.id,
      status: 'pending',
      reason: 'Wrong score',
    });
    expectError(
      await send(report.key, 'POST', `${url}/edit-requests`, {}),
      422,
      'invalid_operation',
      'second pending',
    );
    // Still no edit while pending; the participants and approvers see the request, nobody else.
    expectError(await send(report.key, 'PUT', `${url}/draft`, edit), 422, 'invalid_operation', 'pending');
    for (const who of [report, manager, admin, hr]) {
      const listed = await send(who.key, 'GET', `/v1/conversation-edit-requests?conversation_id=${c.id}`);
      expect(
        listed.json().data.map((x: Q) => x.id),
        who.email,
      ).toEqual([request.id]);
    }
    for (const who of [outsider, hrElsewhere, skip]) {
      expectError(
        await send(who.key, 'GET', `/v1/conversation-edit-requests/${request.id}`),
        404,
        'invalid_resource_id',
      );
    }
    // Neither participant decides it: the requester never, the manager is no approver.
    const approve = `/v1/conversation-edit-requests/${request.id}/approve`;
    expectError(await send(report.key, 'POST', approve, {}), 403, 'insufficient_access', 'own request');
    expectError(await send(manager.key, 'POST', approve, {}), 403, 'insufficient_access', 'manager');
    expectError(
      await send(hrElsewhere.key, 'POST', approve, {}),
      404,
      'invalid_resource_id',
      'hr out of scope',
    );
    const approved = await ok(hr.key, 'POST', approve, { note: 'ok' });
    expect(approved).toMatchObject({ status: 'approved', decided_by: hr.id, decision_note: 'ok' });
    expectError(await send(admin.key, 'POST', approve, {}), 422, 'invalid_operation', 'decided twice');
    const reopened = await ok(report.key, 'GET', url);
    expect(reopened).toMatchObject({
      status: 'in_progress',
      report_submitted_at: null,
      report_answers: null,
      my_draft: [{ question_id: r0, value: 2 }],
    });
    await ok(report.key, 'PUT', `${url}/draft`, edit);
    expect(await ok(report.key, 'POST', `${url}/submit`, {})).toMatchObject({
      status: 'submitted',
      report_answers: [{ question_id: r0, value: 5 }],
    });
    // A denial leaves the answers as they are.
    const second = await ok(report.key, 'POST', `${url}/edit-requests`, {}, 201);
    const denied = await ok(admin.key, 'POST', `/v1/conversation-edit-requests/${second.id}/deny`, {});
    expect(denied.status).toBe('denied');
    expect((await ok(report.key, 'GET', url)).report_answers).toEqual([{ question_id: r0, value: 5 }]);
    const events = await send(
      org.key,
      'GET',
      '/v1/audit-events?object_type=conversation_edit_request&size=100',
    );
    const mine = events
      .json()
      .data.filter((e: { object_id: number }) => [request.id, second.id].includes(e.object_id));
    expect(mine.map((e: { action: string }) => e.action).sort()).toEqual([
      'conversation_edit_request.approved',
      'conversation_edit_request.created',
      'conversation_edit_request.created',
      'conversation_edit_request.denied',
    ]);
  });
});

describe('participants and goals', () => {
  it('let admins and HR in scope replace the manager before the manager submitted', async () => {
    const { c } = await anytime();
    const url = `/v1/conversations/${c.id}`;
    await ok(manager.key, 'PUT', `${url}/draft`, { answers: [] });
    for (const who of [manager, report, hrElsewhere]) {
      const res = await send(who.key, 'POST', `${url}/reassign`, { manager_id: skip.id });
      expect([403, 404], `${who.email}: ${res.body}`).toContain(res.statusCode);
    }
    expectError(
      await send(hr.key, 'POST', `${url}/reassign`, { manager_id: report.id }),
      422,
      'invalid_operation',
      'self',
    );
    const moved = await ok(hr.key, 'POST', `${url}/reassign`, { manager_id: skip.id });
    expect(moved).toMatchObject({ manager_id: skip.id, report_id: report.id });
    expect(await ok(skip.key, 'GET', url)).toMatchObject({ my_side: 'manager', my_draft: null });
    expectError(await send(manager.key, 'GET', url), 404, 'invalid_resource_id', 'the previous manager');
    await ok(skip.key, 'POST', `${url}/submit`, {
      answers: [{ question_id: moved.manager_questions[0].id, value: 'fine' }],
    });
    const late = await send(admin.key, 'POST', `${url}/reassign`, { manager_id: manager.id });
    expectError(late, 422, 'invalid_operation', 'after the manager submitted');
    const events = await send(
      org.key,
      'GET',
      `/v1/audit-events?object_id=${c.id}&action=conversation.manager_reassigned`,
    );
    expect(events.json().data[0].changes).toEqual({ manager_id: { from: manager.id, to: skip.id } });
  });

  it('answer an admin who may act but not read with the outcome, without answers or notes', async () => {
    const closed = { settings: { readers: { skip_level: false, admins: false, hr_in_scope: true } } };
    const { tpl, c } = await anytime(closed);
    const url = `/v1/conversations/${c.id}`;
    await ok(report.key, 'POST', `${url}/submit`, {
      answers: [{ question_id: qid(tpl.report_questions, 0), value: 4 }],
    });
    await ok(report.key, 'PATCH', url, { shared_notes: 'between us' });
    expectError(await send(admin.key, 'GET', url), 404, 'invalid_resource_id', 'admin does not read it');
    const moved = await ok(admin.key, 'POST', `${url}/reassign`, { manager_id: skip.id });
    expect(moved).toMatchObject({
      manager_id: skip.id,
      report_answers: null,
      shared_notes: null,
      my_side: null,
    });
    const started = await ok(
      admin.key,
      'POST',
      '/v1/conversations',
      { template_id: tpl.id, report_id: report.id },
      201,
    );
    expect(started).toMatchObject({ manager_id: manager.id, report_id: report.id, status: 'not_started' });
  });

  it('link goals both participants see, where the template allows them', async () => {
    const goal = async (key: string, body: object) =>
      ok(key, 'POST', '/v1/goals', { starts_on: '2027-01-01', ends_on: '2027-12-31', ...body }, 201);
    const shared = await goal(report.key, { name: 'Ship it' });
    const secret = await goal(outsider.key, { name: 'Hidden', visibility: 'private' });
    const { c } = await anytime({ settings: { allow_goals: true } });
    const url = `/v1/conversations/${c.id}`;
    const linked = await ok(manager.key, 'POST', `${url}/goals`, { goal_id: shared.id });
    expect(linked.goal_ids).toEqual([shared.id]);
    expect((await ok(report.key, 'GET', url)).goal_ids).toEqual([shared.id]);
    expectError(
      await send(report.key, 'POST', `${url}/goals`, { goal_id: secret.id }),
      422,
      'invalid_operation',
      'hidden goal',
    );
    expectError(
      await send(org.key, 'POST', `${url}/goals`, { goal_id: shared.id }),
      403,
      'insufficient_access',
      'not a participant',
    );
    const unlinked = await ok(report.key, 'DELETE', `${url}/goals/${shared.id}`);
    expect(unlinked.goal_ids).toEqual([]);
    expectError(
      await send(report.key, 'DELETE', `${url}/goals/${shared.id}`),
      404,
      'invalid_resource_id',
      'twice',
    );
    const closed = await anytime();
    const refused = await send(manager.key, 'POST', `/v1/conversations/${closed.c.id}/goals`, {
      goal_id: shared.id,
    });
    expectError(refused, 422, 'invalid_operation', 'template without goals');
  });
});
