import { readdirSync } from 'node:fs';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { cliEnv, freshDatabase, run, serverUrl, useCli } from './cli-process.js';

/** The migrations in the tree, in order: what a fresh database must end up with. */
const MIGRATIONS = readdirSync('src/db/migrations')
  .filter((file) => /^\d{4}_.+\.ts$/.test(file))
  .map((file) => file.replace(/\.ts$/, ''))
  .sort();

// PGlite's directory lock turns a second process away (test/cli.test.ts covers that), so two migrations
// can only run at once on a PostgreSQL server: TEST_DATABASE_URL.
describe.skipIf(!serverUrl)(
  'trellis migrate on PostgreSQL (skipped on PGlite: one process at a time)',
  () => {
    useCli();

    it('two processes started together both succeed and apply the schema once; a third finds nothing to do', async () => {
      const database = await freshDatabase();
      const together = await Promise.all([
        run(['migrate'], cliEnv(database)),
        run(['migrate'], cliEnv(database)),
      ]);
      expect(together.map((r) => ({ code: r.code, stderr: r.stderr }))).toEqual([
        { code: 0, stderr: '' },
        { code: 0, stderr: '' },
      ]);
      expect(together.map((r) => r.stdout).sort()).toEqual([
        `Applied ${MIGRATIONS.join(', ')}.\n`,
        'The database is up to date.\n',
      ]);

      const client = new pg.Client({ connectionString: database.DATABASE_URL });
      await client.connect();
      try {
        const applied = await client.query('select name from trellis_migrations order by name');
        expect(applied.rows.map((r) => r.name)).toEqual(MIGRATIONS);
      } finally {
        await client.end();
      }

      const third = await run(['migrate'], cliEnv(database));
      expect(third).toEqual({ code: 0, stdout: 'The database is up to date.\n', stderr: '' });
    }, 120_000);
  },
);
