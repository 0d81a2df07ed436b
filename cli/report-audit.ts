/**
 * `audit --report DIR`: the audit as `report.md` and a self-contained `report.html`: every claim
 * of the series (spec/rmap-ops.md and seqcount.md "claims to check", the numeric claims of
 * subid-math.md) with its status (proved / refuted / verified up to bounds / not checked yet), the
 * method, the figures, the configurations that checked it, and links to each counterexample's
 * trace and its viewer page (written next to the trace as `<trace>.html`).
 *
 * Built from `runAudit(...).json` only: nothing is re-run (models are rebuilt, not explored, to
 * list the properties each configuration checks).
 *
 * The report holds results only, no timings (seconds, states/s, executions within a time budget:
 * those are in the audit's own output and its JSON), so a rerun that finds the same writes the
 * same bytes, and `audit --report DIR` twice needs no --force (files are never replaced by other
 * content without it).
 */
import { statSync } from 'fs';
import { join, relative } from 'path';
import { UsageError } from '../model/errors';
import { findModel } from '../model/registry';
import { AUDIT_BUG_RUNS, type AuditRow, type ConformRow, type ExploreRow } from './audit';
import { variantOf } from '../checker/trace-name';
import { defaultViewPath as viewerPath } from './view';
import { ProveReport } from './report-prove';
import { loadTrace } from './replay';
import { isConformanceTraceFile, loadConformTrace } from './conform-trace';
import { checkOutDir, writeAllOrNone } from '../checker/files';
import { renderTraceHtml, escapeHtml } from '../viewer/html';
import type { LkmmAuditJson, LkmmProgramRow } from './audit-lkmm';

/** The LKMM table's columns and one program's cells (both renderings). */
const LKMM_HEAD = ['program', 'bug', 'asks', 'verdict', 'safe', 'as expected', 'candidates', 'allowed', 'necessary barriers'];
function lkmmCells(p: LkmmProgramRow): string[] {
  const necessary = p.barriers.filter((b) => b.necessary).map((b) => b.site);
  return [p.name, p.bug ?? '-', p.question, `${p.verdict}${p.dataRace ? ' (data race)' : ''}`, p.safe ? 'yes' : 'no', p.asExpected ? 'yes' : 'NO', String(p.candidates), String(p.allowed), p.barriers.length ? `${necessary.length} of ${p.barriers.length}${necessary.length ? ': ' + necessary.join('; ') : ''}` : '-'];
}
const LKMM_INTRO = "The seqcount's litmus programs (barriers.md primitives, spins as their exit iteration) judged by rmapcheck's own LKMM checker; `rmapcheck litmus --export` writes them for herd7. A correct variant's program that is not safe is a finding (a data race, or an ordering that LKMM does not guarantee).";

export interface AuditJson {
  prove: ProveReport;
  models: AuditRow[];
  /** The randomized pass at real size (absent or empty when skipped). */
  explore?: ExploreRow[];
  /** The explore pass's time budget per correct variant (its rows' execution counts depend on the machine). */
  exploreSeconds?: number;
  /** The conformance of C code (absent in audits of rmapcheck before it). */
  conform?: ConformRow[];
  /** The LKMM section (absent in audits before it; null when the audit was interrupted first). */
  lkmm?: LkmmAuditJson | null;
  seconds: number;
  interrupted: boolean;
}

/** A conformance row's C code: the adapter's name, or the files when it did not run. */
function conformName(r: ConformRow): string {
  return r.adapter ?? r.impl.map((f) => f.split(/[\\/]/).pop()).join(', ');
}

/** A conformance row's first divergence in words. */
function divergenceText(r: ConformRow): string {
  return r.firstDivergence ? `${r.firstDivergence.field}: expected ${r.firstDivergence.expected}, C has ${r.firstDivergence.actual}` : r.skipped ? `skipped: ${r.skipped}` : '-';
}

export type ClaimStatus = 'proved' | 'refuted' | 'verified up to bounds' | 'not checked yet';

