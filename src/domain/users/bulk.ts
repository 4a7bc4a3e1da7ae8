import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { refreshStatistics } from '../../db/statistics.js';
import { gates, NEW_USER_ACCESS, pass } from '../access/policy.js';
import type { Principal } from '../access/principal.js';
import { diff } from '../audit/service.js';
import type { BulkMode, BulkUpload, RowError } from '../bulk.js';
import { AppError } from '../errors.js';
import { type BulkUserInput, type ManagerRef, type Plan, planUpload, type Step } from './bulk-plan.js';
import type { UserRow } from './repo.js';
import { applyUserChanges, applyUserStatus, insertUser } from './service.js';
import { type NewUser, type UserFields, uniqueConstraints } from './types.js';

export type { BulkUserInput } from './bulk-plan.js';

export interface BulkResult {
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  errors: RowError[];
}

type Outcome = 'created' | 'updated' | 'unchanged';

/** The field a clash with each of the users' unique indexes is reported on. */
const UNIQUE_FIELDS: Record<string, string> = { users_email: 'email', users_employee_id: 'employee_id' };

/** What a unique index or foreign key refused (a concurrent write the plan could not see), as a row error. */
function databaseRowError(row: number, error: unknown): RowError | null {
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  if (code === '23505') {
    const field = UNIQUE_FIELDS[String(constraint)];
    const message = uniqueConstraints[String(constraint)] ?? 'A unique value is already taken.';
    return { row, ...(field && { field }), error: 'duplicate_resource', message };
  }
  if (code === '23503') {
    return { row, error: 'invalid_operation', message: 'The row refers to an object that does not exist.' };
  }
  return null;
}

function toRowError(row: number, error: unknown): RowError | null {
  if (error instanceof AppError) {
    const field = (error.details as { field?: string } | undefined)?.field;
    return { row, ...(field && { field }), error: error.code, message: error.message };
  }
  return databaseRowError(row, error);
}

const sortKeys = (o: unknown) =>
  Object.fromEntries(Object.entries(o ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)));

/**
 * The fields whose values differ from the user's; passing only these keeps the service from re-checking
 * unchanged managers and departments, which is most of the cost of a re-sync.
 */
function changedFields(before: UserRow, fields: UserFields): UserFields {
  const current = { ...before, custom_fields: sortKeys(before.custom_fields) };
  const next = { ...fields, ...(fields.custom_fields && { custom_fields: sortKeys(fields.custom_fields) }) };
  const changed = Object.keys(diff(current, next)) as (keyof UserFields)[];
  return Object.fromEntries(changed.map((k) => [k, fields[k]]));
}

/** The service's fields for a row, with managers named by email turned into ids. */
function fieldsOf(step: Step, idOf: (ref: ManagerRef, field: string) => number): UserFields {
  const { manager_email: _m, dotted_line_manager_emails: _d, status: _s, ...fields } = step.input;
  const out: UserFields = { ...fields };
  if (step.manager !== undefined) out.manager_id = step.manager && idOf(step.manager, 'manager_email');
  const dotted =
    step.dotted?.map((r) => idOf(r, 'dotted_line_manager_emails')) ?? fields.dotted_line_manager_ids;
  if (dotted) out.dotted_line_manager_ids = [...new Set(dotted)].sort((a, b) => a - b);
  return out;
}

/** What a row will write; nothing for a user it restates, so that a re-sync costs no writes at all. */
function writeFor(trx: Transaction<DB>, p: Principal, step: Step, fields: UserFields) {
  const { status } = step.input;
  const before = step.target;
  if (!before) {
    const run = async () => {
      const id = await insertUser(trx, p, fields as NewUser);
      const created = {
        id,
        department_id: fields.department_id ?? null,
        status: 'active' as const,
        role: fields.role ?? NEW_USER_ACCESS.role,
        data_admin: fields.data_admin ?? NEW_USER_ACCESS.dataAdmin,
      };
      if (status === 'deactivated') await applyUserStatus(trx, p, created, status);
      return id;
    };
    return { outcome: 'created' as Outcome, run };
  }
  const changed = changedFields(before, fields);
  const statusChanges = status !== undefined && status !== before.status;
  const run = async () => {
    if (Object.keys(changed).length > 0) await applyUserChanges(trx, p, before, changed);
    if (statusChanges) {
      const department_id =
        changed.department_id === undefined ? before.department_id : changed.department_id;
      await applyUserStatus(trx, p, { ...before, department_id }, status);
    }
    return before.id;
  };
  const outcome: Outcome = Object.keys(changed).length > 0 || statusChanges ? 'updated' : 'unchanged';
  return { outcome, run };
}

