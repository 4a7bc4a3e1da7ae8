import type { Generated } from 'kysely';
import type { CreatedAt, MaybeMoment } from './columns.js';

// Organisations (migration 0001).

export interface OrganizationsTable {
  org_id: Generated<number>;
  slug: string;
  name: string;
  privacy_notice_version: Generated<number>;
  /** The notice people accept at their first sign-in (migration 0012); empty until an admin writes it. */
  privacy_notice_text: Generated<string>;
  privacy_notice_updated_at: MaybeMoment;
  created_at: CreatedAt;
}

export interface OrgsTables {
  organizations: OrganizationsTable;
}
