import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Principal } from '../access/principal.js';
import type { RowError } from '../bulk.js';
import type { ErrorCode } from '../errors.js';
import * as repo from './repo.js';
import type { NewUser } from './types.js';

/** One row of an upload: a user's fields, with managers optionally named by email. */
export interface BulkUserInput extends NewUser {
  manager_email?: string | null;
  dotted_line_manager_emails?: string[];
  status?: 'active' | 'deactivated';
}

/** A manager reference: a known user id, or the index of the upload row that writes that user. */
export type ManagerRef = { id: number } | { step: number };

export interface Step {
  row: number;
  input: BulkUserInput;
  /** The existing user this row updates; null creates one. */
  target: repo.UserRow | null;
  manager?: ManagerRef | null;
  dotted?: ManagerRef[];
  /** Set when planning already refused the row. */
  error?: RowError;
}

export interface Plan {
  steps: Step[];
  /** Indexes into steps, managers before the people who report to them. */
  order: number[];
  /** Rows refused before any step was made (duplicates within the upload). */
  errors: RowError[];
}

const lower = (email: string) => email.toLowerCase();
const rowError = (row: number, field: string, error: ErrorCode, message: string): RowError => ({
  row,
  field,
  error,
  message,
});

/** Every existing user the upload names (by email, employee id or manager email), in one query. */
async function prefetch(db: Kysely<DB>, p: Principal, rows: { input: BulkUserInput }[]) {
  const emails = new Set<string>();
  const employeeIds = new Set<string>();
  for (const { input } of rows) {
    emails.add(lower(input.email));
    if (input.manager_email) emails.add(lower(input.manager_email));
    for (const e of input.dotted_line_manager_emails ?? []) emails.add(lower(e));
    if (input.employee_id) employeeIds.add(input.employee_id);
  }
  const found = await repo
    .selectUsers(db, p.orgId, p.mode)
    .where((eb) =>
      eb.or([
        eb(sql`lower(users.email)`, '=', sql`any(${[...emails]}::text[])`),
        eb('users.employee_id', '=', sql<string>`any(${[...employeeIds]}::text[])`),
      ]),
    )
    .execute();
  return {
    byEmail: new Map(found.map((u) => [lower(u.email), u])),
    byEmployeeId: new Map(found.filter((u) => u.employee_id !== null).map((u) => [u.employee_id, u])),
  };
}

type Existing = Awaited<ReturnType<typeof prefetch>>;

/** The earlier row of this upload that names the same email, employee id or user, if any. */
function duplicateOf(
  seen: { email: Map<string, number>; employeeId: Map<string, number>; user: Map<number, number> },
  email: string,
  employeeId: string | null | undefined,
  target: repo.UserRow | null,
) {
  const byEmail = seen.email.get(email);
  if (byEmail !== undefined)
    return { field: 'email', message: `Row ${byEmail} of this upload has the same email.` };
  const byId = employeeId ? seen.employeeId.get(employeeId) : undefined;
  if (byId !== undefined) {
    return { field: 'employee_id', message: `Row ${byId} of this upload has the same employee id.` };
  }
  const byUser = target ? seen.user.get(target.id) : undefined;
  if (byUser !== undefined) {
    return { field: 'email', message: `Row ${byUser} of this upload already updates this user.` };
  }
  return null;
}

/** Matches each row to the user it updates (employee id first, then email) and refuses duplicates. */
function matchRows(rows: { row: number; input: BulkUserInput }[], existing: Existing) {
  const steps: Step[] = [];
  const errors: RowError[] = [];
  const seen = {
    email: new Map<string, number>(),
    employeeId: new Map<string, number>(),
    user: new Map<number, number>(),
  };
  for (const { row, input } of rows) {
    const email = lower(input.email);
    const target =
      (input.employee_id ? existing.byEmployeeId.get(input.employee_id) : undefined) ??
      existing.byEmail.get(email) ??
      null;
    const owner = existing.byEmail.get(email);
    const duplicate = duplicateOf(seen, email, input.employee_id, target);
    if (duplicate) {
      errors.push(rowError(row, duplicate.field, 'duplicate_resource', duplicate.message));
      continue;
    }
    if (owner && target && owner.id !== target.id) {
      errors.push(rowError(row, 'email', 'duplicate_resource', 'Another user already has this email.'));
      continue;
    }
    seen.email.set(email, row);
    if (input.employee_id) seen.employeeId.set(input.employee_id, row);
    if (target) seen.user.set(target.id, row);
    steps.push({ row, input, target });
  }
  return { steps, errors };
}

/** Resolves manager emails to rows of this upload first, then to existing users. */
function resolveManagers(steps: Step[], existing: Existing): void {
  const stepByEmail = new Map(steps.map((s, i) => [lower(s.input.email), i]));
  const resolve = (email: string): ManagerRef | undefined => {
    const step = stepByEmail.get(lower(email));
    if (step !== undefined) return { step };
    const user = existing.byEmail.get(lower(email));
    return user ? { id: user.id } : undefined;
  };
  for (const s of steps) {
    const fail = (field: string, message: string) => {
      s.error = rowError(s.row, field, 'invalid_operation', message);
    };
    const { manager_email, manager_id, dotted_line_manager_emails, dotted_line_manager_ids } = s.input;
    if (manager_email !== undefined && manager_id !== undefined) {
      fail('manager_email', 'Send manager_id or manager_email, not both.');
    } else if (dotted_line_manager_emails && dotted_line_manager_ids) {
      fail('dotted_line_manager_emails', 'Send dotted_line_manager_ids or _emails, not both.');
    } else if (manager_email) {
      s.manager = resolve(manager_email) ?? null;
      if (!s.manager) fail('manager_email', `No user has the email ${manager_email}.`);
    } else if (manager_email === null) {
      s.manager = null;
    }
    const dotted = dotted_line_manager_emails?.map(resolve);
    const missing = dotted_line_manager_emails?.find((_e, k) => dotted?.[k] === undefined);
    if (missing && !s.error) fail('dotted_line_manager_emails', `No user has the email ${missing}.`);
    if (dotted && !missing) s.dotted = dotted as ManagerRef[];
  }
}

/** Kahn's order over the in-upload manager references; rows left over sit on or below a cycle. */
function orderSteps(steps: Step[]): number[] {
  const reports = steps.map(() => [] as number[]);
  const waiting = steps.map((s, i) => {
    const deps = new Set([s.manager, ...(s.dotted ?? [])].flatMap((r) => (r && 'step' in r ? [r.step] : [])));
    for (const d of deps) reports[d]?.push(i);
    return deps.size;
  });
  const order = steps.flatMap((_s, i) => (waiting[i] === 0 ? [i] : []));
  for (let k = 0; k < order.length; k++) {
    for (const r of reports[order[k] as number] ?? []) {
      waiting[r] = (waiting[r] as number) - 1;
      if (waiting[r] === 0) order.push(r);
    }
  }
  const placed = new Set(order);
  steps.forEach((s, i) => {
    if (placed.has(i)) return;
    const message = 'The reporting line named in this upload runs into a cycle.';
    s.error ??= rowError(s.row, 'manager_email', 'invalid_operation', message);
    order.push(i);
  });
  return order;
}

/** Matches rows to users, resolves managers and orders the rows; no writes. */
export async function planUpload(
  db: Kysely<DB>,
  p: Principal,
  rows: { row: number; input: BulkUserInput }[],
): Promise<Plan> {
  const existing = await prefetch(db, p, rows);
  const { steps, errors } = matchRows(rows, existing);
  resolveManagers(steps, existing);
  return { steps, order: orderSteps(steps), errors };
}
