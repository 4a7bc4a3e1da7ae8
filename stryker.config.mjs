// StrykerJS (9.6.1, the last line that runs on Node 20) over the rules that guard access and progress.
// `npm run test:mutation` (scripts/mutation.mjs) runs it once per module with that module's tests; this
// file is the shared base, and on its own (`npx stryker run`) it mutates every module against their tests.
import { MODULES } from './scripts/mutation-modules.mjs';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  // Explicit test lists per module (mutation-modules.mjs): `related` would pull in nearly every suite,
  // since every test reaches the policy through the app.
  vitest: { configFile: 'vitest.config.ts', related: false },
  // 'perTest' collected no coverage here (0% on auth.ts, its obvious mutants "survived"); 'off' runs a
  // module's suites for every mutant, slower but each result true (credentials.ts: 6/6 killed).
  coverageAnalysis: 'off',
  // Two cores shared by many: one test process at a time.
  concurrency: 1,
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  tempDirName: '.stryker-tmp',
  // Scratch copies, builds and local data stay out of the sandbox Stryker copies the project into.
  ignorePatterns: ['.scratch', 'dist', 'data', 'coverage'],
  cleanTempDir: 'always',
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  // A test that builds its world through HTTP and a database is slow on a loaded machine: a generous margin.
  timeoutMS: 60_000,
  dryRunTimeoutMinutes: 30,
  timeoutFactor: 3,
  mutate: MODULES.map((m) => m.file),
  testFiles: [...new Set(MODULES.flatMap((m) => m.tests))],
};
