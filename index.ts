/**
 * rmapcheck's typed library API (`require('rmapcheck')`): everything the CLI does, as functions;
 * the CLI (`cli/`) only wraps these. Each name means one thing across the whole API: where two
 * parts use one word (a bug, a strategy, a verdict, a preset), the name says which
 * (`SeqcountBug` / `RmapBug`, `CheckStrategy` / `ExploreStrategy`, `CheckVerdict` /
 * `ReaderVerdict`, `SCHEME_PRESETS` / `SCENARIO_NAMES`). The README lists every name.
 */

// --- sub-ID math, schemes, the folio and its reader (BigInt reference) -------------------------
export { modulus, wrap, hexWord } from './model/word';
export { subId, maxSubId, subIdTable, subIdTableByGenerations, chunkOf, subIdVector } from './model/subid';
export {
  WIP_V1,
  PRESETS as SCHEME_PRESETS,
  findPreset as findSchemePreset,
  pagesOf,
  schemeForOrder,
  ordersOf,
  schemeProblems,
  orderOverlaps,
  schemeSetProblems,
  validateSchemeSet,
  schemeToJson,
} from './model/scheme';
export type { Scheme, SchemeSet } from './model/scheme';
export { parseSchemeFile, loadSchemeSet } from './model/scheme-file';
export { newFolio, subIdsOf, isValidRmapId, applyMappings, mapPages, readerDecision, oracle } from './model/folio';
export type { Mapping, FolioState, DecisionRule, ReaderVerdict } from './model/folio';

// --- prove: every order of a scheme decided, with certificates and counterexamples ------------
export { proveOrder, proveSchemeSet } from './proofs/prove';
export type { OrderProof } from './proofs/prove';
export type { ProofCounterexample } from './proofs/counterexample';
export { verifyCertificate } from './proofs/certificate';
export type { Certificate } from './proofs/certificate';
export { bruteForce } from './proofs/bruteforce';
export { checkClaims, minimalValues } from './proofs/claims';
export type { Claim } from './proofs/claims';

// --- the concurrent models: the registry, seqcount, rmap --------------------------------------
export type { Model, AnyModel, Property, Expectation, ActionInfo, ActionTag, Symmetry } from './model/core';
export type { ParamDescriptor, BugDescriptor } from './model/descriptor';
export { MODELS, findModel, buildModel, parseSets } from './model/registry';
export type { ModelEntry, BuildRequest } from './model/registry';
export { seqcountModel, seqcountParams, SEQCOUNT_DESCRIPTOR } from './model/seqcount/model';
export type { SeqcountParams, SeqState, SeqAction, Bug as SeqcountBug } from './model/seqcount/model';
export { VARIANTS as SEQCOUNT_VARIANTS } from './model/seqcount/layout';
export type { Variant as SeqcountVariant } from './model/seqcount/layout';
export { rmapModel, RmapModel, RMAP_DESCRIPTOR, BUGS as RMAP_BUGS, parseScenario, loadScenarioJson, SCENARIO_NAMES, SCENARIOS_BY_NAME } from './model/rmap';
export type { RmapState, RmapAction, Bug as RmapBug, BugInfo as RmapBugInfo, Scenario, ScenarioJson, OpJson } from './model/rmap';

// --- check: exhaustive search (BFS/DFS, safety, deadlock, liveness) ---------------------------
export { check, checkAsync, missedStateProbability, replayPath, DEADLOCK } from './checker/check';
export type { CheckOptions, CheckResult, ReductionReport, CheckVerdict, SearchOrder as CheckStrategy, Progress as CheckProgress } from './checker/check';

// --- explore: randomized executions (random walk, PCT, race insertion), shards ----------------
export { exploreSync, mergeReports } from './checker/random/run';
export { explore } from './checker/random/explore';
export type { RandomOptions as ExploreOptions, ExploreReport, ExploreProgress, Shard } from './checker/random/run';
export type { StrategyName as ExploreStrategy } from './checker/random/scheduler';
export { pctBound } from './checker/random/pct-bound';
export type { PctBound } from './checker/random/pct-bound';

