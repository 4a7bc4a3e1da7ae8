import type { Mode, Role } from '../../db/schema.js';

/** Who is calling: the key holder (their live account), the key's mode and the request being served. */
export interface Principal {
  orgId: number;
  mode: Mode;
  userId: number;
  role: Role;
  dataAdmin: boolean;
  apiKeyId: number | null;
  /** The session a signed-in person calls through (a cookie), when it is not a key. */
  sessionId?: number | null;
  /** The OAuth or instant token a person or app calls through (docs/oauth.md), when it is one. */
  tokenId?: number | null;
  requestId: string | null;
}

/** A principal for commands run by the operator (the CLI), recorded in the audit log as having no key. */
export const operatorPrincipal = (orgId: number, userId: number, mode: Mode = 'live'): Principal => ({
  orgId,
  mode,
  userId,
  role: 'super_admin',
  dataAdmin: true,
  apiKeyId: null,
  requestId: null,
});
