import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorRegistry } from '../src/domain/errors.js';

/** The table of docs/errors.md: code → [status, sentence], read the way a person reads it. */
function documentedCodes(): Map<string, { status: number; message: string; when: string }> {
  const markdown = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
  const rows = new Map<string, { status: number; message: string; when: string }>();
  for (const line of markdown.split('\n')) {
    const cells = line
      .split(/(?<!\\)\|/)
      .slice(1, -1)
      .map((c) => c.trim().replace(/\\([<>|])/g, '$1'));
    const code = /^`(\w+)`$/.exec(cells[0] ?? '')?.[1];
    if (!code || cells.length !== 4) continue;
    if (rows.has(code)) throw new Error(`docs/errors.md lists ${code} twice`);
    rows.set(code, { status: Number(cells[1]), message: cells[2] ?? '', when: cells[3] ?? '' });
  }
  return rows;
}

describe('docs/errors.md', () => {
  const documented = documentedCodes();
  const registry = Object.entries(errorRegistry) as [string, readonly [number, string]][];

  it('lists exactly the codes of the error registry', () => {
    expect([...documented.keys()].sort()).toEqual(registry.map(([code]) => code).sort());
  });

  it.each(registry)(
    'gives %s its status and sentence, and says when it happens',
    (code, [status, sentence]) => {
      const row = documented.get(code);
      expect(row, `${code} is missing from docs/errors.md`).toBeDefined();
      expect(row?.status).toBe(status);
      expect(row?.message).toBe(sentence);
      expect(row?.when.length, `${code} needs a "when it happens" sentence`).toBeGreaterThan(20);
    },
  );
});