// --- counterexamples: traces, replay, minimize -------------------------------------------------
export { TRACE_FORMAT, TRACE_FORMAT_VERSION, parseTrace, serializeTrace, traceHeader } from './checker/trace';
export type { Trace, ModelTrace, SubIdTrace, ModelTraceStep, SubIdTraceStep, TraceProperty } from './checker/trace';
export { buildModelTrace, replayModelTrace, modelOfTrace, pathOfTrace } from './checker/model-trace';
export type { ModelReplay } from './checker/model-trace';
export { buildSubIdTrace, replaySubIdTrace, SOUNDNESS_PROPERTY } from './checker/subid-trace';
export type { MappingStep, SubIdReplay, SubIdReplayRow } from './checker/subid-trace';
export { replayTraceFile } from './integrations/vitest-core';
export type { TraceFileReplay } from './integrations/vitest-core';
export { minimizeCounterexample, minimizeLasso } from './checker/minimize';
export type { MinimizeOptions, Minimized, MinimizedLasso } from './checker/minimize';

// --- conform: C code against the reference model (sequential differential mode) ----------------
export { runSequential } from './checker/conform/sequential';
export type { SequentialOptions, SequentialResult, SequentialProgress } from './checker/conform/sequential';
export { buildConformBinary, ownImplementation } from './checker/conform/build';
export type { BuildOptions as ConformBuildOptions, ConformBuild } from './checker/conform/build';
export { parseConformTrace, serializeConformTrace, buildConformTrace, replayConformTrace, CONFORM_TRACE_FORMAT_VERSION } from './checker/conform/trace';
export type { ConformTrace, ConformReplay } from './checker/conform/trace';
export { minimizeConformCase } from './checker/conform/minimize';
export type { ConformCase, ConformOp } from './checker/conform/ops';
export type { Divergence as ConformDivergence } from './checker/conform/compare';
// concurrent mode: threads of operations under the strategies' schedules
export { runConformConcurrent, buildConcurrentTrace, parseConcurrentTrace, replayConcurrentTrace, serializeConcurrentTrace } from './checker/conform/concurrent';
export type { ConcurrentOptions, ConcurrentResult, ConcurrentTrace } from './checker/conform/concurrent';
export type { ConcurrentCase } from './generators/conform-concurrent';

// --- mmid: MM owner tracking, the design Linux 6.15 merged (mm-owner.md) -----------------------
export { mmidModel, MmidModel, MMID_DESCRIPTOR, MMID_BUGS, MMID_VARIANTS, MMID_SCENARIOS, MMID_SCENARIO_NAMES, parseMmidScenario } from './model/mmid';
export type { MmidState, MmidAction, MmidBug, MmidVariant, MmidScenarioJson } from './model/mmid';
export { addStores, removeStores, applyStores, addMappings, removeMappings, newFolioTracking, maybeMappedShared, LIMITS_32, LIMITS_64 } from './model/mmid/tracking';
export type { MmOwnerState, TrackingStore, TrackingLimits } from './model/mmid/tracking';

// --- compare: both designs on the same workloads against one ground truth --------------------
export { toWorkload, parseWorkloadText } from './model/workload/workload';
export type { Workload, WorkloadOp } from './model/workload/workload';
export { workloadPreset, WORKLOAD_PRESET_NAMES } from './model/workload/presets';
export { randomWorkload } from './model/workload/generate';
export { runHistory } from './model/workload/history';
export { compareOne, runDesign, makeDesign } from './checker/compare/run';
export { compareWorkloads } from './checker/compare/compare';
export type { CompareOptions, Planned as PlannedWorkload, CompareProgress } from './checker/compare/compare';
export type { CompareResult, CompareWorkload, DesignCounts, DesignName, DisagreementKind } from './checker/compare/result';
export { parseCompareTrace, serializeCompareTrace, replayCompare, COMPARE_TRACE_FORMAT_VERSION } from './checker/compare/trace';
export type { CompareTrace, CompareReplay } from './checker/compare/trace';
export { renderCompareReport } from './viewer/compare-report';

// --- lkmm: litmus programs under the Linux kernel memory model; x86-TSO ----------------------
export { parseLitmus } from './lkmm/parse';
export { exportLitmus } from './lkmm/export';
export { checkLitmus } from './lkmm/check';
export type { LitmusResult, CheckOptions as LitmusCheckOptions } from './lkmm/check';
export type { LitmusProgram, Instr as LitmusInstr, Condition as LitmusCondition } from './lkmm/program';
export { litmusProgramsFor } from './lkmm/generate';
export { necessaryBarriers } from './lkmm/generate/barriers';
export { findTriangularRace } from './checker/triangular-race';
export type { TsoReport } from './checker/triangular-race';

// --- the rest ------------------------------------------------------------------------------------
export { Prng } from './model/prng';
export { UsageError } from './model/errors';
export { TOOL_VERSION } from './model/version';
