import type { Mode, Role, TeamRole } from '../../db/schema.js';
import { forbidden } from '../errors.js';
import type { Principal } from './principal.js';

/** A user's role and data-admin grant, and a write's change to them (undefined: unchanged). */
export interface Access {
  role: Role;
  dataAdmin: boolean;
}
export interface AccessChange {
  role: Role | undefined;
  dataAdmin: boolean | undefined;
}
/** What a user has when created without a role or grant. */
export const NEW_USER_ACCESS: Access = { role: 'member', dataAdmin: false };

/**
 * Who may do what: the one place every face and the console ask. Row-level rules that need data (an
 * hr_admin's scope) live in scope.ts and are called by the services.
 */
const isSuperAdmin = (p: Principal) => p.role === 'super_admin';
/** Org-wide administrators: admins and holders of the data-admin grant (seed 001) act on every object. */
const isOrgAdmin = (p: Principal) => isSuperAdmin(p) || p.role === 'admin' || p.dataAdmin;

// Frozen rather than `as const`: StrykerJS makes no mutant inside an `as const` object (docs/testing.md).
export const policy = Object.freeze({
  manageApiKeys: isSuperAdmin,
  /** OAuth apps act for people who consent: the organisation's admins register and manage them. */
  manageOAuthApps: isOrgAdmin,
  /** Invitations mail a live account a link to choose a password: the organisation's admins send them. */
  inviteUsers: isOrgAdmin,
  /** The notice text every person accepts: the organisation's admins write it. */
  managePrivacyNotice: isOrgAdmin,
  /** The sandbox changes no live account and sends no mail: a test key's invitation is answered, not sent. */
  sendsMail: (p: Principal) => p.mode === 'live',
  /** The notice belongs to the organisation's live people: a test key reads it but cannot change it. */
  changePrivacyNoticeInMode: (p: Principal) => p.mode === 'live',
  /** A test key never reaches live data, so it makes and changes test keys only (docs/decisions.md). */
  manageKeyOfMode: (p: Principal, keyMode: Mode) => p.mode === 'live' || keyMode === 'test',
  readAuditEvents: isSuperAdmin,
  /** Who signs the organisation's people in (docs/sso.md): super admins and admins, not the data-admin grant. */
  manageSso: (p: Principal) => isSuperAdmin(p) || p.role === 'admin',
  /** The identity provider signs in live accounts: a test key neither reads nor changes it. */
  manageSsoInMode: (p: Principal) => p.mode === 'live',
  /** Service accounts hold keys that outlive people, with any role: those who grant roles make them. */
  manageServiceAccounts: isSuperAdmin,
  /** Service accounts are live accounts: a test key reads them but cannot make or change them. */
  changeServiceAccountsInMode: (p: Principal) => p.mode === 'live',
  resetSandbox: isSuperAdmin,
  /** Setting who an hr_admin covers is granting access, so it belongs to those who grant roles. */
  manageHrScopes: isSuperAdmin,
  /** Seed 000: a non-admin listing departments is refused; admins and hr_admins see the list. */
  readDepartments: (p: Principal) => isOrgAdmin(p) || p.role === 'hr_admin',
  manageDepartments: isOrgAdmin,
  manageGroups: isOrgAdmin,
  manageTeams: isOrgAdmin,
  /** A team's members are managed by org admins and by the team's own owners (their role: scope.ts). */
  manageTeamMembers: (p: Principal, callerTeamRole: TeamRole | null) =>
    isOrgAdmin(p) || callerTeamRole === 'owner',
  readDirectory: (_p: Principal) => true,
  /** hr_admins may write users too, but only inside their scope (scope.ts). */
  writeUsers: (p: Principal) => isOrgAdmin(p) || p.role === 'hr_admin',
  isOrgAdmin,
  /** Periods (cycles) are read by everyone and set up or closed by org admins. */
  readPeriods: (_p: Principal) => true,
  managePeriods: isOrgAdmin,
  /** Org admins (and data admins) read and write every goal; others go through goals/visibility.ts. */
  readAllGoals: isOrgAdmin,
  writeAnyGoal: isOrgAdmin,
  /** Company goals and department-owned goals are set by org admins. */
  ownOrgGoals: isOrgAdmin,
  /** Organisation-wide goal settings, such as the assessment scale. */
  configureGoals: isOrgAdmin,
  /** Conversation templates and deployments are set up by org admins (Betterworks: super admins and admins). */
  manageConversationTemplates: isOrgAdmin,
  /** Everyone reads templates: a member starts anytime conversations from them. */
  readConversationTemplates: (_p: Principal) => true,
  /**
   * HR roles: who may read confidential answers, besides their author. Super admins everywhere, hr_admins
   * for the people in their scope (scope.ts); never an admin by that role alone, never the other participant.
   */
  readsConfidentialEverywhere: isSuperAdmin,
  /** Super admins review every conversation (Betterworks: "Review conversations"); private notes excepted. */
  readAllConversations: isSuperAdmin,
  /** Org admins read conversations whose template lets admins read (never confidential answers). */
  readConversationsAsAdmin: isOrgAdmin,
  /** Org admins start an anytime conversation for any reporting pair; others only for their own. */
  startAnyConversation: isOrgAdmin,
  /** Edit requests and manager changes: org admins everywhere, hr_admins in their scope (conversations/). */
  decideEditRequests: isOrgAdmin,
  reassignConversations: isOrgAdmin,
  /** Company values (recognition) are an admin-defined list. */
  manageCompanyValues: isOrgAdmin,
  /** Org admins read every recognition, private ones too, and remove any (moderation). */
  readAllRecognition: isOrgAdmin,
  moderateRecognition: isOrgAdmin,
  /** Feedback templates and the anonymity threshold are set by org admins; reading feedback is feedback/visibility.ts. */
  manageFeedback: isOrgAdmin,
  /** Calibration cycles are set up by super admins, and by hr_admins for populations in their scope (calibration/access.ts). */
  manageCalibration: (p: Principal) => isSuperAdmin(p) || p.role === 'hr_admin',
  /** Super admins read and calibrate every talent record; others by relation (calibration/access.ts). */
  calibrateEverywhere: isSuperAdmin,
  /** Metric webhooks: their creator manages their own; org admins see and manage every one (docs/webhooks.md). */
  manageMetricHook: (p: Principal, createdBy: number) => isOrgAdmin(p) || p.userId === createdBy,
  readAllMetricHooks: isOrgAdmin,
  /** Outbound webhooks (endpoints, events, deliveries) carry the whole organisation's changes: org admins. */
  manageWebhooks: isOrgAdmin,
  /**
   * Deactivating locks a person out, so nobody does it to someone with more access: a super admin only by
   * another, an admin or a data admin only by an org admin (an hr_admin with the admin in scope may not).
   */
  setStatusOf: (p: Principal, target: Access) =>
    isSuperAdmin(p) ||
    (target.role !== 'super_admin' && (isOrgAdmin(p) || (target.role !== 'admin' && !target.dataAdmin))),
  /**
   * Granting or taking away a role or the data-admin grant: only super admins. Others may send a user's
   * role and grant as they already are (a re-uploaded HR file does), and a new user's as a plain member's;
   * an admin who could set `member` could demote a super admin.
   */
  grantRole: (p: Principal, change: AccessChange, current: Access) =>
    isSuperAdmin(p) ||
    ((change.role ?? current.role) === current.role &&
      (change.dataAdmin ?? current.dataAdmin) === current.dataAdmin),
});

