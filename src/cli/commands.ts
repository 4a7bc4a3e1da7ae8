import type { Config } from '../config.js';
import { createDemoOrganization, rotateDemoKey } from '../demo/service.js';
import { createApiKey, setApiKeyStatus } from '../domain/keys/service.js';
import { acceptPrivacyNotice, createOrganization } from '../domain/orgs/service.js';
import { rotateCursorSecret } from '../http/cursor-secrets.js';
import { optionalText, parseCommand, positiveId, requiredEmail, requiredText, UsageError } from './args.js';
import { openDatabase, withDatabase } from './database.js';
import { operatorFor } from './operator.js';

export type Print = (line: string) => void;

const org = { type: 'string' } as const;
const json = { type: 'boolean' } as const;

export async function migrateCommand(argv: string[], config: Config, print: Print) {
  parseCommand('migrate', argv, {});
  const database = await openDatabase(config);
  await database.close();
  print(database.applied.length ? `Applied ${database.applied.join(', ')}.` : 'The database is up to date.');
}

export async function initCommand(argv: string[], config: Config, print: Print) {
  const { values } = parseCommand('init', argv, {
    'org-name': { type: 'string' },
    slug: { type: 'string' },
    'admin-email': { type: 'string' },
    'admin-first-name': { type: 'string' },
    'admin-last-name': { type: 'string' },
    json,
  });
  const slug = optionalText('init', 'slug', values.slug, 60);
  if (slug !== undefined && !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug)) {
    throw new UsageError(`trellis init: --slug must be lowercase letters, digits and dashes, got "${slug}"`);
  }
  const input = {
    name: requiredText('init', 'org-name', values['org-name'], 200),
    adminEmail: requiredEmail('init', 'admin-email', values['admin-email']),
    ...(slug && { slug }),
    adminFirstName: optionalText('init', 'admin-first-name', values['admin-first-name'], 100),
    adminLastName: optionalText('init', 'admin-last-name', values['admin-last-name'], 100),
  };
  const created = await withDatabase(config, ({ db }) => createOrganization(db, input));
  if (values.json) {
    const { orgId, slug: createdSlug, adminId, key } = created;
    return print(JSON.stringify({ org_id: orgId, slug: createdSlug, admin_id: adminId, key }));
  }
  print(`Created the organisation "${input.name}" (slug ${created.slug}, id ${created.orgId}).`);
  print(`Its super admin is ${input.adminEmail} (user ${created.adminId}); their live API key, shown once:`);
  print(created.key);
}

export async function keysCreateCommand(argv: string[], config: Config, print: Print) {
  const { values } = parseCommand('keys create', argv, {
    user: { type: 'string' },
    name: { type: 'string' },
    mode: { type: 'string' },
    org,
    json,
  });
  const user = requiredText('keys create', 'user', values.user, 320);
  const name = requiredText('keys create', 'name', values.name, 100);
  const mode = values.mode ?? 'live';
  if (mode !== 'live' && mode !== 'test') {
    throw new UsageError(`trellis keys create: --mode must be live or test, got "${mode}"`);
  }
  const { key, plaintext } = await withDatabase(config, async ({ db }) => {
    const { actor } = await operatorFor(db, values.org);
    return createApiKey(db, actor, { user: /^\d+$/.test(user) ? Number(user) : user, name, mode });
  });
  if (values.json) {
    return print(
      JSON.stringify({ id: key.id, name: key.name, mode: key.mode, user_id: key.user_id, key: plaintext }),
    );
  }
  print(`Created the ${key.mode} API key ${key.id} "${key.name}" for user ${key.user_id}; shown once:`);
  print(plaintext);
}

export async function keysRevokeCommand(argv: string[], config: Config, print: Print) {
  const { values, positionals } = parseCommand('keys revoke', argv, { org }, 1);
  const id = positiveId('keys revoke', 'API key', positionals[0]);
  const key = await withDatabase(config, async ({ db }) => {
    const { actor } = await operatorFor(db, values.org);
    return setApiKeyStatus(db, actor, id, 'revoked');
  });
  print(`Revoked the API key ${key.id} "${key.name}".`);
}

export async function acceptNoticeCommand(argv: string[], config: Config, print: Print) {
  const { values } = parseCommand('users accept-notice', argv, { email: { type: 'string' }, org });
  const email = requiredEmail('users accept-notice', 'email', values.email);
  const user = await withDatabase(config, async ({ db }) => {
    const { org: target } = await operatorFor(db, values.org);
    return acceptPrivacyNotice(db, target.org_id, email);
  });
  print(`${user.first_name} ${user.last_name} <${user.email}> has accepted the privacy notice.`);
}

export async function demoCommand(argv: string[], config: Config, print: Print) {
  const { values } = parseCommand('demo', argv, { json });
  const { demo, key } = await withDatabase(config, async ({ db }) => {
    const created = await createDemoOrganization(db);
    return { demo: created, key: await rotateDemoKey(db, created) };
  });
  if (values.json) {
    return print(JSON.stringify({ org_id: demo.orgId, slug: demo.slug, people: demo.people, key: key.key }));
  }
  print(`Created the demo organisation "${demo.name}" (slug ${demo.slug}) with ${demo.people} people.`);
  print(`Live API key "${key.name}" of its super admin, shown once:`);
  print(key.key);
}

/** Hours as the flag says them: a decimal from 0 (the old secrets stop at once) to a year. */
function graceHours(value: string | undefined): number {
  if (value === undefined) return 24;
  const hours = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || hours > 8760) {
    throw new UsageError(
      `trellis cursors rotate: --grace-hours must be a number of hours from 0 to 8760, got "${value}"`,
    );
  }
  return hours;
}

export async function cursorsRotateCommand(argv: string[], config: Config, print: Print) {
  const { values } = parseCommand('cursors rotate', argv, { 'grace-hours': { type: 'string' } });
  const grace = graceHours(values['grace-hours']);
  const rotation = await withDatabase(config, ({ db }) => rotateCursorSecret(db, grace));
  print(`Cursors are signed with secret ${rotation.id} from now on (on every server within a minute).`);
  print(
    rotation.until === null
      ? 'No older secret verifies any more: cursors handed out before now are refused.'
      : `${rotation.retiring} older secret(s) still verify cursors handed out before now, until ${rotation.until}.`,
  );
}