/** One claim of the series and what checks it (data; the status is computed from the audit). */
interface ClaimSpec {
  id: string;
  source: string;
  text: string;
  /** Property names that state the claim (rows whose model has one of them check it). */
  properties?: RegExp;
  /** Only configurations of these scenarios / seqcount bugs (races). */
  scenarios?: string[];
  /** The claim is that a broken design fails: these broken variants must give counterexamples. */
  witnesses?: string[];
  /** Also decided by `prove` (the sub-ID math, every order of wip-v1). */
  subid?: boolean;
  /** Why it is not checked. */
  notChecked?: string;
  /** The statement is that the race happens: a violation in a correct configuration proves it. */
  occurs?: boolean;
}

/** The claims of /work/shared/spec (rmap-ops.md, seqcount.md), in their order. */
export const SERIES_CLAIMS: readonly ClaimSpec[] = [
  { id: 'I1', source: 'rmap-ops.md', text: 'at every quiet moment, val_j == sum over current mappings of s_j(mm) (mod 2^64)', properties: /^I1$/ },
  { id: 'I2', source: 'rmap-ops.md', text: 'mapcount 0 implies every value is 0', properties: /^I2$/ },
  { id: 'I3', source: 'rmap-ops.md', text: "mapcount 1 implies the values are the mapping MM's sub-IDs", properties: /^I3$/ },
  { id: 'I4', source: 'rmap-ops.md', text: 'soundness: with mapcount <= P, a match for mm means no other MM maps the folio', properties: /^I4$/, subid: true },
  { id: 'I5', source: 'rmap-ops.md', text: 'completeness: if only mm maps the folio and mapcount <= P, the values match', properties: /^I5$/ },
  { id: 'I6', source: 'rmap-ops.md', text: 'when no writer is active the writer bits are 0, and each finished writer adds one step', properties: /^(I6|writer-bits)$/ },
  { id: 'I7', source: 'rmap-ops.md', text: "at most one exclusive writer; no shared writer's section overlaps it; none of its plain updates is lost", properties: /^(I7|exclusive-alone|no-lost-update)$/ },
  { id: 'I8', source: 'rmap-ops.md', text: 'refcount >= mapcount at all times', properties: /^I8$/ },
  { id: 'I9', source: 'rmap-ops.md', text: 'refcount rises before mapcount on map and falls after it on unmap', properties: /^I9$/ },
  { id: 'I10', source: 'rmap-ops.md', text: 'COW reuse implies one seqcount-validated instant with refcount == mapcount <= P, no entire mapping, values match, no writer active: no other MM maps the page', properties: /^I10$/ },
  { id: 'I11', source: 'rmap-ops.md', text: 'mapcount reaches P + 1 only inside the PMD remap, and readers then answer shared', properties: /^(I11|linearizable)$/, scenarios: ['remap-pmd', 'remap-wrap'] },
  { id: 'lin', source: 'rmap-ops.md', text: "a reader's answer is right for the mappings of some single instant inside its read window", properties: /^(linearizable|no-false-exclusive)$/ },
  { id: 'race-overlap', source: 'rmap-ops.md', text: 'race: a reader against writers of other MMs overlapping either end of its read', properties: /^(linearizable|no-false-exclusive)$/, scenarios: ['mapped-shared-vs-map', 'torn-values'] },
  { id: 'race-torn', source: 'rmap-ops.md', text: "race: a reader against an exclusive writer's torn plain stores", properties: /^(linearizable|no-false-exclusive)$/, scenarios: ['exclusive-race', 'new-anon'] },
  { id: 'race-exclusive', source: 'rmap-ops.md', text: 'race: two writers racing to become exclusive', properties: /^(I7|exclusive-alone)$/, scenarios: ['exclusive-race', 'seqcount'] },
  { id: 'race-spin', source: 'rmap-ops.md', text: 'race: a shared writer spinning while the exclusive writer finishes', properties: /^(I7|exclusive-alone|shared-waits-for-exclusive)$/, scenarios: ['exclusive-race', 'seqcount'] },
  { id: 'race-swapcache', source: 'rmap-ops.md', text: 'race: COW against the folio entering the swap cache (extra references)', properties: /^I10$/, scenarios: ['cow-vs-swapcache'] },
  { id: 'race-cow', source: 'rmap-ops.md', text: 'race: COW against a PMD remap or an unmap in another MM', properties: /^I10$/, scenarios: ['cow-vs-unmap'] },
  { id: 'race-livelock', source: 'rmap-ops.md', text: 'race: a reader that never finishes because writers keep coming (livelock)', properties: /^(finishes:R\d+|reader-finishes-R\d+)$/, scenarios: ['livelock'], occurs: true },
  { id: 'race-aba', source: 'rmap-ops.md', text: 'race: the sequence number wrapping around while a reader is descheduled (ABA)', properties: /^snapshot$/, witnesses: ['aba'] },
  { id: 'S1', source: 'seqcount.md', text: 'a reader that finishes without retry saw the protected words as of one instant', properties: /^(snapshot|linearizable)$/ },
  { id: 'S2', source: 'seqcount.md', text: 'shared writers never wait for more than one exclusive writer; writers never starve', properties: /^finishes:W\d+$/ },
  { id: 'S3', source: 'seqcount.md', text: "an exclusive writer's plain updates are never lost (no other writer updates the words while the exclusive bit is set)", properties: /^(no-lost-update|exclusive-alone|I7|I1)$/ },
  { id: 'S4', source: 'seqcount.md', text: 'without the seqcount a reader could conclude "shared" or "exclusive" wrongly, even when re-reading (cover letter, section 10)', witnesses: ['no-seqcount', 'reread'] },
  { id: 'S5', source: 'seqcount.md', text: 'the barriers named are sufficient; on x86-64 the atomic RMW already implies a full barrier', notChecked: 'the models are sequentially consistent: memory ordering and barriers are not modelled' },
  { id: 'S6', source: 'seqcount.md', text: 'the writer fields cannot overflow: at most one writer per CPU, 65,536 CPUs at most', notChecked: 'the models have 2-3 writers; the writer-bit width for 65,536 CPUs is not checked (writer-bits / I6 only at these bounds)' },
];

