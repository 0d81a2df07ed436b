/**
 * Which engine runs a model: the fast engine its protocol registered, when one applies to the
 * model as built (same protocol, parameters it supports), else `genericEngine` (with the
 * protocol's own state fingerprint, if it registered one). Every registered engine is checked
 * against its model by test/engine/conformance.test.ts.
 */
import type { AnyModel } from '../model/core';
import type { Engine } from './core';
import { genericEngine, type StateFingerprint } from './generic';
import { seqcountEngine } from './seqcount/engine';
import { rmapFingerprint } from './rmap/fingerprint';

/** A fast engine for models of one protocol: null when it does not cover this model. */
export type EngineFactory = (model: AnyModel) => Engine | null;

const FAST: Record<string, EngineFactory> = { seqcount: seqcountEngine };
const FINGERPRINTS: Record<string, (model: AnyModel) => StateFingerprint | null> = {};
FINGERPRINTS.rmap = rmapFingerprint;

/** `generic`: always the generic engine (for cross-checks and to time the difference). */
export type EngineChoice = 'auto' | 'generic';

export function engineFor(model: AnyModel, choice: EngineChoice = 'auto'): Engine {
  if (choice === 'auto') {
    const fast = FAST[model.name]?.(model) ?? null;
    if (fast !== null) return fast;
  }
  return genericEngine(model, FINGERPRINTS[model.name]?.(model) ?? null);
}
