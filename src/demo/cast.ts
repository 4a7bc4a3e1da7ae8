import type { Principal } from '../domain/access/principal.js';
import type { DemoPlan, PlannedPerson } from './plan.js';
import type { IdsOf } from './seed.js';

/**
 * The people of the demo acting as themselves: a principal with their own role, so that the people areas'
 * rules (who may answer, request, see) apply to the seed as they would to them.
 */
export function castOf(actor: Principal, plan: DemoPlan, ids: IdsOf) {
  const person = (ref: number): PlannedPerson => {
    const found = plan.people[ref];
    if (!found) throw new Error(`the demo plan has no person ${ref}`);
    return found;
  };
  const as = (ref: number): Principal => {
    const p = person(ref);
    return { ...actor, userId: ids.userId(ref), role: p.role, dataAdmin: p.data_admin };
  };
  const refOf = new Map(plan.people.map((p) => [ids.userId(p.ref), p.ref]));
  /** The person a user id belongs to. */
  const byId = (userId: number) => person(refOf.get(userId) ?? -1);
  const admin = plan.people.find((p) => p.isAdmin) ?? person(0);
  const byTitle = (title: string) => plan.people.filter((p) => p.title === title);
  const reportsOf = (ref: number) => plan.people.filter((p) => p.manager === ref);
  return { people: plan.people, person, as, byId, admin, byTitle, reportsOf, id: ids.userId };
}

export type Cast = ReturnType<typeof castOf>;

/** A day `days` after `day` (before, when negative), as YYYY-MM-DD. */
export const addDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** The calendar quarter `today` falls in, and the one before it. */
export function quartersOf(today: string) {
  const year = Number(today.slice(0, 4));
  const q = Math.floor((Number(today.slice(5, 7)) - 1) / 3);
  const quarter = (y: number, i: number) => {
    const start = `${y}-${String(i * 3 + 1).padStart(2, '0')}-01`;
    const next = i === 3 ? `${y + 1}-01-01` : `${y}-${String(i * 3 + 4).padStart(2, '0')}-01`;
    return { name: `Q${i + 1} ${y}`, starts_on: start, ends_on: addDays(next, -1) };
  };
  return { current: quarter(year, q), previous: q === 0 ? quarter(year - 1, 3) : quarter(year, q - 1) };
}