export function authorize(allowed: boolean, description?: string): void {
  if (!allowed) throw forbidden(description);
}

/**
 * A decision the caller's role alone settles, before any body or object is read. A face checks a route's
 * gate as soon as it knows the caller, so a member's malformed body to an admin route is refused for who
 * sent it (403), not taught the schema (400); the service passes the same gate again, so the CLI or
 * another face cannot skip it. One name, one rule, one sentence, wherever it is asked.
 */
export interface Gate {
  name: string;
  allows: (p: Principal) => boolean;
  refusal: string;
}

const gate = (name: string, allows: (p: Principal) => boolean, refusal: string): Gate => ({
  name,
  allows,
  refusal,
});

export const gates = Object.freeze({
  manageApiKeys: gate('manageApiKeys', policy.manageApiKeys, 'Only super admins manage API keys.'),
  manageOAuthApps: gate('manageOAuthApps', policy.manageOAuthApps, 'Only admins manage OAuth apps.'),
  inviteUsers: gate('inviteUsers', policy.inviteUsers, 'Only admins invite people to sign in.'),
  managePrivacyNotice: gate(
    'managePrivacyNotice',
    policy.managePrivacyNotice,
    'Only admins change the privacy notice.',
  ),
  manageSso: gate('manageSso', policy.manageSso, 'Only super admins and admins manage single sign-on.'),
  manageServiceAccounts: gate(
    'manageServiceAccounts',
    policy.manageServiceAccounts,
    'Only super admins manage service accounts.',
  ),
  readAuditEvents: gate('readAuditEvents', policy.readAuditEvents, 'Only super admins read the audit log.'),
  manageWebhooks: gate(
    'manageWebhooks',
    policy.manageWebhooks,
    'Only admins manage webhook endpoints and read events and deliveries.',
  ),
  resetSandbox: gate('resetSandbox', policy.resetSandbox, 'Only super admins reset the test-mode sandbox.'),
  manageHrScopes: gate(
    'manageHrScopes',
    policy.manageHrScopes,
    'Only super admins read and set HR-admin scopes.',
  ),
  readDepartments: gate(
    'readDepartments',
    policy.readDepartments,
    'Only admins and HR admins can read departments.',
  ),
  manageDepartments: gate('manageDepartments', policy.manageDepartments, 'Only admins manage departments.'),
  manageGroups: gate('manageGroups', policy.manageGroups, 'Only admins manage groups.'),
  manageTeams: gate('manageTeams', policy.manageTeams, 'Only admins create, rename and delete teams.'),
  writeUsers: gate('writeUsers', policy.writeUsers, 'Only admins and HR admins change people.'),
  managePeriods: gate('managePeriods', policy.managePeriods, 'Only admins set up and change periods.'),
  configureGoals: gate('configureGoals', policy.configureGoals, 'Only admins set the assessment scale.'),
  manageFeedback: gate(
    'manageFeedback',
    policy.manageFeedback,
    'Only admins manage feedback templates and settings.',
  ),
  manageCompanyValues: gate(
    'manageCompanyValues',
    policy.manageCompanyValues,
    'Only admins create, change and delete company values.',
  ),
  manageConversationTemplates: gate(
    'manageConversationTemplates',
    policy.manageConversationTemplates,
    'Only admins manage conversation templates and deployments.',
  ),
  manageCalibration: gate(
    'manageCalibration',
    policy.manageCalibration,
    'Only super admins and HR admins manage calibration cycles and sessions.',
  ),
});

/** Refuses a caller the gate does not let through, in the gate's own words. */
export function pass(p: Principal, g: Gate): void {
  authorize(g.allows(p), g.refusal);
}