export interface ClaimResult {
  id: string;
  source: string;
  claim: string;
  status: ClaimStatus;
  method: string;
  evidence: string[];
  /** What checked it, by what each showed: every count in `evidence` is the length of one list. */
  checkedBy: CheckedBy;
  /** Every configuration of `checkedBy`, in its order (`model variant [bug=B] scenario`). */
  configurations: string[];
  traces: string[];
}

export interface CheckedBy {
  /** Correct configurations in which it holds in every reachable state (every path, for a
   *  liveness property): "holds in every reachable state of N" and "never happens in N" count these. */
  verified: string[];
  /** Correct configurations whose exhaustive search violates it. */
  refuted: string[];
  /** Correct configurations the randomized pass at real size found violating it. */
  refutedAtRealSize: string[];
  /** Correct configurations that check it but stopped before covering it (a bound, an interrupt,
   *  or a liveness property violated first, which ends the liveness passes). */
  unfinished: string[];
  /** Broken variants that violate it (the check has teeth) or, for a claim that a broken design
   *  fails, witness it. */
  broken: string[];
  /** The `prove` run that decided it (the sub-ID math). */
  decidedBy: string[];
}

/** The "checked by" cell's groups, in order, with their labels. */
const CHECKED_BY: readonly (readonly [keyof CheckedBy, string])[] = [
  ['verified', 'verified'],
  ['refuted', 'refuted'],
  ['refutedAtRealSize', 'refuted at real size'],
  ['unfinished', 'not finished'],
  ['broken', 'broken variants'],
  ['decidedBy', 'decided by'],
];

/** `label (N): a, b; label (M): c`, each group with its count beside its list ('-' for none). */
export function checkedByText(c: Pick<ClaimResult, 'checkedBy'>): string {
  return CHECKED_BY.filter(([k]) => c.checkedBy[k].length > 0).map(([k, label]) => `${label} (${c.checkedBy[k].length}): ${c.checkedBy[k].join(', ')}`).join('; ') || '-';
}

function claimOf(base: { id: string; source: string; claim: string }, status: ClaimStatus, method: string, evidence: string[], groups: Partial<CheckedBy>, traces: string[]): ClaimResult {
  const checkedBy: CheckedBy = { verified: [], refuted: [], refutedAtRealSize: [], unfinished: [], broken: [], decidedBy: [], ...groups };
  return { ...base, status, method, evidence, checkedBy, configurations: CHECKED_BY.flatMap(([k]) => checkedBy[k]), traces };
}

interface PropertyInfo {
  name: string;
  expectation: 'always' | 'sometimes' | 'eventually';
}

