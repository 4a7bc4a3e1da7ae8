import { CsvError, type Info, parse } from 'csv-parse/sync';
import { AppError } from '../../http/errors.js';

/** One data record of the upload, keyed by field name, with the line it starts on. */
export interface CsvRecord {
  row: number;
  record: Record<string, unknown>;
}

const CUSTOM = 'custom.';
const LIST_SEPARATOR = ';';
const DIGITS = /^\d{1,15}$/;

const invalid = (description: string) => new AppError('invalid_parameters', description);

/** CSV has only text: numbers, booleans and lists are read back for the fields that hold them. */
function cellValue(column: string, value: string): unknown {
  const list = () =>
    value
      .split(LIST_SEPARATOR)
      .map((v) => v.trim())
      .filter((v) => v !== '');
  switch (column) {
    case 'department_id':
    case 'manager_id':
      return DIGITS.test(value) ? Number(value) : value;
    case 'data_admin':
      return /^(true|false)$/i.test(value) ? value.toLowerCase() === 'true' : value;
    case 'dotted_line_manager_ids':
      return list().map((v) => (DIGITS.test(v) ? Number(v) : v));
    case 'dotted_line_manager_emails':
      return list();
    default:
      return value;
  }
}

function checkHeader(header: string[], columns: ReadonlySet<string>) {
  const seen = new Set<string>();
  for (const column of header) {
    const custom =
      column.startsWith(CUSTOM) && column.length > CUSTOM.length && column.length <= 64 + CUSTOM.length;
    if (!columns.has(column) && !custom)
      throw invalid(`Unknown column "${column.slice(0, 100)}" in the header row.`);
    if (seen.has(column)) throw invalid(`Column "${column}" appears twice in the header row.`);
    seen.add(column);
  }
}

/** An empty cell leaves the field out: CSV cannot tell "no value" from "unchanged". */
function toRecord(header: string[], cells: string[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  const custom: Record<string, string> = {};
  header.forEach((column, k) => {
    const value = cells[k] ?? '';
    if (value === '') return;
    if (column.startsWith(CUSTOM)) custom[column.slice(CUSTOM.length)] = value;
    else record[column] = cellValue(column, value);
  });
  if (Object.keys(custom).length > 0) record.custom_fields = custom;
  return record;
}

function parseRecords(text: string) {
  try {
    // With info: true each record comes with its line counts; the library's overloads do not say so.
    const options = { bom: true, info: true, skip_empty_lines: true, trim: true };
    return parse(text, options) as unknown as { record: string[]; info: Info }[];
  } catch (error) {
    if (error instanceof CsvError) throw invalid(`The CSV could not be read: ${error.message}`);
    throw error;
  }
}

/**
 * Reads a CSV upload: a header row of field names (custom fields as `custom.<name>` columns), then one
 * user per record. Each record's row is the line it starts on, as a spreadsheet shows it.
 */
export function readCsv(text: string, columns: ReadonlySet<string>, maxRows: number): CsvRecord[] {
  const [head, ...records] = parseRecords(text);
  if (!head) throw invalid('The CSV is empty: send a header row and at least one user.');
  if (records.length === 0) throw invalid('The CSV has a header row but no users.');
  if (records.length > maxRows)
    throw invalid(`The CSV has ${records.length} users; send at most ${maxRows}.`);
  checkHeader(head.record, columns);
  let previous = head.info;
  return records.map(({ record, info }) => {
    const row = previous.lines + 1 + (info.empty_lines - previous.empty_lines);
    previous = info;
    return { row, record: toRecord(head.record, record) };
  });
}
