/**
 * The import layout (issue #11, "Layout"): no import circles, and the layers only point down —
 * model/ (the reference semantics) imports nothing of checker/, engine/ or cli/; engine/ nothing
 * of checker/ or cli/; integrations/ (the vitest integration) nothing of cli/, not even through
 * another module. Every import of every source file counts: `import type` too (a circle of types
 * is still a circle of modules), re-exports, `import()` and `require()`. The imports are read with
 * TypeScript's own pre-processor (`ts.preProcessFile`: no false hits in comments or strings).
 * All offences are listed in one failure message.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join, normalize, sep } from 'path';
import ts from 'typescript';
import { ROOT } from '../helpers/cli';

/** Not sources: tests, what tools make, dependencies. */
const NOT_SOURCES = new Set(['node_modules', 'dist', 'test', 'docs', 'coverage', 'rmapcheck-out', '.scratch', '.git']);
/** What the issue names; every other folder with TypeScript in it is scanned too. */
const NAMED = ['model', 'checker', 'engine', 'cli', 'integrations', 'viewer', 'proofs', 'generators', 'bench', 'index.ts'];

/** from-folder -> folders it must not depend on. */
const DIRECT_RULES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['model', ['checker', 'engine', 'cli']],
  ['engine', ['checker', 'cli']],
  ['integrations', ['cli']],
];
/** ... and not even through other modules. */
const TRANSITIVE_RULES: ReadonlyArray<readonly [string, readonly string[]]> = [['integrations', ['cli']]];

type Graph = Map<string, string[]>;

/** Every .ts/.mts source under `root` (paths relative to it, with '/'). */
function sourceFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(join(root, dir))) {
      const rel = dir ? `${dir}/${name}` : name;
      if (!dir && NOT_SOURCES.has(name)) continue;
      if (statSync(join(root, rel)).isDirectory()) walk(rel);
      else if (/\.m?ts$/.test(name) && !name.endsWith('.d.ts')) out.push(rel);
    }
  };
  walk('');
  return out.sort();
}

/** The source file a relative specifier names, or null (a package, a JSON module). */
function resolve(root: string, from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = normalize(join(dirname(from), spec)).split(sep).join('/');
  for (const c of [base, `${base}.ts`, `${base}.mts`, `${base}/index.ts`, base.replace(/\.js$/, '.ts'), base.replace(/\.mjs$/, '.mts')])
    if (/\.m?ts$/.test(c) && existsSync(join(root, c)) && statSync(join(root, c)).isFile()) return c;
  return null;
}

function importGraph(root: string, files: readonly string[]): Graph {
  const g: Graph = new Map();
  for (const f of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(join(root, f), 'utf8'), true, true);
    const deps = importedFiles.map((i) => resolve(root, f, i.fileName)).filter((d): d is string => d !== null);
    g.set(f, [...new Set(deps)]);
  }
  return g;
}

/** The circles: one concrete path a -> ... -> a per strongly connected component (Tarjan). */
function circles(g: Graph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of g.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const c: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        c.push(w);
      } while (w !== v);
      if (c.length > 1 || (g.get(v) ?? []).includes(v)) components.push(c);
    }
  };
  for (const v of [...g.keys()].sort()) if (!index.has(v)) visit(v);
  // a shortest way back to the component's first file, inside the component
  return components.map((c) => {
    const inside = new Set(c);
    const start = [...c].sort()[0];
    const prev = new Map<string, string>();
    const queue = [start];
    for (let i = 0; i < queue.length; i++)
      for (const w of g.get(queue[i]) ?? []) {
        if (w === start) {
          const path = [start];
          for (let x: string | undefined = queue[i]; x !== undefined && x !== start; x = prev.get(x)) path.splice(1, 0, x);
          return [...path, start];
        }
        if (inside.has(w) && !prev.has(w)) {
          prev.set(w, queue[i]);
          queue.push(w);
        }
      }
    return [start, start];
  });
}

const top = (f: string): string => f.split('/')[0];

