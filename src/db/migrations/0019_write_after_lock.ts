import { type Kysely, sql } from 'kysely';

// One round trip for a write that must see everything committed before its locks were granted
// (src/db/write-after-lock.ts): the lock statement, then the write, each with its own snapshot, as a volatile
// PL/pgSQL function's statements are under READ COMMITTED. A single statement could not do it: one that waits
// for a lock keeps the snapshot it started with for every row it did not lock. The lock statement's one json
// value is the write's last argument, so the write can check that what it changes is what was locked.
//
// Both run as prepared statements of the session, prepared on first use under their given names: planning the
// write (a check-in's, with its roll-up and audit rows) costs several times what running it does, and the
// locks are held while it runs.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`create function write_after_lock(lock_name text, lock_sql text, lock_args text,
  write_name text, write_sql text, write_args text) returns json
  language plpgsql volatile as $$
declare
  locked json;
  written json;
begin
  if not exists (select from pg_prepared_statements where name = lock_name) then
    execute format('prepare %I as %s', lock_name, lock_sql);
  end if;
  execute format('execute %I(%s)', lock_name, lock_args) into locked;
  if not exists (select from pg_prepared_statements where name = write_name) then
    execute format('prepare %I as %s', write_name, write_sql);
  end if;
  execute format('execute %I(%s, %L)', write_name, write_args, locked) into written;
  return written;
end
$$`)
    .execute(db);
}
