import type { Kysely } from 'kysely';
import { runStatements } from './0001_core.js';

// Service accounts (docs/service-accounts.md): a user who is not a person, made by a super admin for scripts
// whose keys must outlive whoever set them up. `users.kind` tells them apart; the details only a service
// account has live beside it, on its live account. An acceptance of the privacy notice now says who gave it:
// the person themself (null) or, for a service account, the admin who created it or accepted for it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
alter table users add column kind text not null default 'person' check (kind in ('person', 'service'));

create table service_accounts (
  org_id bigint not null,
  mode text not null default 'live' check (mode = 'live'),
  user_id bigint not null,
  description text,
  created_by bigint not null,
  created_at timestamptz not null default now(),
  primary key (org_id, mode, user_id),
  foreign key (org_id, mode, user_id) references users (org_id, mode, id) on delete cascade
);

alter table privacy_notice_acceptances add column accepted_by bigint;
`,
  );
}
