// Conformance traces as input: the validity rule of a sequence (the generator's guarantee, checked
// on the operations), parse errors as one line, the library's parseTrace pointing elsewhere, and
// the `conform --json` fields exactly as docs/json.md lists them.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'fs';
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { conformCaseArb } from '../../../generators/conform';
import { sequenceProblem, type ConformCase } from '../../../checker/conform/ops';
import { parseConformTrace } from '../../../checker/conform/trace';
import { parseTrace, TRACE_FORMAT_VERSION } from '../../../checker/trace';
import { UsageError } from '../../../model/errors';
import { ROOT, runCli } from '../../helpers/cli';
import { mutantKernel, pinnedMutants } from '../../helpers/conform-mutants';
import { oneLineError } from '../../helpers/errors';

const message = oneLineError;

describe('sequenceProblem: the generator\'s rule, on the operations', () => {
  it('accepts every generated sequence (1,000 of them, every order)', () => {
    fc.assert(fc.property(conformCaseArb(), (c) => sequenceProblem(c) === null), { seed: 11, numRuns: 1000 });
  });

  it('names the first operation that is not valid on a fresh folio', () => {
    const c = (ops: ConformCase['ops']): ConformCase => ({ order: 2, rmapIds: [1, 2], ops });
    expect(sequenceProblem(c([{ op: 'unmap', mm: 0, page: 0, nr: 1, path: 'auto' }]))).toBe('operation 1 (unmap 1 PTE of MM0, page 0): MM0 does not map these pages');
    expect(sequenceProblem(c([{ op: 'map', mm: 0, page: 0, nr: 2, path: 'auto' }, { op: 'cow-reuse', mm: 1, page: 0 }]))).toBe('operation 2 (COW reuse check of MM1, page 0): MM1 does not map page 0');
    expect(sequenceProblem(c([{ op: 'map', mm: 0, page: 3, nr: 2, path: 'auto' }]))).toBe('operation 1 (map 2 PTEs of MM0, pages 3..4): pages outside the folio of 4 pages');
    expect(sequenceProblem(c([{ op: 'unpin' }]))).toBe('operation 1 (drop the pin): no pin to drop');
    expect(sequenceProblem(c([{ op: 'map-pmd', mm: 0, path: 'auto' }, { op: 'remap-pmd', mm: 0, path: 'auto' }, { op: 'unmap', mm: 0, page: 0, nr: 4, path: 'shared' }]))).toBeNull();
    expect(sequenceProblem(c([{ op: 'mapped-shared', mm: 1 }]))).toBe('operation 1 (folio_mapped_shared(folio, MM1)): MM1 does not map the folio');
  });
});

describe('conformance traces as input', () => {
  const m = pinnedMutants()[1];

  it('one-line errors: an invalid sequence, misnumbered steps, another kind; parseTrace points to parseConformTrace', async () => {
    const k = mutantKernel(m.id);
    const out = mkdtempSync(join(tmpdir(), 'rmapcheck-conform-trace-'));
    const r = JSON.parse((await runCli('conform', '--impl', k.impl, '-I', k.include, '--seed', String(m.seed), '--out', out, '--json')).out);
    const text = readFileSync(r.trace, 'utf8');
    const t = JSON.parse(text);
    expect(parseConformTrace(text, 'good.json').case).toEqual(t.case);

    const unmapFirst = { ...t, case: { ...t.case, ops: [{ op: 'unmap', mm: 0, page: 0, nr: 1, path: 'auto' }, ...t.case.ops] } };
    expect(message(() => parseConformTrace(JSON.stringify(unmapFirst), 'x.json'))).toBe('x.json: case.ops is not a valid sequence: operation 1 (unmap 1 PTE of MM0, page 0): MM0 does not map these pages');
    const renumbered = { ...t, steps: t.steps.map((s: { step: number }, i: number) => ({ ...s, step: i + 2 })) };
    expect(message(() => parseConformTrace(JSON.stringify(renumbered), 'x.json'))).toBe('x.json: step 1 is numbered 2 (steps are numbered 1, 2, 3, ...)');
    const noAdapterHash = { ...t, adapter: { ...t.adapter, hash: 'x' } };
    expect(message(() => parseConformTrace(JSON.stringify(noAdapterHash), 'x.json'))).toMatch(/^x\.json: trace does not match the schema at \/adapter\/hash: /);
    expect(message(() => parseTrace(text, 'x.json'))).toBe('x.json: a conformance trace of C code (rmapcheck conform): parseConformTrace reads it, not parseTrace');
    expect(message(() => parseConformTrace(JSON.stringify({ ...t, kind: 'model' }), 'x.json'))).toBe('x.json: not a conformance trace (kind "model")');
    expect(TRACE_FORMAT_VERSION).toBe(3);
  });
});

describe('conform --json: the fields of docs/json.md, in its order', () => {
  it('ok and violation runs have exactly the documented top-level fields, each of its type', async () => {
    const doc = readFileSync(join(ROOT, 'docs', 'json.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## `rmapcheck conform --json`'));
    const rows = section
      .slice(0, section.indexOf('\n## ', 5))
      .split('\n')
      .flatMap((l) => {
        const r = /^\| `([^`]+)` \| ([^|]+) \|/.exec(l);
        return r ? [{ field: r[1], types: r[2].trim().split(' or ') }] : [];
      });
    const top = rows.filter((r) => !r.field.includes('.')).map((r) => r.field);
    expect(top.slice(0, 10)).toEqual(['impl', 'mode', 'verdict', 'property', 'runs', 'ops', 'opsPerSecond', 'firstDivergence', 'trace', 'traceLength']);
    const typeOk = (v: unknown, types: string[]) =>
      types.some((t) => (t === 'null' ? v === null : t === 'array' ? Array.isArray(v) : t === 'object' ? typeof v === 'object' && v !== null && !Array.isArray(v) : t === 'integer' ? Number.isInteger(v) : typeof v === t));
    const k = mutantKernel(pinnedMutants()[0].id);
    const out = mkdtempSync(join(tmpdir(), 'rmapcheck-conform-doc-'));
    for (const args of [['--runs', '10'], ['--impl', k.impl, '-I', k.include]]) {
      const j = JSON.parse((await runCli('conform', ...args, '--seed', '1', '--out', out, '--json')).out);
      expect(Object.keys(j)).toEqual(top);
      for (const r of rows) {
        const [a, b] = r.field.split('.');
        const v = b === undefined ? j[a] : j[a] === null ? undefined : j[a][b];
        if (v !== undefined) expect(typeOk(v, r.types), `${r.field} = ${JSON.stringify(v)} is ${r.types.join(' or ')}`).toBe(true);
      }
    }
  });
});
