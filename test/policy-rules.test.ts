import { describe, expect, it } from 'vitest';
import type { Mode, Role } from '../src/db/schema.js';
import { type Access, authorize, gates, NEW_USER_ACCESS, pass, policy } from '../src/domain/access/policy.js';
import type { Principal } from '../src/domain/access/principal.js';
import { AppError } from '../src/domain/errors.js';

/**
 * Every rule of access/policy.ts asked of every kind of caller, called directly so that mutation testing
 * can run this suite once per mutant (docs/testing.md); access-roles, gates and rules-pinned-access ask the
 * same through HTTP. The sets below are docs/access-matrix.md's roles column by column.
 */
const caller = (role: Role, dataAdmin = false, mode: Mode = 'live'): Principal => ({
  orgId: 1,
  mode,
  userId: 7,
  role,
  dataAdmin,
  apiKeyId: 1,
  requestId: null,
});
const CALLERS = {
  super: caller('super_admin'),
  admin: caller('admin'),
  data: caller('member', true),
  hr: caller('hr_admin'),
  member: caller('member'),
} as const;
type Who = keyof typeof CALLERS;
const ALL = Object.keys(CALLERS) as Who[];
const ORG_ADMINS: Who[] = ['super', 'admin', 'data'];

/** The callers a one-argument rule lets through. */
const allowed = (rule: (p: Principal) => boolean) => ALL.filter((who) => rule(CALLERS[who]));

const RULES: [Who[], (keyof typeof policy)[]][] = [
  [
    ['super'],
    [
      'manageApiKeys',
      'readAuditEvents',
      'manageServiceAccounts',
      'resetSandbox',
      'manageHrScopes',
      'readsConfidentialEverywhere',
      'readAllConversations',
      'calibrateEverywhere',
    ],
  ],
  [
    ORG_ADMINS,
    [
      'manageOAuthApps',
      'inviteUsers',
      'managePrivacyNotice',
      'manageDepartments',
      'manageGroups',
      'manageTeams',
      'isOrgAdmin',
      'managePeriods',
      'readAllGoals',
      'writeAnyGoal',
      'ownOrgGoals',
      'configureGoals',
      'manageConversationTemplates',
      'readConversationsAsAdmin',
      'startAnyConversation',
      'decideEditRequests',
      'reassignConversations',
      'manageCompanyValues',
      'readAllRecognition',
      'moderateRecognition',
      'manageFeedback',
      'readAllMetricHooks',
      'manageWebhooks',
    ],
  ],
  [
    ['super', 'admin', 'data', 'hr'],
    ['readDepartments', 'writeUsers'],
  ],
  [['super', 'admin'], ['manageSso']],
  [['super', 'hr'], ['manageCalibration']],
  [ALL, ['readDirectory', 'readPeriods', 'readConversationTemplates']],
];

describe('rules the role alone decides', () => {
  for (const [who, names] of RULES) {
    it(`lets ${who.join(', ')} through: ${names.join(', ')}`, () => {
      for (const name of names) {
        expect(allowed(policy[name] as (p: Principal) => boolean), name).toEqual(who);
      }
    });
  }

  it('gives a new user the rights of a plain member', () => {
    expect(NEW_USER_ACCESS).toEqual({ role: 'member', dataAdmin: false });
  });
});

describe('rules the mode decides', () => {
  it('lets a test key change no live-only thing and send no mail, whatever its role', () => {
    for (const name of [
      'sendsMail',
      'changePrivacyNoticeInMode',
      'manageSsoInMode',
      'changeServiceAccountsInMode',
    ] as const) {
      expect(policy[name](caller('super_admin', true, 'live')), name).toBe(true);
      expect(policy[name](caller('super_admin', true, 'test')), name).toBe(false);
    }
  });

  it('lets a live key manage keys of both modes, a test key test keys only', () => {
    expect(policy.manageKeyOfMode(caller('super_admin'), 'live')).toBe(true);
    expect(policy.manageKeyOfMode(caller('super_admin'), 'test')).toBe(true);
    expect(policy.manageKeyOfMode(caller('super_admin', false, 'test'), 'test')).toBe(true);
    expect(policy.manageKeyOfMode(caller('super_admin', false, 'test'), 'live')).toBe(false);
  });
});