const propsCache = new Map<string, PropertyInfo[]>();
function propertiesOf(row: AuditRow): PropertyInfo[] {
  const key = JSON.stringify([row.config.model, row.params]);
  let props = propsCache.get(key);
  if (!props) {
    props = findModel(row.config.model).build(row.params).properties.map((p) => ({ name: p.name, expectation: p.expectation }));
    propsCache.set(key, props);
  }
  return props;
}

/**
 * Whether row `r`'s check covered every one of `props` to the end: an `ok` does; an `always`
 * violation stops the safety pass; a liveness violation comes after a complete safety pass but
 * ends the liveness passes; a `sometimes` never reached comes after both passes completed.
 */
function coversAll(r: AuditRow, props: readonly PropertyInfo[]): boolean {
  if (r.verdict === 'ok') return true;
  if (r.verdict !== 'violation' || r.property === null) return false;
  const violated = propertiesOf(r).find((p) => p.name === r.property)?.expectation;
  if (violated === 'sometimes') return true;
  if (violated === 'eventually') return props.every((p) => p.expectation !== 'eventually');
  return false;
}

/** `model variant [bug] scenario`, e.g. `rmap v1 bug=no-retry torn-values`. */
export function configName(r: Pick<AuditRow, 'config' | 'params'>): string {
  const scenario = r.config.scenario ?? (r.config.model !== 'seqcount' ? String(r.params.scenario) : null);
  return [r.config.model, variantOf(r.params), r.config.bug ? `bug=${r.config.bug}` : null, scenario].filter(Boolean).join(' ');
}

/** The models of the rmap-ID series, whose rows the series' claims are judged on. */
const SERIES_MODELS: readonly string[] = ['seqcount', 'rmap'];

function scenarioOf(r: AuditRow): string {
  return r.config.model === 'rmap' ? String(r.params.scenario) : 'seqcount';
}

