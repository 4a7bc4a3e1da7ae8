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

export const policy = {
  manageApiKeys: isSuperAdmin,
  /** A test key never reaches live data, so it makes and changes test keys only (docs/decisions.md). */
  manageKeyOfMode: (p: Principal, keyMode: Mode) => p.mode === 'live' || keyMode === 'test',
  readAuditEvents: isSuperAdmin,
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
  /** A super admin is deactivated or reactivated only by another: an admin must not lock them out. */
  setStatusOf: (p: Principal, targetRole: Role) => isSuperAdmin(p) || targetRole !== 'super_admin',
  /**
   * Granting or taking away a role or the data-admin grant: only super admins. Others may send a user's
   * role and grant as they already are (a re-uploaded HR file does), and a new user's as a plain member's;
   * an admin who could set `member` could demote a super admin.
   */
  grantRole: (p: Principal, change: AccessChange, current: Access) =>
    isSuperAdmin(p) ||
    ((change.role ?? current.role) === current.role &&
      (change.dataAdmin ?? current.dataAdmin) === current.dataAdmin),
} as const;

export function authorize(allowed: boolean, description?: string): void {
  if (!allowed) throw forbidden(description);
}