/** Every offence, one line each: circles, then arrows the layers forbid. */
function offences(g: Graph): string[] {
  const out = circles(g).map((c) => `import circle: ${c.join(' -> ')}`);
  for (const [from, deps] of g)
    for (const d of deps)
      for (const [layer, banned] of DIRECT_RULES)
        if (top(from) === layer && banned.includes(top(d))) out.push(`${layer}/ imports ${top(d)}/: ${from} -> ${d}`);
  for (const [layer, banned] of TRANSITIVE_RULES)
    for (const from of [...g.keys()].filter((f) => top(f) === layer)) {
      // breadth first through the modules outside `banned`, reporting the first banned file reached
      const prev = new Map<string, string>([[from, '']]);
      const queue = [from];
      for (let i = 0; i < queue.length; i++)
        for (const w of g.get(queue[i]) ?? []) {
          if (prev.has(w)) continue;
          prev.set(w, queue[i]);
          if (banned.includes(top(w))) {
            const chain = [w];
            for (let x = queue[i]; x !== ''; x = prev.get(x)!) chain.unshift(x);
            // (an arrow straight from the layer is reported above already)
            if (top(queue[i]) !== layer) out.push(`${layer}/ depends on ${top(w)}/ through other modules: ${chain.join(' -> ')}`);
          } else queue.push(w);
        }
    }
  return out;
}

describe('the import layout', () => {
  it('has no import circles and no import against the layers', () => {
    const files = sourceFiles(ROOT);
    for (const named of NAMED) expect(files.some((f) => f === named || f.startsWith(`${named}/`)), named).toBe(true);
    const graph = importGraph(ROOT, files);
    // the library entry re-exports from every layer: a resolver that found nothing would pass vacuously
    expect([...new Set(graph.get('index.ts')!.map(top))]).toEqual(expect.arrayContaining(['model', 'checker', 'proofs', 'generators']));
    const found = offences(graph);
    if (found.length > 0) expect.fail(`${found.length} import-layout offence(s):\n${found.map((o) => `  ${o}`).join('\n')}`);
  });

  it('the scan sees what a small tree with every kind of offence has in it', () => {
    const root = mkdtempSync(join(tmpdir(), 'rmapcheck-imports-'));
    const put = (f: string, text: string): void => {
      mkdirSync(join(root, dirname(f)), { recursive: true });
      writeFileSync(join(root, f), text);
    };
    put('model/a.ts', "import type { B } from '../checker/b';\n// import { x } from '../cli/not-an-import';\nexport const a = \"import y from '../cli/nor-this'\";\n");
    put('checker/b.ts', "export type B = number;\nexport { c } from './c';\n");
    put('checker/c.ts', "export const c = () => import('./b');\n");
    put('engine/e.ts', "const m = require('../cli/m');\nexport const e = m;\n");
    put('integrations/i.ts', "import { v } from '../viewer/v';\nexport const i = v;\n");
    put('viewer/v.ts', "import { m } from '../cli/m.js';\nexport const v = m;\n");
    put('cli/m.ts', "import { readFileSync } from 'fs';\nimport data from '../scenarios/x.json';\nexport const m = [readFileSync, data];\n");
    put('test/ignored.ts', "import { a } from '../model/a';\nimport { t } from './ignored';\n");
    const files = sourceFiles(root);
    expect(files).toEqual(['checker/b.ts', 'checker/c.ts', 'cli/m.ts', 'engine/e.ts', 'integrations/i.ts', 'model/a.ts', 'viewer/v.ts']);
    expect(offences(importGraph(root, files)).sort()).toEqual(
      [
        'import circle: checker/b.ts -> checker/c.ts -> checker/b.ts',
        'model/ imports checker/: model/a.ts -> checker/b.ts',
        'engine/ imports cli/: engine/e.ts -> cli/m.ts',
        'integrations/ depends on cli/ through other modules: integrations/i.ts -> viewer/v.ts -> cli/m.ts',
      ].sort(),
    );
  });
});
