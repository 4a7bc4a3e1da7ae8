#!/usr/bin/env node
// `node scripts/mutation-survivors.mjs <module>`: applies each survivor of reports/mutation/<module>.json,
// Stryker's own replacement at Stryker's own place, to a copy of the tree, runs the module's suites there,
// and says which fail. The vitest runner reports static mutants (code run when a module loads) as survived:
// this tells them from real survivors (docs/testing.md, "the second trap"). Never touches the tree itself.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { MODULES } from './mutation-modules.mjs';

const module = MODULES.find((m) => m.name === process.argv[2]);
if (!module) {
  console.error(`usage: mutation-survivors.mjs <module>; known: ${MODULES.map((m) => m.name).join(', ')}`);
  process.exit(2);
}
const report = JSON.parse(readFileSync(`reports/mutation/${module.name}.json`, 'utf8'));
const copy = mkdtempSync(join(tmpdir(), 'survivors-'));
const skipped = new Set(['node_modules', 'reports', '.stryker-tmp', '.git', 'data', 'dist', 'coverage']);
cpSync('.', copy, { recursive: true, filter: (path) => !skipped.has(basename(path)) });
symlinkSync(realpathSync('node_modules'), join(copy, 'node_modules'));

let killed = 0;
let survived = 0;
for (const [path, { mutants }] of Object.entries(report.files)) {
  const file = join(copy, path.split(':')[0]);
  const source = readFileSync(file, 'utf8');
  const lineStarts = [0];
  for (const line of source.split('\n')) lineStarts.push((lineStarts.at(-1) ?? 0) + line.length + 1);
  const offset = ({ line, column }) => (lineStarts[line - 1] ?? 0) + column - 1;
  for (const m of mutants.filter((x) => x.status === 'Survived' || x.status === 'NoCoverage')) {
    const [from, to] = [offset(m.location.start), offset(m.location.end)];
    writeFileSync(file, source.slice(0, from) + m.replacement + source.slice(to));
    const run = spawnSync('npx', ['vitest', 'run', ...module.tests], { cwd: copy, encoding: 'utf8' });
    writeFileSync(file, source);
    const passed = run.status === 0;
    if (passed) survived++;
    else killed++;
    const was = JSON.stringify(source.slice(from, to).slice(0, 40));
    console.log(
      `${passed ? 'SURVIVED' : 'killed  '} ${m.location.start.line}:${m.mutatorName} ${was} -> ${m.replacement}`,
    );
  }
}
rmSync(copy, { recursive: true, force: true });
console.log(`${module.name}: ${killed} survivors killed when applied by hand, ${survived} survived`);
