#!/usr/bin/env node
// `node scripts/mutation-survivors.mjs <module>`: applies each survivor of reports/mutation/<module>.json by
// hand and says which fail (scripts/mutation-confirm.mjs); `npm run test:mutation` does the same after each
// module, so this is for re-checking one module's last report without running Stryker again.
import { confirmSurvivors } from './mutation-confirm.mjs';
import { MODULES } from './mutation-modules.mjs';

const module = MODULES.find((m) => m.name === process.argv[2]);
if (!module) {
  console.error(`usage: mutation-survivors.mjs <module>; known: ${MODULES.map((m) => m.name).join(', ')}`);
  process.exit(2);
}
const { killed, survivors } = confirmSurvivors(module, console.log);
console.log(`${module.name}: ${killed} survivors killed when applied by hand, ${survivors.length} survived`);