const STATS_EVERY = 1000;

/** Runs one row behind a savepoint, so that its failure rolls back only its own writes. */
async function inSavepoint<T>(trx: Transaction<DB>, run: () => Promise<T>): Promise<T> {
  await sql`savepoint bulk_row`.execute(trx);
  try {
    const result = await run();
    await sql`release savepoint bulk_row`.execute(trx);
    return result;
  } catch (error) {
    await sql`rollback to savepoint bulk_row`.execute(trx);
    await sql`release savepoint bulk_row`.execute(trx);
    throw error;
  }
}

/** Applies the planned rows, managers first; returns the counts and every row error. */
async function execute(trx: Transaction<DB>, p: Principal, plan: Plan, mode: BulkMode) {
  const result: BulkResult = { created: 0, updated: 0, unchanged: 0, failed: 0, errors: [] };
  const written = new Map<number, number>();
  const idOf = (ref: ManagerRef, field: string) => {
    if ('id' in ref) return ref.id;
    const manager = plan.steps[ref.step] as Step;
    const id = written.get(ref.step) ?? manager.target?.id;
    if (id !== undefined) return id;
    throw new AppError('invalid_operation', `The manager's row ${manager.row} was not written.`, { field });
  };
  const creates = plan.steps.filter((s) => !s.target).length;
  for (const [k, index] of plan.order.entries()) {
    const step = plan.steps[index] as Step;
    if (k % STATS_EVERY === 0 && plan.steps.length >= STATS_EVERY)
      await refreshStatistics(trx, 'users', creates);
    try {
      if (step.error) throw new AppError(step.error.error, step.error.message, { field: step.error.field });
      const write = writeFor(trx, p, step, fieldsOf(step, idOf));
      // all_or_nothing rolls everything back on any error, so a savepoint per row would only cost time.
      const guarded = mode === 'partial' && write.outcome !== 'unchanged';
      written.set(index, guarded ? await inSavepoint(trx, write.run) : await write.run());
      result[write.outcome]++;
    } catch (error) {
      const rowError = toRowError(step.row, error);
      if (!rowError) throw error;
      result.errors.push(rowError);
      // Without a savepoint a database error aborts the transaction: later rows cannot be checked.
      if (!(error instanceof AppError) && mode === 'all_or_nothing') break;
    }
  }
  return result;
}

/**
 * Creates or updates up to 10,000 users in one transaction. Rows match an existing user by employee id,
 * then by email; all_or_nothing writes nothing when any row fails, partial applies the valid rows.
 */
export async function bulkUpsertUsers(
  db: Kysely<DB>,
  p: Principal,
  upload: BulkUpload<BulkUserInput>,
): Promise<BulkResult> {
  pass(p, gates.writeUsers);
  return db.transaction().execute(async (trx) => {
    const plan = await planUpload(trx, p, upload.rows);
    const result = await execute(trx, p, plan, upload.mode);
    const errors = [...upload.invalid, ...plan.errors, ...result.errors].sort((a, b) => a.row - b.row);
    if (upload.mode === 'all_or_nothing' && errors.length > 0) {
      const rows = new Set(errors.map((e) => e.row)).size;
      throw new AppError('bulk_rejected', `${rows} of the rows were rejected; nothing was written.`, errors);
    }
    return { ...result, failed: new Set(errors.map((e) => e.row)).size, errors };
  });
}
