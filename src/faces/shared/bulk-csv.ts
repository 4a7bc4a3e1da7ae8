import { CsvError, type Info, parse } from 'csv-parse/sync';
import { AppError } from '../../domain/errors.js';

/** One data record of the upload, keyed by field name, with the line it starts on. */
export interface CsvRecord {
  row: number;
  record: Record<string, unknown>;
}

const CUSTOM = 'custom.';
const LIST_SEPARATOR = ';';
const DIGITS = /^\d{1,15}$/;
const NUMBER = /^-?\d{1,15}(\.\d{1,15})?$/;

const invalid = (description: string) => new AppError('invalid_parameters', description);

/**
 * CSV has only text: each upload says how to read back the numbers, booleans and lists of its columns.
 * A cell that does not parse stays text, so that the row schema reports it against its column.
 */
export const cells = {
  id: (value: string) => (DIGITS.test(value) ? Number(value) : value),
  number: (value: string) => (NUMBER.test(value) ? Number(value) : value),
  boolean: (value: string) => (/^(true|false)$/i.test(value) ? value.toLowerCase() === 'true' : value),
  list: (value: string) =>
    value
      .split(LIST_SEPARATOR)
      .map((v) => v.trim())
      .filter((v) => v !== ''),
};

export interface CsvShape {
  /** The columns a header may name. */
  columns: ReadonlySet<string>;
  /** How to read a column's cells; text when absent. */
  cell: Record<string, (value: string) => unknown>;
  /** Whether `custom.<name>` columns fill custom_fields. */
  customFields: boolean;
  maxRows: number;
  /** What a data row is, for messages: "users", "rows". */
  noun: string;
}

function checkHeader(header: string[], shape: CsvShape) {
  const { columns } = shape;
  const seen = new Set<string>();
  for (const column of header) {
    const custom =
      shape.customFields &&
      column.startsWith(CUSTOM) &&
      column.length > CUSTOM.length &&
      column.length <= 64 + CUSTOM.length;
    if (!columns.has(column) && !custom)
      throw invalid(`Unknown column "${column.slice(0, 100)}" in the header row.`);
    if (seen.has(column)) throw invalid(`Column "${column}" appears twice in the header row.`);
    seen.add(column);
  }
}

/** An empty cell leaves the field out: CSV cannot tell "no value" from "unchanged". */
function toRecord(header: string[], values: string[], shape: CsvShape): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  const custom: Record<string, string> = {};
  header.forEach((column, k) => {
    const value = values[k] ?? '';
    if (value === '') return;
    if (shape.customFields && column.startsWith(CUSTOM)) custom[column.slice(CUSTOM.length)] = value;
    else record[column] = shape.cell[column]?.(value) ?? value;
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
 * Reads a CSV upload: a header row of field names (custom fields as `custom.<name>` columns where the
 * shape allows them), then one record per line. Each record's row is the line it starts on, as a
 * spreadsheet shows it.
 */
export function readCsv(text: string, shape: CsvShape): CsvRecord[] {
  const [head, ...records] = parseRecords(text);
  const { noun, maxRows } = shape;
  if (!head) throw invalid(`The CSV is empty: send a header row and at least one of the ${noun}.`);
  if (records.length === 0) throw invalid(`The CSV has a header row but no ${noun}.`);
  if (records.length > maxRows)
    throw invalid(`The CSV has ${records.length} ${noun}; send at most ${maxRows}.`);
  checkHeader(head.record, shape);
  let previous = head.info;
  return records.map(({ record, info }) => {
    const row = previous.lines + 1 + (info.empty_lines - previous.empty_lines);
    previous = info;
    return { row, record: toRecord(head.record, record, shape) };
  });
}
