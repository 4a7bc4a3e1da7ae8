// Applies survivors by hand: Stryker's own replacement at Stryker's own place, in a copy of the tree, with the
// module's suites run there. The vitest runner reports static mutants (code run when a module loads) as
// survived; a survivor whose suites fail once it is written into the source was in truth killed
// (docs/testing.md, "the second trap"). Never touches the tree itself.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

const SKIPPED = new Set(['node_modules', 'reports', '.stryker-tmp', '.git', 'data', 'dist', 'coverage']);
const isSurvivor = (m) => m.status === 'Survived' || m.status === 'NoCoverage';

/** A scratch copy of the tree to write mutants into, with the same node_modules. */
function copyOfTree() {
  const copy = mkdtempSync(join(tmpdir(), 'survivors-'));
  cpSync('.', copy, { recursive: true, filter: (path) => !SKIPPED.has(basename(path)) });
  symlinkSync(realpathSync('node_modules'), join(copy, 'node_modules'));
  return copy;
}

/**
 * Each survivor of a module's JSON report (reports/mutation/<name>.json), applied alone: the ones whose suites
 * still pass are the true survivors. `log` hears one line per survivor.
 */
export function confirmSurvivors(module, log = () => {}) {
  const report = JSON.parse(readFileSync(`reports/mutation/${module.name}.json`, 'utf8'));
  const copy = copyOfTree();
  const survivors = [];
  let killed = 0;
  try {
    for (const [path, { mutants }] of Object.entries(report.files)) {
      const file = join(copy, path.split(':')[0]);
      const source = readFileSync(file, 'utf8');
      const lineStarts = [0];
      for (const line of source.split('\n')) lineStarts.push((lineStarts.at(-1) ?? 0) + line.length + 1);
      const offset = ({ line, column }) => (lineStarts[line - 1] ?? 0) + column - 1;
      for (const m of mutants.filter(isSurvivor)) {
        const [from, to] = [offset(m.location.start), offset(m.location.end)];
        writeFileSync(file, source.slice(0, from) + m.replacement + source.slice(to));
        const run = spawnSync('npx', ['vitest', 'run', ...module.tests], { cwd: copy, encoding: 'utf8' });
        writeFileSync(file, source);
        const passed = run.status === 0;
        if (passed) survivors.push(m);
        else killed++;
        const was = JSON.stringify(source.slice(from, to).slice(0, 40));
        log(
          `${passed ? 'SURVIVED' : 'killed  '} ${m.location.start.line}:${m.mutatorName} ${was} -> ${m.replacement}`,
        );
      }
    }
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
  return { killed, survivors };
}
