import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import ts from 'typescript';

/** What an Excel cell holds, as ExcelScript's getValues answers it. */
export type Cell = string | number | boolean;

/** A range of a table's rows: getValues copies them, getCell(row, column).setValue writes into them. */
function rangeOver(rows: Cell[][], first: number, count: number) {
  return {
    getValues: () => rows.slice(first, first + count).map((row) => [...row]),
    getCell: (row: number, column: number) => ({
      setValue: (value: Cell) => {
        const target = rows[first + row];
        if (!target || column >= target.length) throw new Error(`no cell (${row}, ${column}) in the range`);
        target[column] = value;
      },
    }),
  };
}

/**
 * A stand-in for Excel: the few ExcelScript.Workbook, Table and Range methods the Office Script in
 * examples/ calls, over tables kept as arrays of rows whose first row is the header.
 */
export function excelWorkbook(tables: Record<string, Cell[][]>) {
  return {
    getTable: (name: string) => {
      const rows = tables[name];
      if (!rows) return undefined;
      return {
        getHeaderRowRange: () => rangeOver(rows, 0, 1),
        getRangeBetweenHeaderAndTotal: () => rangeOver(rows, 1, rows.length - 1),
      };
    },
  };
}

const allowsOrigin = (response: Response, origin: string) =>
  ['*', origin].includes(response.headers.get('access-control-allow-origin') ?? '');
const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)/;

/**
 * fetch as a browser runs it for a script of another origin (Office Scripts run in Excel's): a preflight
 * before any request a plain form could not send, and the answer withheld unless the server allows the
 * origin, as the CORS rules say.
 */
export function browserFetch(origin: string): typeof fetch {
  return async (url, init) => {
    const headers = new Headers(init?.headers);
    const names = [...headers.keys()];
    const simple =
      names.every((name) => name === 'content-type') && FORM_TYPES.test(headers.get('content-type') ?? '');
    if (!simple) {
      const preflight = await fetch(url, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': init?.method ?? 'GET',
          'access-control-request-headers': names.join(','),
        },
      });
      const allowed = (preflight.headers.get('access-control-allow-headers') ?? '')
        .split(',')
        .map((name) => name.trim().toLowerCase());
      if (
        !preflight.ok ||
        !allowsOrigin(preflight, origin) ||
        names.some((name) => !allowed.includes(name))
      ) {
        throw new TypeError('Failed to fetch (the CORS preflight was refused)');
      }
    }
    headers.set('origin', origin);
    const response = await fetch(url, { ...init, headers });
    if (!allowsOrigin(response, origin))
      throw new TypeError('Failed to fetch (no Access-Control-Allow-Origin)');
    return response;
  };
}

/** The Office Script's main, transpiled as Excel does and run with only the globals the browser gives it. */
export function loadOfficeScript(path: string, globals: Record<string, unknown>) {
  const source = readFileSync(path, 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.None },
    reportDiagnostics: true,
  });
  const context = vm.createContext({ atob, btoa, console, ...globals });
  return vm.runInContext(`${outputText}\nmain;`, context) as (
    workbook: ReturnType<typeof excelWorkbook>,
  ) => Promise<string>;
}
