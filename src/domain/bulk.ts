import type { ErrorCode } from './errors.js';

/** all_or_nothing: any bad row rejects the upload and nothing is written. partial: good rows are applied. */
export type BulkMode = 'all_or_nothing' | 'partial';

/** Why one row of an upload was not written. */
export interface RowError {
  /** 1-based data row (JSON) or the line it starts on (CSV). */
  row: number;
  field?: string;
  error: ErrorCode;
  message: string;
}

/** An upload as a face read it: the rows that passed the row schema, and errors for those that did not. */
export interface BulkUpload<Input> {
  mode: BulkMode;
  rows: { row: number; input: Input }[];
  /** Rows the face could not read (wrong shape); reported with the others. */
  invalid: RowError[];
}
