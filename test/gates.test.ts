import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './envelope-assert.js';
import { type Org, startTestApp, type TestApp } from './harness.js';
import { loadRoutes, type Route } from './route-catalog.js';

/**
 * Authorisation before validation (docs/decisions.md): a route whose caller's role alone decides names a
 * policy gate, checked as soon as the key is known. The shared security suite walks every gated route
 * (test/shared-security.ts); this file pins which routes are gated, so that losing a gate fails here.
 */
let t: TestApp;
let org: Org;
let routes: Route[];

beforeAll(async () => {
  t = await startTestApp();
  org = await t.createOrg();
  routes = (await loadRoutes(t, '/v1')).routes;
});
afterAll(() => t.close());

const gateOf = (label: string) => routes.find((r) => r.label === label)?.gate;

describe('route gates', () => {
  it('guard every route that only some roles may call, named in the OpenAPI document', () => {
    const expected: Record<string, string> = {
      'GET /v1/api-keys': 'manageApiKeys',
      'POST /v1/api-keys': 'manageApiKeys',
      'POST /v1/api-keys/{id}/revoke': 'manageApiKeys',
      'GET /v1/audit-events': 'readAuditEvents',
      'POST /v1/sandbox/reset': 'resetSandbox',
      'PUT /v1/users/{id}/hr-scope': 'manageHrScopes',
      'GET /v1/departments': 'readDepartments',
      'POST /v1/departments': 'manageDepartments',
      'PUT /v1/groups/{id}/members': 'manageGroups',
      'DELETE /v1/teams/{id}': 'manageTeams',
      'POST /v1/users': 'writeUsers',
      'PATCH /v1/users/{id}': 'writeUsers',
      'POST /v1/users/{id}/deactivate': 'writeUsers',
      'POST /v1/users/bulk': 'writeUsers',
      'PATCH /v1/periods/{id}': 'managePeriods',
      'PUT /v1/settings/assessment-scale': 'configureGoals',
      'POST /v1/feedback-templates': 'manageFeedback',
      'PATCH /v1/feedback-templates/{id}': 'manageFeedback',
      'PUT /v1/settings/feedback': 'manageFeedback',
      'GET /v1/feedback-cycles': 'manageFeedback',
      'POST /v1/feedback-cycles': 'manageFeedback',
      'POST /v1/feedback-cycles/{id}/remind': 'manageFeedback',
      'POST /v1/company-values': 'manageCompanyValues',
      'PATCH /v1/company-values/{id}': 'manageCompanyValues',
      'DELETE /v1/company-values/{id}': 'manageCompanyValues',
      'POST /v1/conversation-templates': 'manageConversationTemplates',
      'PATCH /v1/conversation-templates/{id}': 'manageConversationTemplates',
      'POST /v1/conversation-deployments': 'manageConversationTemplates',
      'POST /v1/conversation-deployments/{id}/sync': 'manageConversationTemplates',
      'POST /v1/calibration/cycles': 'manageCalibration',
      'PATCH /v1/calibration/cycles/{id}': 'manageCalibration',
      'POST /v1/calibration/cycles/{id}/sessions': 'manageCalibration',
      'PATCH /v1/calibration/cycles/{id}/sessions/{session_id}': 'manageCalibration',
      'DELETE /v1/calibration/cycles/{id}/sessions/{session_id}': 'manageCalibration',
      'POST /v1/calibration/cycles/{id}/sync': 'manageCalibration',
    };
    for (const [label, gate] of Object.entries(expected)) expect(gateOf(label), label).toBe(gate);
  });

  it('leave open the routes whose answer depends on the object, not only on the role', () => {
    // Reading people, goals and periods is everyone's; writing a goal or a team's members depends on it.
    for (const label of [
      'GET /v1/users',
      'GET /v1/periods',
      'POST /v1/goals',
      'PATCH /v1/goals/{id}',
      'PUT /v1/teams/{id}/members/{user_id}',
      // Feedback: whom it is about and who was asked decide, never the role alone.
      'GET /v1/feedback-templates',
      'POST /v1/feedback-requests',
      'POST /v1/feedback-requests/{id}/responses',
      'POST /v1/feedback-requests/{id}/cancel',
      'GET /v1/feedback',
      'POST /v1/feedback',
      // Reading templates is everyone's; writing a conversation depends on being one of its two.
      'GET /v1/conversation-templates',
      'POST /v1/conversations',
      'PUT /v1/conversations/{id}/draft',
      // Calibration: a manager proposes and a facilitator calibrates by their tie to the record.
      'GET /v1/calibration/cycles',
      'PATCH /v1/calibration/cycles/{id}/talent-records/{talent_record_id}',
      'POST /v1/calibration/cycles/{id}/talent-records/bulk',
    ])
      expect(gateOf(label), label).toBeNull();
  });

  it('refuse a member before parsing a malformed body (JSON syntax is not taught to them either)', async () => {
    const member = await t.createMember(org);
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/users',
      headers: { authorization: `Bearer ${member.key}`, 'content-type': 'application/json' },
      payload: '{"email": ',
    });
    expectError(res, 403, 'insufficient_access');
    expect(res.json().error_description).toBe('Only admins and HR admins change people.');
  });

  it('let an hr_admin through the people gate, where the body is then judged', async () => {
    const hr = await t.createMember(org, { role: 'hr_admin' });
    const res = await t.request(hr.key, {
      method: 'POST',
      url: '/v1/users',
      payload: { email: 'x', first_name: 'A', last_name: 'B' },
    });
    expectError(res, 400, 'invalid_parameters');
  });

  it('say the same sentence when the service refuses, whichever face or command asked', async () => {
    const member = await t.createMember(org);
    const res = await t.request(member.key, { method: 'POST', url: '/v1/groups', payload: { name: 'g' } });
    expectError(res, 403, 'insufficient_access');
    expect(res.json().error_description).toBe('Only admins manage groups.');
  });
});
