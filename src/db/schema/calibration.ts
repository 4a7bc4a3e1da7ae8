import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Json, MaybeMoment, ModeScoped, Timestamp } from './columns.js';
import type { DeploymentAudience } from './conversations.js';

// Calibration cycles, sessions, talent records and their history (migration 0009).

export type CalibrationState = 'draft' | 'open' | 'locked' | 'closed';

/** A custom talent field a cycle's managers define: its values are set on each record by calibrators. */
export interface TalentField {
  key: string;
  label: string;
  type: 'text' | 'number';
}
export type CustomValues = Record<string, string | number>;

export interface CalibrationCyclesTable extends ModeScoped {
  id: Generated<number>;
  name: string;
  period_id: number | null;
  state: ColumnType<CalibrationState, CalibrationState | undefined, CalibrationState>;
  /** The performance scale's labels, lowest first. */
  performance_levels: Json<string[]>;
  potential_levels: Json<string[]>;
  /** Percent per performance level (same order), or null. */
  target_distribution: Json<number[] | null>;
  publish_to_person: ColumnType<boolean, boolean | undefined, boolean>;
  /** The cycle's custom talent fields, in the order shown (migration 0010). */
  talent_fields: Json<TalentField[]>;
  audience: DeploymentAudience;
  audience_ids: Json<number[]>;
  created_by: number;
  created_at: CreatedAt;
  updated_at: Timestamp;
  opened_at: MaybeMoment;
  locked_at: MaybeMoment;
  closed_at: MaybeMoment;
}

export interface CalibrationSessionsTable extends ModeScoped {
  id: Generated<number>;
  cycle_id: number;
  name: string;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface CalibrationSessionFacilitatorsTable extends ModeScoped {
  session_id: number;
  user_id: number;
}

export interface CalibrationTalentRecordsTable extends ModeScoped {
  id: Generated<number>;
  cycle_id: number;
  user_id: number;
  /** The person's manager when the cycle opened: who proposes, and who reads the final rating. */
  manager_id: number | null;
  session_id: number | null;
  proposed_performance: string | null;
  proposed_potential: string | null;
  proposed_by: number | null;
  calibrated_performance: string | null;
  calibrated_potential: string | null;
  calibrated_by: number | null;
  notes: string | null;
  /** Values of the cycle's talent fields by key (migration 0010). */
  custom_fields: Json<CustomValues>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface CalibrationTalentRecordChangesTable extends ModeScoped {
  id: Generated<number>;
  record_id: number;
  field: string;
  from_value: string | null;
  to_value: string | null;
  changed_by: number;
  changed_at: CreatedAt;
}

export interface CalibrationTables {
  calibration_cycles: CalibrationCyclesTable;
  calibration_sessions: CalibrationSessionsTable;
  calibration_session_facilitators: CalibrationSessionFacilitatorsTable;
  calibration_talent_records: CalibrationTalentRecordsTable;
  calibration_talent_record_changes: CalibrationTalentRecordChangesTable;
}