/** Every claim with its status, computed from the audit's data. */
export function claimResults(a: AuditJson): ClaimResult[] {
  const out: ClaimResult[] = [];
  // the series' claims are about the rmap-ID design: the mmid model (the design Linux merged)
  // has its own properties and is not evidence for or against them
  const series = (r: AuditRow | ExploreRow) => SERIES_MODELS.includes(r.config.model);
  const models = a.models.filter(series);
  const explored = (a.explore ?? []).filter(series);
  for (const c of SERIES_CLAIMS) {
    const base = { id: c.id, source: c.source, claim: c.text };
    if (c.notChecked) {
      out.push(claimOf(base, 'not checked yet', '-', [c.notChecked], {}, []));
      continue;
    }
    const inScope = (r: AuditRow) => !c.scenarios || c.scenarios.includes(scenarioOf(r));
    const claimProps = (r: AuditRow) => (c.properties ? propertiesOf(r).filter((p) => c.properties!.test(p.name)) : []);
    const checks = (r: AuditRow) => inScope(r) && claimProps(r).length > 0;
    const correct = models.filter((r) => r.config.bug === null && checks(r));
    const refuting = correct.filter((r) => r.verdict === 'violation' && r.property !== null && c.properties!.test(r.property));
    // the lists below are the ones the evidence counts, and the ones the report lists
    const verified = correct.filter((r) => !refuting.includes(r) && coversAll(r, claimProps(r)));
    const unfinished = correct.filter((r) => !refuting.includes(r) && !verified.includes(r));
    // a correct variant's violation found at real size by the randomized pass counts as well
    const exploreRefuting = explored.filter((r) => r.config.bug === null && r.verdict === 'violation' && r.property !== null && !!c.properties && c.properties.test(r.property));
    const teeth = models.filter((r) => r.config.bug !== null && (checks(r) || c.witnesses?.includes(r.config.bug)) && r.verdict === 'violation' && r.property !== null && (!c.properties || c.properties.test(r.property)) && (!c.witnesses || c.witnesses.includes(r.config.bug!)));
    const evidence: string[] = [];
    const traces: string[] = [];
    let status: ClaimStatus;
    let method = 'exhaustive BFS of every interleaving at the default bounds';
    if (c.witnesses) {
      const found = teeth.filter((r) => c.witnesses!.includes(r.config.bug!));
      status = found.length ? 'proved' : 'not checked yet';
      method = 'exhaustive BFS of the broken variants: a counterexample is the proof';
      for (const r of found) {
        evidence.push(`${configName(r)}: ${r.property} violated in ${r.traceLength} steps (${r.states.toLocaleString('en-US')} states)`);
        if (r.trace) traces.push(r.trace);
      }
    } else if (refuting.length || exploreRefuting.length) {
      status = c.occurs ? 'proved' : 'refuted';
      if (c.occurs) method = 'exhaustive BFS and lasso search: the lasso (a loop that repeats forever) shows it happens';
      for (const r of refuting) {
        evidence.push(`${configName(r)}: ${r.property} violated in ${r.traceLength} steps (${r.states.toLocaleString('en-US')} states, depth ${r.maxDepth})`);
        if (r.trace) traces.push(r.trace);
      }
      for (const r of exploreRefuting) {
        evidence.push(`${configName(r)}, ${r.strategy} exploration at real size: ${r.property} violated (${r.minimizedTraceLength ?? '?'} steps after minimization)`);
        if (r.trace) traces.push(r.trace);
      }
    } else if (verified.length && c.occurs) {
      // the claim is that it happens: no configuration showing it refutes the claim (up to bounds)
      status = 'refuted';
      method = 'exhaustive BFS and lasso search';
      evidence.push(`never happens in ${verified.length} configuration(s) that check it`);
    } else if (verified.length) {
      status = 'verified up to bounds';
      const states = verified.reduce((s, r) => s + r.states, 0);
      evidence.push(`holds in every reachable state of ${verified.length} configuration(s), ${states.toLocaleString('en-US')} states in all, depth up to ${Math.max(...verified.map((r) => r.maxDepth))}`);
    } else {
      status = 'not checked yet';
      evidence.push('no configuration of the audit checks it');
    }
    if (unfinished.length)
      evidence.push(`${unfinished.length} configuration(s) stopped before covering it (a bound, an interrupt or a liveness violation first)`);
    for (const r of teeth.filter((t) => !c.witnesses)) {
      evidence.push(`the check has teeth: broken ${configName(r)} violates ${r.property} in ${r.traceLength} steps`);
      if (r.trace) traces.push(r.trace);
    }
    if (c.subid) {
      const refuted = a.prove.orders.filter((o) => o.verdict === 'refuted');
      const proved = a.prove.orders.filter((o) => o.verdict === 'proved');
      evidence.unshift(
        `sub-ID math (prove, scheme ${a.prove.scheme}): proved for orders ${proved.map((o) => o.order).join(', ') || 'none'}` +
          (refuted.length ? `; refuted for orders ${refuted.map((o) => o.order).join(', ')}` : ''),
      );
      for (const o of refuted) if (o.counterexample?.trace) traces.push(o.counterexample.trace);
      method = `proof or counterexample per order (${[...new Set(a.prove.orders.map((o) => o.method))].join(', ')}); and ${method}`;
      if (refuted.length) status = 'refuted';
    }
    const groups: Partial<CheckedBy> = c.witnesses
      ? { broken: teeth.map(configName) }
      : {
          verified: verified.map(configName),
          refuted: refuting.map(configName),
          refutedAtRealSize: exploreRefuting.map(configName),
          unfinished: unfinished.map(configName),
          broken: teeth.map(configName),
        };
    if (c.subid) groups.decidedBy = [`prove --scheme ${a.prove.scheme}`];
    out.push(claimOf(base, status, method, evidence, groups, traces));
  }
  // The numeric claims of subid-math.md, decided by `prove`.
  for (const [i, c] of a.prove.claims.entries())
    out.push(claimOf({ id: `N${i + 1}`, source: 'subid-math.md', claim: c.claim }, c.holds ? 'proved' : 'refuted', 'computed exactly (BigInt)', [c.why], { decidedBy: [`prove --scheme ${a.prove.scheme}`] }, []));
  return out;
}

function mdCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}


/** Said in both reports: why they show no timings. */
const REPRODUCIBLE =
  'Results only: the timings (seconds, states/s, steps/s, and how many executions fit in a time budget) are in the output of `rmapcheck audit` and its `--json`, so a rerun that finds the same rewrites this report unchanged.';

