#!/usr/bin/env node
// `npm run test:mutation [-- <module>…]`: StrykerJS once per module (scripts/mutation-modules.mjs) with only
// that module's suites, incremental per module; then each survivor applied by hand (mutation-confirm.mjs), since
// the vitest runner reports static mutants as survived; then one line per module with Stryker's score and the
// confirmed one, and a total line of the confirmed scores.
// Slow (minutes to an hour per module on two cores): run it by hand, not in CI (docs/testing.md).
import { Stryker } from '@stryker-mutator/core';
import { confirmSurvivors } from './mutation-confirm.mjs';
import { MODULES } from './mutation-modules.mjs';

const wanted = process.argv.slice(2);
const chosen = wanted.length
  ? MODULES.filter((m) => wanted.some((w) => m.name === w || m.file === w || m.file.endsWith(w)))
  : MODULES;
if (chosen.length === 0) {
  console.error(`No module matches ${wanted.join(' ')}; known: ${MODULES.map((m) => m.name).join(', ')}`);
  process.exit(2);
}

const DETECTED = new Set(['Killed', 'Timeout']);
const COUNTED = new Set(['Killed', 'Timeout', 'Survived', 'NoCoverage']);

/** Stryker's mutation score: detected over all valid mutants (compile and runtime errors left out). */
function tally(results) {
  const count = (statuses) => results.filter((r) => statuses.has(r.status)).length;
  const survivors = results.filter((r) => r.status === 'Survived' || r.status === 'NoCoverage');
  return { detected: count(DETECTED), valid: count(COUNTED), survivors };
}

const percent = (detected, valid) => (valid === 0 ? 'n/a' : `${((100 * detected) / valid).toFixed(1)}%`);
const lines = [];
let detected = 0;
let valid = 0;
for (const module of chosen) {
  let results;
  try {
    results = await new Stryker({
      mutate: [module.file],
      testFiles: module.tests,
      // One incremental file per module: a run of one module must not forget the others' results.
      incrementalFile: `reports/stryker-incremental/${module.name}.json`,
      jsonReporter: { fileName: `reports/mutation/${module.name}.json` },
    }).runMutationTest();
  } catch (error) {
    // One module's failed run (a dry run that timed out, say) must not hide the others' scores.
    lines.push(`${module.file.padEnd(40)} failed: ${error instanceof Error ? error.message : error}`);
    process.exitCode = 1;
    continue;
  }
  const score = tally(results);
  const confirmed = confirmSurvivors(module, (line) => console.log(`  ${line}`));
  const caught = score.detected + confirmed.killed;
  detected += caught;
  valid += score.valid;
  const where = confirmed.survivors.map((r) => `${r.location.start.line}:${r.mutatorName}`).join(', ');
  lines.push(
    `${module.file.padEnd(40)} ${percent(caught, score.valid).padStart(6)}  ${caught}/${score.valid}` +
      `  (Stryker ${percent(score.detected, score.valid)})${where ? `  survivors: ${where}` : ''}`,
  );
  console.log(`mutation score: ${lines.at(-1)}`);
}
console.log(`\n${lines.join('\n')}`);
console.log(`${'total'.padEnd(40)} ${percent(detected, valid).padStart(6)}  ${detected}/${valid}`);
