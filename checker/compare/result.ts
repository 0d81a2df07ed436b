/**
 * The result of `rmapcheck compare`: both designs (rmap-ID sub-ID math and MM owner tracking)
 * driven through the same sequential histories against one ground truth, counted per workload
 * and design. This is the `--json` output (docs/json.md, section `compare`) and the input of the
 * HTML report (viewer/compare-report.ts `renderCompareReport`). Fields come in a fixed order; new
 * fields are added after the existing ones.
 */

/** The two designs, in the order every workload lists them. */
export type DesignName = 'rmap-id' | 'mm-id';

/** Where a workload came from. */
export type WorkloadSource = 'preset' | 'file' | 'random';

/** A workload's parameters, as the charts need them. */
export interface WorkloadParams {
  /** MMs that ever map the folio during the history (forked children and exited MMs included). */
  mms: number;
  /** Operations of the history (its length; a `read` by every MM counts once). */
  operations: number;
  /** P, pages of the folio (2^order). */
  pages: number;
  /** The folio order (2..9). */
  order: number;
  /** `anon` (COW faults possible) or `file` (a page-cache folio; several VMAs of one MM possible). */
  folio: 'anon' | 'file';
  /** `preset`, `file` (a workload file given by path) or `random` (drawn from the seed). */
  source: WorkloadSource;
  /** Most MMs that map the folio at one time. */
  maxConcurrentMms: number;
  /** Deepest fork chain (0: no fork). */
  forkDepth: number;
  /** Random workloads: the index of this history in the family (0-based); null otherwise. */
  run: number | null;
  /** Random workloads: the seed this history was drawn from (decimal string); null otherwise. */
  runSeed: string | null;
}

/** What went wrong at one call, as a trace records it. */
export type DisagreementKind =
  /** a reader answered "shared" while only the asking MM maps the folio (costs performance only) */
  | 'falseShared'
  /** a reader answered "exclusive" while another MM maps the folio (the dangerous direction) */
  | 'falseExclusive'
  /** COW copied where a perfect oracle (sole owner, references == mappings) reuses */
  | 'lostReuse'
  /** COW reused where the oracle copies (another MM maps it, or a reference not droppable) */
  | 'wrongReuse'
  /** a sanity check (`VM_WARN_ON`) of the COW reuse path fired */
  | 'warning';

/** One design's counts on one workload. */
export interface DesignCounts {
  /** `rmap-id` or `mm-id`. */
  design: DesignName;
  /** Reader calls (`read` operations: rmap-ID `folio_mapped_shared(folio, mm)`, mm-id `folio_maybe_mapped_shared`). */
  readerCalls: number;
  /** Reader answers "shared" while only the asking MM maps the folio. */
  falseShared: number;
  /** Reader answers "exclusive" while another MM maps the folio. */
  falseExclusive: number;
  /** COW write faults decided (reuse or copy). */
  cowDecisions: number;
  /** COW copies where the oracle reuses: the asking MM owns every mapping and every reference
   *  beyond the mappings is one the fault can drop (refcount == mapcount after it). */
  lostReuse: number;
  /** Paths of the trace files of this design's disagreements on this workload (one file per kind
   *  of disagreement, listing every call of that kind); empty when none. */
  traces: string[];
  /** COW reuses granted where the oracle copies (unsafe). */
  wrongReuse: number;
  /** Sanity-check warnings (`VM_WARN_ON`) that fired (mm-id COW steps 3, 7, 10; 0 for rmap-id). */
  warnings: number;
  /** COW faults that reused the page. */
  cowReuses: number;
  /** `falseShared` / `readerCalls` (0 when there were no reader calls). */
  falseSharedRate: number;
}

/** One workload: its parameters and both designs' counts (`rmap-id` first, then `mm-id`). */
export interface CompareWorkload {
  /** Preset name, file path, or `random-<family>-<run>`. */
  name: string;
  /** Its parameters (`mms`, `operations`, `pages`, ...). */
  params: WorkloadParams;
  /** `[rmap-id, mm-id]`. */
  designs: DesignCounts[];
  /** Reader calls whose true answer was "shared" (another MM maps the folio). */
  trulyShared: number;
  /** COW faults the oracle reused. */
  oracleReuses: number;
}

/** The whole `compare` result. */
export interface CompareResult {
  /** The seed of the randomized families (decimal string). */
  seed: string;
  /** Every workload run, presets and files first, then the random histories. */
  workloads: CompareWorkload[];
  /** `ok` (no false "exclusive", no unsafe reuse, no warning), `violation`, or `incomplete`
   *  (interrupted before every workload ran; the workloads that finished are listed). */
  verdict: 'ok' | 'violation' | 'incomplete';
  /** The rmap-ID scheme set: `wip-v1` or the scheme file's path. */
  scheme: string;
  /** `--order`, or null when every workload keeps its own order. */
  order: number | null;
  /** Random histories drawn (`--runs`; 0 when only named workloads ran). */
  runs: number;
  /** Totals over every workload, per design (`traces` concatenated). */
  totals: DesignCounts[];
  /** Wall-clock seconds of the comparison (without writing traces). */
  seconds: number;
  /** Reader calls per second per design (`totals[i].readerCalls` / time spent in that design). */
  readerCallsPerSecond: { 'rmap-id': number; 'mm-id': number };
  /** The command line that reproduces this result. */
  repeat: string;
}
