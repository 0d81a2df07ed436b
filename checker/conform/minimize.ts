/**
 * `minimize` of a conformance trace: delta debugging (Zeller's ddmin) of the operation list on
 * the C side, keeping a subsequence while it still diverges the same way (the same property and
 * field). Only valid sequences are tried (ops.ts sequenceProblem: nothing unmapped that is not
 * mapped, ...), so the result is a sequence the kernel could see. The result is 1-minimal:
 * removing any single operation loses the divergence.
 */
import type { Layout } from '../../model/seqcount/layout';
import { UsageError } from '../../model/errors';
import { checkCase, propertyOf, type Divergence, type StepRecord } from './compare';
import { sequenceProblem, type ConformCase } from './ops';
import type { ConformProcess } from './process';

export interface ConformMinimized {
  readonly case: ConformCase;
  readonly divergence: Divergence;
  /** The minimized sequence's recorded steps (C and reference state after each operation). */
  readonly steps: StepRecord[];
  /** Subsequences run on the C side. */
  readonly tried: number;
  /** Subsequences not run because they are not valid on a fresh folio. */
  readonly invalid: number;
}

/** Does `d` diverge as `like` does: the same property, at the same field? */
export function sameDivergence(d: Divergence | null, like: Divergence): boolean {
  return d !== null && propertyOf(d) === propertyOf(like) && d.field === like.field;
}

/**
 * Minimizes `c`, which diverges as `like` on `proc` (the caller has confirmed it), by ddmin over
 * its operations. `signal` stops it early with the smallest sequence found so far.
 */
export async function minimizeConformCase(
  proc: ConformProcess,
  layout: Layout,
  c: ConformCase,
  like: Divergence,
  signal: { readonly aborted: boolean } = { aborted: false },
): Promise<ConformMinimized> {
  let tried = 0;
  let invalid = 0;
  const reproduces = async (ops: ConformCase['ops']): Promise<boolean> => {
    const candidate = { ...c, ops };
    if (sequenceProblem(candidate) !== null) {
      invalid++;
      return false;
    }
    tried++;
    return sameDivergence((await checkCase(proc, layout, candidate)).divergence, like);
  };
  let ops = [...c.ops];
  let n = 2;
  while (ops.length >= 2 && !signal.aborted) {
    const size = Math.ceil(ops.length / n);
    let reduced = false;
    for (let start = 0; start < ops.length && !signal.aborted; start += size) {
      // the complement of one chunk: everything but ops[start, start + size)
      const complement = [...ops.slice(0, start), ...ops.slice(start + size)];
      if (await reproduces(complement)) {
        ops = complement;
        n = Math.max(n - 1, 2);
        reduced = true;
        break;
      }
    }
    if (reduced) continue;
    if (n >= ops.length) break;
    n = Math.min(2 * n, ops.length);
  }
  // a one-operation sequence may still shrink to none (a divergence at set-up or start)
  if (ops.length === 1 && !signal.aborted && (await reproduces([]))) ops = [];
  const final = await checkCase(proc, layout, { ...c, ops }, true);
  // the C code is not a function of the operations (uninitialized memory, state across set-ups)
  if (!sameDivergence(final.divergence, like)) throw new UsageError('the minimized sequence does not diverge again when it is re-run: the C code does not behave the same on the same operations');
  return { case: { ...c, ops }, divergence: final.divergence!, steps: final.steps ?? [], tried, invalid };
}
