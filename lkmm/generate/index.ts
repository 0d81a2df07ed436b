/**
 * The litmus programs of a protocol model (issue #13), by model name, variant and bug: what
 * `rmapcheck litmus --export` writes and what the audit's LKMM section judges.
 */
import { UsageError } from '../../model/errors';
import { VARIANTS, type Variant } from '../../model/seqcount/layout';
import type { Bug } from '../../model/seqcount/model';
import type { LitmusProgram } from '../program';
import { rmapPrograms } from './rmap';
import { expressibleBugs, seqcountPrograms } from './seqcount';

/** The models that have litmus generators. */
export const LITMUS_MODELS = ['seqcount', 'rmap'] as const;

function variantOf(model: string, variant: string): Variant {
  if (!(VARIANTS as readonly string[]).includes(variant)) throw new UsageError(`${model}: unknown variant '${variant}' (known: ${VARIANTS.join(', ')})`);
  return variant as Variant;
}

/**
 * The programs for `model` (`seqcount` or `rmap`): one `variant` or all, the correct protocol
 * or, with `bug`, its broken variant (seqcount only; without `variant`, every variant the bug
 * applies to). UsageError (one line) for an unknown model, variant or bug, or a bug with no
 * litmus form.
 */
export function litmusProgramsFor(req: { readonly model: string; readonly variant?: string; readonly bug?: string }): LitmusProgram[] {
  const variants: Variant[] = req.variant === undefined ? [...VARIANTS] : [variantOf(req.model, req.variant)];
  if (req.model === 'seqcount') {
    if (req.bug === undefined || req.bug === 'none') return variants.flatMap((v) => seqcountPrograms(v));
    const bug = req.bug as Bug;
    if (req.variant !== undefined) return seqcountPrograms(variants[0], bug);
    // every variant the bug applies to; seqcountPrograms names the reason when there is none
    const applicable = variants.filter((v) => expressibleBugs(v).includes(bug));
    return applicable.length === 0 ? seqcountPrograms('v1', bug) : applicable.flatMap((v) => seqcountPrograms(v, bug));
  }
  if (req.model === 'rmap') {
    if (req.bug !== undefined && req.bug !== 'none')
      throw new UsageError(`rmap: litmus programs exist for the correct protocol only (the seqcount's broken variants: --model seqcount --bug ${req.bug})`);
    return variants.flatMap((v) => rmapPrograms(v));
  }
  throw new UsageError(`no litmus generator for model '${req.model}' (known: ${LITMUS_MODELS.join(', ')})`);
}
