import { readFile } from 'node:fs/promises';
import { CsvError, type Info, parse } from 'csv-parse/sync';
import type { Env } from '../config.js';
import { parseCommand, UsageError } from './args.js';
import type { Print } from './commands.js';

/**
 * `trellis push metrics FILE.csv`: check-ins from a CSV file (header row `milestone_id,value[,comment]`),
 * sent to a running server's POST /v1/checkins/bulk with an API key. The server's row numbers (1-based in
 * the JSON sent) are mapped back to the file's lines, as a spreadsheet shows them.
 */

const COMMAND = 'push metrics';
const COLUMNS = new Set(['milestone_id', 'value', 'comment']);
/** The server takes at most 10,000 rows a request; partial uploads go in chunks so that progress shows. */
const MAX_ROWS = 10_000;
const CHUNK = 500;

interface Row {
  line: number;
  checkin: Record<string, unknown>;
}

interface RowError {
  row: number;
  field?: string;
  error: string;
  message: string;
}

/** A failure the server answered: its code, description and request id, on one line. */
export class ServerError extends Error {
  override readonly name = 'ServerError';
}

/** Prints a line; on a terminal, redraws one progress line on stderr. */
export interface Output {
  print: Print;
  progress?: (line: string) => void;
}

function readRows(text: string, file: string): Row[] {
  let parsed: { record: string[]; info: Info }[];
  try {
    const options = { bom: true, info: true, skip_empty_lines: true, trim: true, relax_column_count: true };
    parsed = parse(text, options) as unknown as { record: string[]; info: Info }[];
  } catch (error) {
    if (error instanceof CsvError) throw new Error(`${file} could not be read as CSV: ${error.message}`);
    throw error;
  }
  const [head, ...records] = parsed;
  if (!head) throw new Error(`${file} is empty: it needs a header row (milestone_id,value[,comment])`);
  const header = head.record;
  for (const column of header) {
    if (!COLUMNS.has(column))
      throw new Error(`${file}: unknown column "${column.slice(0, 60)}" in the header row (line 1)`);
  }
  for (const needed of ['milestone_id', 'value']) {
    if (!header.includes(needed)) throw new Error(`${file}: the header row has no "${needed}" column`);
  }
  if (records.length === 0) throw new Error(`${file} has a header row but no check-ins`);
  let previous = head.info;
  return records.map(({ record, info }) => {
    // The line the record starts on, blank lines skipped included (as the server counts CSV lines).
    const line = previous.lines + 1 + (info.empty_lines - previous.empty_lines);
    previous = info;
    const checkin: Record<string, unknown> = {};
    header.forEach((column, k) => {
      const cell = record[k] ?? '';
      if (cell === '') return;
      // Numbers go as numbers; anything else goes as text, for the server to refuse with its reason.
      const numeric = column === 'milestone_id' ? /^\d{1,15}$/ : /^-?\d{1,15}(\.\d{1,15})?$/;
      checkin[column] = column !== 'comment' && numeric.test(cell) ? Number(cell) : cell;
    });
    return { line, checkin };
  });
}

const describe = (
  body: { error?: string; error_description?: string; request_id?: string },
  status: number,
) =>
  `${body.error ?? `HTTP ${status}`}: ${body.error_description ?? 'no description'} (request ${body.request_id ?? 'unknown'})`;

export async function pushMetricsCommand(argv: string[], env: Env, output: Output) {
  const { values, positionals } = parseCommand(
    COMMAND,
    argv,
    { url: { type: 'string' }, key: { type: 'string' }, partial: { type: 'boolean' } },
    1,
  );
  const file = positionals[0];
  if (!file) throw new UsageError(`trellis ${COMMAND}: the CSV file is required`);
  const base = (values.url ?? env.TRELLIS_URL ?? '').trim().replace(/\/+$/, '');
  const key = (values.key ?? env.TRELLIS_KEY ?? '').trim();
  if (!base) throw new UsageError(`trellis ${COMMAND}: --url or TRELLIS_URL is required`);
  if (!/^https?:\/\/[^/]/.test(base))
    throw new UsageError(`trellis ${COMMAND}: the URL must start with http:// or https://`);
  if (!key) throw new UsageError(`trellis ${COMMAND}: --key or TRELLIS_KEY is required`);
  const partial = values.partial ?? false;

  const rows = readRows(await readFile(file, 'utf8'), file);
  if (!partial && rows.length > MAX_ROWS) {
    throw new Error(
      `${file} has ${rows.length} check-ins; all-or-nothing takes at most ${MAX_ROWS}: split the file or use --partial`,
    );
  }
  const size = partial ? CHUNK : MAX_ROWS;
  let applied = 0;
  const refused: { line: number; error: RowError }[] = [];
  for (let start = 0; start < rows.length; start += size) {
    const chunk = rows.slice(start, start + size);
    output.progress?.(`pushing ${file}: ${start} of ${rows.length} check-ins sent…`);
    let res: Response;
    try {
      res = await fetch(`${base}/v1/checkins/bulk`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          mode: partial ? 'partial' : 'all_or_nothing',
          checkins: chunk.map((r) => r.checkin),
        }),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      output.progress?.('');
      throw new Error(
        `could not reach ${base}: ${cause?.code ?? cause?.message ?? (error as Error).message}`,
      );
    }
    const body = (await res.json().catch(() => ({}))) as {
      error?: string;
      error_description?: string;
      request_id?: string;
      details?: RowError[];
      data?: { applied: number; errors: RowError[] };
    };
    const lineOf = (e: RowError) => chunk[e.row - 1]?.line ?? 0;
    if (res.status === 422 && body.error === 'bulk_rejected' && Array.isArray(body.details)) {
      for (const error of body.details) refused.push({ line: lineOf(error), error });
      output.progress?.('');
      for (const { line, error } of refused) output.print(rowLine(file, line, error));
      throw new ServerError(
        `refused: ${file} has ${refused.length} bad row${refused.length === 1 ? '' : 's'}; nothing was applied (${describe(body, res.status)})`,
      );
    }
    if (!res.ok || !body.data) {
      output.progress?.('');
      const done = applied > 0 ? ` after ${applied} check-ins were applied` : '';
      throw new ServerError(`refused${done}: ${describe(body, res.status)}`);
    }
    applied += body.data.applied;
    for (const error of body.data.errors) refused.push({ line: lineOf(error), error });
  }
  output.progress?.('');
  for (const { line, error } of refused) output.print(rowLine(file, line, error));
  const skipped = refused.length > 0 ? `; ${refused.length} bad rows skipped` : '';
  output.print(`applied ${applied} check-ins from ${file}${skipped}`);
  if (refused.length > 0) throw new ServerError(`${refused.length} rows of ${file} were not applied`);
}

const rowLine = (file: string, line: number, error: RowError) =>
  `${file}:${line}: ${error.error}${error.field ? ` (${error.field})` : ''}: ${error.message}`;

/** A one-line progress indicator on stderr when it is a terminal; nothing otherwise. */
export function terminalProgress(): Output['progress'] {
  if (!process.stderr.isTTY) return undefined;
  return (line) => process.stderr.write(`\r\x1b[2K${line}`);
}
