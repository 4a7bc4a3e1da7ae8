import { migrate } from '../src/db/migrate.js';
import type { Role } from '../src/db/schema.js';
import { operatorPrincipal, type Principal } from '../src/domain/access/principal.js';
import { createOrganization } from '../src/domain/orgs/service.js';
import { createUser } from '../src/domain/users/service.js';
import { freshDatabase } from './harness.js';

/**
 * A migrated database with one organisation and no app, for the suites that call the domain services
 * directly so that mutation testing can run them once per mutant (docs/testing.md). People are made by the
 * real user service and named: `who(name)` is their principal, `nameOf(id)` their name. root is the
 * organisation's first admin, a super admin.
 */
export async function bareWorld(orgName: string) {
  const database = await freshDatabase();
  await migrate(database.db);
  const org = await createOrganization(database.db, { name: orgName, adminEmail: 'root@example.com' });
  const operator = operatorPrincipal(org.orgId, org.adminId);
  const as: Record<string, Principal> = { root: operator };
  const names = new Map<number, string>([[org.adminId, 'root']]);
  const principal = (userId: number, role: Role, dataAdmin = false): Principal => ({
    ...operator,
    userId,
    role,
    dataAdmin,
  });
  const who = (name: string): Principal => {
    const p = as[name];
    if (!p) throw new Error(`no ${name}`);
    return p;
  };
  /** Makes a user named `name` with `role` (and any other fields), and returns their id. */
  const person = async (name: string, role: Role, fields: object = {}) => {
    const user = await createUser(database.db, operator, {
      email: `${name}@example.com`,
      first_name: name,
      last_name: 'Test',
      role,
      ...fields,
    });
    as[name] = principal(user.id, role);
    names.set(user.id, name);
    return user.id;
  };
  return {
    db: database.db,
    operator,
    as,
    principal,
    who,
    id: (name: string) => who(name).userId,
    nameOf: (userId: number) => names.get(userId),
    person,
    /** The people, among those named, for whom `passes` holds, in the order given. */
    among: async (people: string[], passes: (p: Principal) => Promise<boolean>) => {
      const found: string[] = [];
      for (const name of people) if (await passes(who(name))) found.push(name);
      return found;
    },
    close: async () => {
      await database.close();
      await database.drop();
    },
  };
}

export type BareWorld = Awaited<ReturnType<typeof bareWorld>>;
