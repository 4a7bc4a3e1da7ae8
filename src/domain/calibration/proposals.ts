import type { Transaction } from 'kysely';
import type { DB, MappedTalentField } from '../../db/schema.js';
import type { Principal } from '../access/principal.js';
import { inTenant } from '../tenant.js';
import { updateRecord } from './records.js';

/**
 * Proposed values that come from a conversation (docs/calibration.md, "From a conversation"): the answers a
 * manager submitted to questions mapped to a talent field become their proposal in the report's records.
 */

/** What became of one mapped answer in one record: audited with the conversation, never the value itself. */
export interface Proposal {
  cycle_id: number;
  record_id: number;
  field: MappedTalentField;
  outcome: 'proposed' | 'unchanged' | 'not_on_scale';
}

const COLUMN = { performance: 'proposed_performance', potential: 'proposed_potential' } as const;
const SCALE = { performance: 'performance_levels', potential: 'potential_levels' } as const;

/**
 * Proposes `values` for `reportId` in every open cycle whose record names the caller as the report's
 * manager, through updateRecord (its rules, history row and audit event), in the caller's transaction. A
 * value that is not a label of the cycle's scale is skipped, not refused: the conversation is not at fault
 * for a cycle it never named. The open cycles are share-locked so that none locks before the write lands.
 */
export async function proposeFromConversation(
  trx: Transaction<DB>,
  p: Principal,
  reportId: number,
  values: Partial<Record<MappedTalentField, string>>,
): Promise<Proposal[]> {
  const fields = (Object.keys(values) as MappedTalentField[]).sort();
  if (fields.length === 0) return [];
  const records = await trx
    .selectFrom('calibration_talent_records as r')
    .innerJoin('calibration_cycles as c', (j) =>
      j.onRef('c.org_id', '=', 'r.org_id').onRef('c.mode', '=', 'r.mode').onRef('c.id', '=', 'r.cycle_id'),
    )
    .select([
      'r.id',
      'r.cycle_id',
      'r.proposed_performance',
      'r.proposed_potential',
      'c.performance_levels',
      'c.potential_levels',
    ])
    .where(inTenant(p, 'r'))
    .where('r.user_id', '=', reportId)
    .where('r.manager_id', '=', p.userId)
    .where('c.state', '=', 'open')
    .orderBy('r.id')
    .forShare('c')
    .execute();
  const proposals: Proposal[] = [];
  for (const record of records) {
    const change: Partial<Record<(typeof COLUMN)[MappedTalentField], string>> = {};
    for (const field of fields) {
      const value = values[field] as string;
      const outcome = !record[SCALE[field]].includes(value)
        ? 'not_on_scale'
        : record[COLUMN[field]] === value
          ? 'unchanged'
          : 'proposed';
      if (outcome === 'proposed') change[COLUMN[field]] = value;
      proposals.push({ cycle_id: record.cycle_id, record_id: record.id, field, outcome });
    }
    if (Object.keys(change).length > 0) await updateRecord(trx, p, record.cycle_id, record.id, change);
  }
  return proposals;
}
