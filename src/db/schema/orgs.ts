import type { Generated } from 'kysely';
import type { CreatedAt } from './columns.js';

// Organisations (migration 0001).

export interface OrganizationsTable {
  org_id: Generated<number>;
  slug: string;
  name: string;
  privacy_notice_version: Generated<number>;
  created_at: CreatedAt;
}

export interface OrgsTables {
  organizations: OrganizationsTable;
}
