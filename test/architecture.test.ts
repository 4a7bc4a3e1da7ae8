import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The arrows point one way (docs/faces.md): db ← domain ← http ← faces ← app ← cli, with the mail transports
 * (src/mail, nodemailer behind the domain's Mailer) used by app and cli alone, the demo and the jobs (the
 * outbound webhooks worker) beside
 * the faces (it consumes services) and config read by the CLI alone. A face never imports another face.
 * Type-only imports count: a type cycle ties modules together as firmly as a value one.
 */
const SRC = resolve(import.meta.dirname, '../src');

/** Each layer and the layers it may import besides itself. */
const MAY_IMPORT: Record<string, string[]> = {
  db: [],
  domain: ['db'],
  http: ['db', 'domain'],
  faces: ['db', 'domain', 'http'],
  demo: ['db', 'domain'],
  jobs: ['db', 'domain'],
  mail: ['domain'],
  app: ['db', 'domain', 'http', 'faces', 'mail'],
  config: [],
  cli: ['db', 'domain', 'http', 'faces', 'demo', 'jobs', 'app', 'config', 'mail'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** src/faces/native/users.ts → faces; src/app.ts → app. */
function layerOf(file: string): string {
  const [first = ''] = relative(SRC, file).split('/');
  return first.replace(/\.ts$/, '');
}

/** The face a file belongs to (faces/native/x.ts → native), or null for faces/face.ts and faces/shared. */
function faceOf(file: string): string | null {
  const [layer, face] = relative(SRC, file).split('/');
  if (layer !== 'faces' || !face || face.endsWith('.ts') || face === 'shared') return null;
  return face;
}

/** The project files a file imports, type-only imports and re-exports included. */
function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, false);
  return importedFiles
    .map((i) => i.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => resolve(dirname(file), name).replace(/\.js$/, '.ts'));
}

function wrongWayImports(files: string[]): string[] {
  const wrong: string[] = [];
  for (const file of files) {
    const from = layerOf(file);
    for (const target of importsOf(file)) {
      const to = layerOf(target);
      const face = faceOf(file);
      const otherFace = faceOf(target);
      const allowed = to === from || MAY_IMPORT[from]?.includes(to);
      const crossesFaces = face !== null && otherFace !== null && face !== otherFace;
      if (!allowed || crossesFaces) wrong.push(`${relative(SRC, file)} → ${relative(SRC, target)}`);
    }
  }
  return wrong;
}

/** Every cycle in the import graph, each as the files around it. */
function importCycles(files: string[]): string[][] {
  const graph = new Map(files.map((f) => [f, importsOf(f)]));
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open')
        cycles.push(stack.slice(stack.indexOf(next)).map((f) => relative(SRC, f)));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of files) if (!state.has(file)) visit(file);
  return cycles;
}

describe('the import graph of src/', () => {
  const files = sourceFiles(SRC);

  it('knows the layer of every file', () => {
    const unknown = files.filter((f) => !(layerOf(f) in MAY_IMPORT)).map((f) => relative(SRC, f));
    expect(unknown).toEqual([]);
  });

  it('points one way: db ← domain ← http ← faces ← app ← cli, and no face imports another', () => {
    expect(wrongWayImports(files)).toEqual([]);
  });

  it('has no cycle, not even through type-only imports', () => {
    expect(importCycles(files)).toEqual([]);
  });
});
