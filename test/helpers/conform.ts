// Test helpers for `conform`: copies of rmapcheck's own C implementation with one edit (a
// mutant), kept at a stable place per edit so that the binary cache hits on reruns.
import { createHash } from 'crypto';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { buildConformBinary, conformRoot, type ConformBuild, type ConformMode } from '../../checker/conform/build';

export interface Edit {
  /** Path under conform/kernel/, e.g. mm/rmap_id.c. */
  readonly file: string;
  /** Text that occurs exactly once in the file. */
  readonly from: string;
  readonly to: string;
}

/** A copy of conform/kernel/ with the edits applied; throws if a `from` is not there exactly once. */
export function kernelCopy(edits: readonly Edit[]): string {
  const src = join(conformRoot(), 'kernel');
  const texts = new Map<string, string>();
  for (const e of edits) {
    const text = texts.get(e.file) ?? readFileSync(join(src, e.file), 'utf8');
    const n = text.split(e.from).length - 1;
    if (n !== 1) throw new Error(`edit of ${e.file}: the text occurs ${n} times, not once: ${e.from}`);
    texts.set(e.file, text.replace(e.from, e.to));
  }
  const key = createHash('sha256').update(JSON.stringify(edits)).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), 'rmapcheck-test-kernels', key);
  // copied afresh every time: the own implementation may have changed since the last run
  mkdirSync(dir, { recursive: true });
  cpSync(src, dir, { recursive: true });
  for (const [file, text] of texts) writeFileSync(join(dir, file), text);
  return dir;
}

/** Builds the adapter of a kernel directory (the own one when `dir` is omitted). */
export function buildKernel(dir: string | null, defines: readonly string[] = [], mode: ConformMode = 'sequential'): ConformBuild {
  const d = dir ?? join(conformRoot(), 'kernel');
  return buildConformBinary({ impl: [join(d, 'adapter.c')], includeDirs: [join(d, 'include')], defines, mode });
}