/** An explore row's budget: a time for a correct variant, a fixed number of executions for a broken one. */
function budgetOf(a: AuditJson, r: ExploreRow): string {
  return r.config.expected === 'ok' ? `${a.exploreSeconds ?? '?'} s per strategy` : `${AUDIT_BUG_RUNS.toLocaleString('en-US')} executions per strategy`;
}

/** Executions run: reproducible under a fixed budget only (a time budget's count depends on the machine). */
function executionsOf(r: ExploreRow): string {
  return r.config.expected === 'ok' ? 'timed' : r.executions.toLocaleString('en-US');
}

/** report.md */
export function renderReportMarkdown(a: AuditJson, claims: ClaimResult[], reportDir: string): string {
  const rel = (p: string) => relative(reportDir, p).split('\\').join('/');
  const count = (s: ClaimStatus) => claims.filter((c) => c.status === s).length;
  const lines = [
    '# rmapcheck audit report',
    '',
    `Scheme ${a.prove.scheme}; ${a.models.length} model configurations${a.interrupted ? '; **interrupted: some configurations were not checked**' : ''}.`,
    '',
    REPRODUCIBLE,
    '',
    `Claims: ${count('proved')} proved, ${count('refuted')} refuted, ${count('verified up to bounds')} verified up to bounds, ${count('not checked yet')} not checked yet.`,
    '',
    '## Claims of the series',
    '',
    '| id | claim | status | method | evidence | checked by | counterexamples |',
    '|---|---|---|---|---|---|---|',
    ...claims.map((c) =>
      `| ${c.id} | ${mdCell(c.claim)} (${c.source}) | **${c.status}** | ${mdCell(c.method)} | ${mdCell(c.evidence.join('; '))} | ${mdCell(checkedByText(c))} | ${
        c.traces.map((t) => `[trace](${rel(t)}) ([view](${rel(viewerPath(t))}))`).join(', ') || '-'
      } |`,
    ),
    '',
    '## Sub-ID soundness per order',
    '',
    '| order | P | V | c | N | verdict | method | counterexample |',
    '|---|---|---|---|---|---|---|---|',
    ...a.prove.orders.map((o) => `| ${o.order} | ${o.pages} | ${o.values} | ${o.chunkBits} | ${o.bound} | ${o.verdict} | ${o.method} | ${o.counterexample?.trace ? `[trace](${rel(o.counterexample.trace)}) ([view](${rel(viewerPath(o.counterexample.trace))}))` : '-'} |`),
    '',
    '## Model configurations',
    '',
    '| configuration | expected | verdict | property | as expected | states | depth | steps | counterexample |',
    '|---|---|---|---|---|---|---|---|---|',
    ...a.models.map((r) => `| ${configName(r)} | ${r.config.expected} | ${r.verdict} | ${r.property ?? '-'} | ${r.asExpected ? 'yes' : '**NO**'} | ${r.states.toLocaleString('en-US')} | ${r.maxDepth} | ${r.traceLength ?? '-'} | ${r.trace ? `[trace](${rel(r.trace)}) ([view](${rel(viewerPath(r.trace))}))` : '-'} |`),
    '',
    '## Randomized exploration at real size',
    '',
    '| configuration | strategy | expected | verdict | property | as expected | budget | executions | steps | counterexample |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...(a.explore ?? []).map((r) => `| ${configName(r)} | ${r.strategy} | ${r.config.expected} | ${r.verdict} | ${r.property ?? '-'} | ${r.asExpected ? 'yes' : '**NO**'} | ${budgetOf(a, r)} | ${executionsOf(r)} | ${r.minimizedTraceLength ?? '-'} | ${r.trace ? `[trace](${rel(r.trace)}) ([view](${rel(viewerPath(r.trace))}))` : '-'} |`),
    '',
    '## Conformance of C code',
    '',
    'The C implementation compiled and run against the reference model, operation by operation (`rmapcheck conform`, docs/conform.md).',
    '',
    '| C code | mode | verdict | property | as expected | runs | operations | first divergence | steps | counterexample |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...(a.conform ?? []).map((r) => `| ${mdCell(conformName(r))} | ${r.mode} | ${r.verdict} | ${r.property ?? '-'} | ${r.asExpected === null ? '-' : r.asExpected ? 'yes' : '**NO**'} | ${r.runs.toLocaleString('en-US')} | ${r.ops.toLocaleString('en-US')} | ${mdCell(divergenceText(r))} | ${r.traceLength ?? '-'} | ${r.trace ? `[trace](${rel(r.trace)}) ([view](${rel(viewerPath(r.trace))}))` : '-'} |`),
    '',
    ...(a.lkmm
      ? [
          '## Weak memory (LKMM)',
          '',
          LKMM_INTRO,
          '',
          `| ${LKMM_HEAD.join(' | ')} |`,
          `|${LKMM_HEAD.map(() => '---').join('|')}|`,
          ...a.lkmm.programs.map((p) => `| ${lkmmCells(p).map(mdCell).join(' | ')} |`),
          '',
          'Not covered: ' + a.lkmm.notCovered.join('; ') + '.',
          '',
        ]
      : []),
    'Replay any trace with `npx rmapcheck replay TRACE`; open its page in a browser (keys j/k step through it).',
    '',
  ];
  return lines.join('\n');
}

