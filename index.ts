/**
 * rmapcheck's typed library API. The CLI (`cli/`) only wraps these.
 */
export * from './model/word';
export * from './model/subid';
export * from './model/scheme';
export { parseSchemeFile, loadSchemeSet } from './model/scheme-file';
export * from './model/folio';
export * from './model/core';
export { Prng } from './model/prng';
export { UsageError } from './model/errors';
export { TOOL_VERSION } from './model/version';
export { proveOrder, proveSchemeSet } from './proofs/prove';
export type { OrderProof, ProofCounterexample } from './proofs/prove';
export { verifyCertificate } from './proofs/certificate';
export { bruteForce } from './proofs/bruteforce';
export { checkClaims, minimalValues } from './proofs/claims';
export * from './checker/trace';
export { buildSubIdTrace, replaySubIdTrace, SOUNDNESS_PROPERTY } from './checker/subid-trace';
