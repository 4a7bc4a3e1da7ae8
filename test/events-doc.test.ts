import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { changeEvents } from '../src/domain/changes.js';

/** The table of docs/events.md: event → object and description, read the way a person reads it. */
function documentedEvents(): Map<string, { object: string; description: string }> {
  const markdown = readFileSync(new URL('../docs/events.md', import.meta.url), 'utf8');
  const rows = new Map<string, { object: string; description: string }>();
  for (const line of markdown.split('\n')) {
    const cells = line
      .split(/(?<!\\)\|/)
      .slice(1, -1)
      .map((c) => c.trim().replace(/\\([<>|])/g, '$1'));
    const event = /^`([a-z_]+\.[a-z_]+)`$/.exec(cells[0] ?? '')?.[1];
    if (!event || cells.length !== 3) continue;
    if (rows.has(event)) throw new Error(`docs/events.md lists ${event} twice`);
    const object = /^`([a-z_]+)`$/.exec(cells[1] ?? '')?.[1] ?? cells[1] ?? '';
    rows.set(event, { object, description: cells[2] ?? '' });
  }
  return rows;
}

describe('docs/events.md', () => {
  const documented = documentedEvents();
  const registry = Object.entries(changeEvents);

  it('lists exactly the events of the registry', () => {
    expect([...documented.keys()].sort()).toEqual(registry.map(([event]) => event).sort());
  });

  it.each(registry)('gives %s its object and description', (event, { object, description }) => {
    const row = documented.get(event);
    expect(row, `${event} is missing from docs/events.md`).toBeDefined();
    expect(row?.object).toBe(object);
    expect(row?.description).toBe(description);
  });
});