/** report.html: the same content, self-contained. */
export function renderReportHtml(a: AuditJson, claims: ClaimResult[], reportDir: string): string {
  const e = escapeHtml;
  const rel = (p: string) => relative(reportDir, p).split('\\').join('/');
  const link = (t: string) => `<a href="${e(encodeURI(rel(t)))}">trace</a> (<a href="${e(encodeURI(rel(viewerPath(t))))}">view</a>)`;
  const cls = (s: ClaimStatus) => s.replace(/ /g, '-');
  const table = (head: string[], rows: string[][]) =>
    `<table><thead><tr>${head.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.join('')}</tr>`).join('\n')}</tbody></table>`;
  const td = (s: string, c = '') => `<td${c ? ` class="${c}"` : ''}>${s}</td>`;
  const count = (s: ClaimStatus) => claims.filter((c) => c.status === s).length;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>rmapcheck audit report</title>
<style>
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; margin: 18px 24px; color: #1b1f24; }
table { border-collapse: collapse; margin: 8px 0 20px; } th, td { border: 1px solid #d8dde3; padding: 4px 8px; vertical-align: top; text-align: left; }
th { background: #f2f4f6; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.proved { background: #e6f4ea; } .refuted { background: #fdecea; color: #b71c1c; font-weight: 700; } .verified-up-to-bounds { background: #e8f0fe; } .not-checked-yet { background: #f5f5f5; color: #666; }
.no { color: #b71c1c; font-weight: 700; } code { font-size: 12.5px; }
</style></head><body>
<h1>rmapcheck audit report</h1>
<p>Scheme ${e(a.prove.scheme)}; ${a.models.length} model configurations${a.interrupted ? '; <b class="no">interrupted: some configurations were not checked</b>' : ''}.</p>
<p>${e(REPRODUCIBLE)}</p>
<p>Claims: <span class="proved">${count('proved')} proved</span>, <span class="refuted">${count('refuted')} refuted</span>, <span class="verified-up-to-bounds">${count('verified up to bounds')} verified up to bounds</span>, <span class="not-checked-yet">${count('not checked yet')} not checked yet</span>.</p>
<h2>Claims of the series</h2>
${table(['id', 'claim', 'status', 'method', 'evidence', 'checked by', 'counterexamples'], claims.map((c) => [td(e(c.id)), td(`${e(c.claim)} <small>(${e(c.source)})</small>`), td(e(c.status), cls(c.status)), td(e(c.method)), td(c.evidence.map(e).join('<br>')), td(e(checkedByText(c))), td(c.traces.map(link).join('<br>') || '-')]))}
<h2>Sub-ID soundness per order</h2>
${table(['order', 'P', 'V', 'c', 'N', 'verdict', 'method', 'counterexample'], a.prove.orders.map((o) => [td(String(o.order), 'num'), td(String(o.pages), 'num'), td(String(o.values), 'num'), td(String(o.chunkBits), 'num'), td(String(o.bound), 'num'), td(e(o.verdict), o.verdict), td(e(o.method)), td(o.counterexample?.trace ? link(o.counterexample.trace) : '-')]))}
<h2>Model configurations</h2>
${table(['configuration', 'expected', 'verdict', 'property', 'as expected', 'states', 'depth', 'steps', 'counterexample'], a.models.map((r) => [td(e(configName(r))), td(e(r.config.expected)), td(e(r.verdict)), td(e(r.property ?? '-')), td(r.asExpected ? 'yes' : 'NO', r.asExpected ? '' : 'no'), td(r.states.toLocaleString('en-US'), 'num'), td(String(r.maxDepth), 'num'), td(r.traceLength === null ? '-' : String(r.traceLength), 'num'), td(r.trace ? link(r.trace) : '-')]))}
<h2>Randomized exploration at real size</h2>
${table(['configuration', 'strategy', 'expected', 'verdict', 'property', 'as expected', 'budget', 'executions', 'steps', 'counterexample'], (a.explore ?? []).map((r) => [td(e(configName(r))), td(e(r.strategy)), td(e(r.config.expected)), td(e(r.verdict)), td(e(r.property ?? '-')), td(r.asExpected ? 'yes' : 'NO', r.asExpected ? '' : 'no'), td(e(budgetOf(a, r))), td(e(executionsOf(r)), 'num'), td(r.minimizedTraceLength === null ? '-' : String(r.minimizedTraceLength), 'num'), td(r.trace ? link(r.trace) : '-')]))}
<h2>Conformance of C code</h2>
<p>The C implementation compiled and run against the reference model, operation by operation (<code>rmapcheck conform</code>, docs/conform.md).</p>
${table(['C code', 'mode', 'verdict', 'property', 'as expected', 'runs', 'operations', 'first divergence', 'steps', 'counterexample'], (a.conform ?? []).map((r) => [td(e(conformName(r))), td(e(r.mode)), td(e(r.verdict)), td(e(r.property ?? '-')), td(r.asExpected === null ? '-' : r.asExpected ? 'yes' : 'NO', r.asExpected === false ? 'no' : ''), td(r.runs.toLocaleString('en-US'), 'num'), td(r.ops.toLocaleString('en-US'), 'num'), td(e(divergenceText(r))), td(r.traceLength === null ? '-' : String(r.traceLength), 'num'), td(r.trace ? link(r.trace) : '-')]))}
${a.lkmm ? `<h2>Weak memory (LKMM)</h2>\n<p>${e(LKMM_INTRO)}</p>\n${table(LKMM_HEAD, a.lkmm.programs.map((p) => lkmmCells(p).map((c, i) => td(e(c), i === 5 && !p.asExpected ? 'no' : i >= 6 && i <= 7 ? 'num' : ''))))}\n<p>Not covered: ${e(a.lkmm.notCovered.join('; '))}.</p>` : ''}
<p>Replay any trace with <code>npx rmapcheck replay TRACE</code>; its page steps through it with the keys j/k.</p>
</body></html>
`;
}

