import { api, type User, unwrap } from '../api/client';
import type { components } from '../api/schema';

export type Department = components['schemas']['Department'];
export type Group = components['schemas']['Group'];
export type Role = User['role'];

/** The roles in the order the API names them, with the words a person reads. */
export const ROLES: { value: Role; label: string }[] = [
  { value: 'member', label: 'Member' },
  { value: 'hr_admin', label: 'HR admin' },
  { value: 'admin', label: 'Admin' },
  { value: 'super_admin', label: 'Super admin' },
];

export const roleLabel = (role: Role) => ROLES.find((r) => r.value === role)?.label ?? role;

export const personName = (user: Pick<User, 'first_name' | 'last_name' | 'preferred_name'>) =>
  `${user.preferred_name ?? user.first_name} ${user.last_name}`;

const SIZE = 100;
/** 5,000 departments or groups fill a select well past usefulness; more would want a search instead. */
const MAX_PAGES = 50;

interface Listed<T> {
  data: T[];
  total_count: number;
}

/** Every row of a collection, page by page, for pickers and name lookups. */
async function everyPage<T>(read: (page: number) => Promise<Listed<T>>): Promise<T[]> {
  const rows: T[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const answer = await read(page);
    rows.push(...answer.data);
    if (answer.data.length < SIZE || rows.length >= answer.total_count) break;
  }
  return rows;
}

/** Every department, sorted as a reader scans a tree: by its full path. */
export async function allDepartments(): Promise<Department[]> {
  const rows = await everyPage((page) =>
    unwrap(api.GET('/v1/departments', { params: { query: { page, size: SIZE } } })),
  );
  return rows.sort((a, b) => departmentLabel(a).localeCompare(departmentLabel(b)));
}

export const allGroups = (): Promise<Group[]> =>
  everyPage((page) => unwrap(api.GET('/v1/groups', { params: { query: { page, size: SIZE } } })));

/** "Engineering › Platform": a department's ancestors and itself, so that two "Sales" tell apart. */
export const departmentLabel = (d: Pick<Department, 'name' | 'path'>) =>
  [...d.path.map((step) => step.name), d.name].join(' › ');

/** The people these users report to, by id; one the reader may not read shows as unknown, not a failure. */
export async function managersOf(users: User[]): Promise<Map<number, User>> {
  const ids = [...new Set(users.flatMap((u) => (u.manager_id === null ? [] : [u.manager_id])))];
  const read = (id: number) =>
    unwrap(api.GET('/v1/users/{id}', { params: { path: { id: String(id) } } })).then(
      (answer) => [answer.data],
      () => [],
    );
  const found = (await Promise.all(ids.map(read))).flat();
  return new Map(found.map((user) => [user.id, user]));
}
