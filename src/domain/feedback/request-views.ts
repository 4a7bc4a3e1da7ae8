import { type Kysely, type Selectable, sql } from 'kysely';
import type { DB, FeedbackProviderStatus, FeedbackRequestsTable } from '../../db/schema.js';
import type { Principal } from '../access/principal.js';
import { inTenant } from '../tenant.js';
import { namesHiddenFrom, readsRequestSql } from './visibility.js';

export type RequestRow = Selectable<FeedbackRequestsTable>;

interface Ask {
  request_id: number;
  provider_user_id: number;
  status: FeedbackProviderStatus;
  decline_reason: string | null;
}

export interface ProviderCounts {
  asked: number;
  submitted: number;
  declined: number;
  pending: number;
}

/**
 * A request as one reader sees it. Full readers (requester, recipient, those who oversee the recipient) see
 * who was asked and how many answered; each provider's own status only where names are not hidden from them,
 * otherwise the decline reasons alone, in text order. A provider who reads nothing else sees the request, the
 * questions and their own status: not who else was asked.
 */
export interface RequestView extends RequestRow {
  provider_ids: number[] | null;
  counts: ProviderCounts | null;
  providers: { user_id: number; status: FeedbackProviderStatus; decline_reason: string | null }[] | null;
  decline_reasons: string[] | null;
  your_status: FeedbackProviderStatus | null;
}

function countsOf(asks: Ask[]): ProviderCounts {
  const n = (s: FeedbackProviderStatus) => asks.filter((a) => a.status === s).length;
  return { asked: asks.length, submitted: n('submitted'), declined: n('declined'), pending: n('pending') };
}

function viewOf(p: Principal, row: RequestRow, fullReader: boolean, asks: Ask[]): RequestView {
  const mine = asks.find((a) => a.provider_user_id === p.userId);
  const base = { ...row, your_status: mine?.status ?? null };
  if (!fullReader)
    return { ...base, provider_ids: null, counts: null, providers: null, decline_reasons: null };
  const hidden = namesHiddenFrom(p, row);
  const byId = [...asks].sort((a, b) => a.provider_user_id - b.provider_user_id);
  return {
    ...base,
    provider_ids: byId.map((a) => a.provider_user_id),
    counts: countsOf(asks),
    providers: hidden
      ? null
      : byId.map((a) => ({
          user_id: a.provider_user_id,
          status: a.status,
          decline_reason: a.decline_reason,
        })),
    decline_reasons: hidden
      ? asks.flatMap((a) => (a.status === 'declined' && a.decline_reason ? [a.decline_reason] : [])).sort()
      : null,
  };
}

export async function requestViews(db: Kysely<DB>, p: Principal, rows: RequestRow[]): Promise<RequestView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [asks, full] = await Promise.all([
    db
      .selectFrom('feedback_providers')
      .select(['request_id', 'provider_user_id', 'status', 'decline_reason'])
      .where(inTenant(p))
      .where('request_id', 'in', ids)
      .execute(),
    db
      .selectFrom('feedback_requests')
      .select('id')
      .where(inTenant(p))
      .where('id', 'in', ids)
      .where(sql<boolean>`${readsRequestSql(p)}`)
      .execute(),
  ]);
  const fullIds = new Set(full.map((r) => r.id));
  return rows.map((row) =>
    viewOf(
      p,
      row,
      fullIds.has(row.id),
      asks.filter((a) => a.request_id === row.id),
    ),
  );
}