/** Checks, before the audit, that `reportDir` can take the report (checkOutDir; report.md and report.html not directories). */
export function checkReportDir(reportDir: string): void {
  checkOutDir(reportDir);
  for (const f of [join(reportDir, 'report.md'), join(reportDir, 'report.html')])
    if (statSync(f, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`cannot write the report: ${f} is a directory`);
}

/**
 * Writes report.md, report.html, and a viewer page next to every trace, all of them or none
 * (writeAllOrNone: nothing replaced by other content without `force`); returns the paths and
 * the errors (empty: all written).
 */
export function writeAuditReport(a: AuditJson, reportDir: string, force: boolean): { md: string; html: string; pages: string[]; errors: string[] } {
  const claims = claimResults(a);
  const traces = [...a.prove.orders.map((o) => o.counterexample?.trace ?? null), ...a.models.map((r) => r.trace), ...(a.explore ?? []).map((r) => r.trace), ...(a.conform ?? []).map((r) => r.trace)].filter(
    (t): t is string => t !== null,
  );
  const pages = traces.map((t) => ({ path: viewerPath(t), text: renderTraceHtml(isConformanceTraceFile(t) ? loadConformTrace(t) : loadTrace(t), { source: t }) }));
  const md = join(reportDir, 'report.md');
  const html = join(reportDir, 'report.html');
  const { errors } = writeAllOrNone(
    [...pages, { path: md, text: renderReportMarkdown(a, claims, reportDir) }, { path: html, text: renderReportHtml(a, claims, reportDir) }],
    force,
  );
  return { md, html, pages: pages.map((p) => p.path), errors };
}