describe('rules that depend on the object', () => {
  it("lets org admins and the team's owners manage its members, not its managers", () => {
    expect(ALL.filter((who) => policy.manageTeamMembers(CALLERS[who], null))).toEqual(ORG_ADMINS);
    expect(ALL.filter((who) => policy.manageTeamMembers(CALLERS[who], 'owner'))).toEqual(ALL);
    expect(ALL.filter((who) => policy.manageTeamMembers(CALLERS[who], 'manager'))).toEqual(ORG_ADMINS);
  });

  it('lets a metric hook be managed by its creator and org admins', () => {
    expect(ALL.filter((who) => policy.manageMetricHook(CALLERS[who], 7))).toEqual(ALL);
    expect(ALL.filter((who) => policy.manageMetricHook(CALLERS[who], 8))).toEqual(ORG_ADMINS);
  });

  it('lets nobody change the status of someone with more access', () => {
    const targets: [Access, Who[]][] = [
      [{ role: 'super_admin', dataAdmin: false }, ['super']],
      [{ role: 'admin', dataAdmin: false }, ORG_ADMINS],
      [{ role: 'member', dataAdmin: true }, ORG_ADMINS],
      [{ role: 'hr_admin', dataAdmin: false }, ALL],
      [{ role: 'member', dataAdmin: false }, ALL],
    ];
    for (const [target, who] of targets) {
      expect(
        ALL.filter((w) => policy.setStatusOf(CALLERS[w], target)),
        JSON.stringify(target),
      ).toEqual(who);
    }
  });

  it('lets only a super admin change a role or the grant; others may send them unchanged', () => {
    const current: Access = { role: 'admin', dataAdmin: false };
    const asking = (role: Role | undefined, dataAdmin: boolean | undefined) =>
      ALL.filter((who) => policy.grantRole(CALLERS[who], { role, dataAdmin }, current));
    expect(asking(undefined, undefined)).toEqual(ALL);
    expect(asking('admin', false)).toEqual(ALL);
    expect(asking('member', undefined)).toEqual(['super']);
    expect(asking('super_admin', false)).toEqual(['super']);
    expect(asking(undefined, true)).toEqual(['super']);
    expect(asking('admin', true)).toEqual(['super']);
  });
});

describe('gates', () => {
  /** The sentence a refused caller reads, or null when the gate lets them through. */
  function refusal(run: () => void): string | null {
    try {
      run();
      return null;
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('insufficient_access');
      return (error as Error).message;
    }
  }

  const SENTENCES: Record<keyof typeof gates, string> = {
    manageApiKeys: 'Only super admins manage API keys.',
    manageOAuthApps: 'Only admins manage OAuth apps.',
    inviteUsers: 'Only admins invite people to sign in.',
    managePrivacyNotice: 'Only admins change the privacy notice.',
    manageSso: 'Only super admins and admins manage single sign-on.',
    manageServiceAccounts: 'Only super admins manage service accounts.',
    readAuditEvents: 'Only super admins read the audit log.',
    manageWebhooks: 'Only admins manage webhook endpoints and read events and deliveries.',
    resetSandbox: 'Only super admins reset the test-mode sandbox.',
    manageHrScopes: 'Only super admins read and set HR-admin scopes.',
    readDepartments: 'Only admins and HR admins can read departments.',
    manageDepartments: 'Only admins manage departments.',
    manageGroups: 'Only admins manage groups.',
    manageTeams: 'Only admins create, rename and delete teams.',
    writeUsers: 'Only admins and HR admins change people.',
    managePeriods: 'Only admins set up and change periods.',
    configureGoals: 'Only admins set the assessment scale.',
    manageFeedback: 'Only admins manage feedback templates and settings.',
    manageCompanyValues: 'Only admins create, change and delete company values.',
    manageConversationTemplates: 'Only admins manage conversation templates and deployments.',
    manageCalibration: 'Only super admins and HR admins manage calibration cycles and sessions.',
  };

  it('each pass the callers of its rule and refuse the others in its own words, under its own name', () => {
    expect(Object.keys(gates).sort()).toEqual(Object.keys(SENTENCES).sort());
    for (const [name, gate] of Object.entries(gates) as [
      keyof typeof gates,
      (typeof gates)[keyof typeof gates],
    ][]) {
      expect(gate.name).toBe(name);
      for (const who of ALL) {
        const expected = policy[name](CALLERS[who]) ? null : SENTENCES[name];
        expect(
          refusal(() => pass(CALLERS[who], gate)),
          `${name} for ${who}`,
        ).toBe(expected);
      }
    }
  });

  it('authorize refuses with the sentence given, or the registry one', () => {
    expect(refusal(() => authorize(true, 'never read'))).toBeNull();
    expect(refusal(() => authorize(false, 'Not yours.'))).toBe('Not yours.');
    expect(refusal(() => authorize(false))).toBe('You do not have access to the requested resource.');
  });
});
