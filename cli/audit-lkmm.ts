/**
 * The audit's LKMM section (issue #13): each seqcount variant's litmus programs (lkmm/generate)
 * judged by rmapcheck's own LKMM checker — is the reader's snapshot safe, are the writers'
 * updates, which barriers are necessary (each removed in turn), which accesses race — the broken
 * variants' programs alongside, and the x86-TSO pass (checker/triangular-race.ts) on the
 * seqcount configurations the audit checks. cli/audit.ts calls `runAuditLkmm` and prints its
 * text; the JSON goes under `lkmm` in `audit --json`.
 */
import { checkLitmus, type LitmusResult } from '../lkmm/check';
import { necessaryBarriers, withPlainMarked } from '../lkmm/generate/barriers';
import { NOT_EXPRESSIBLE, expressibleBugs, seqcountPrograms } from '../lkmm/generate/seqcount';
import type { LitmusProgram } from '../lkmm/program';
import { findTriangularRace, type TsoReport } from '../checker/triangular-race';
import { VARIANTS, type Variant } from '../model/seqcount/layout';
import { seqcountModel, type Bug } from '../model/seqcount/model';
import { renderTable } from '../text/table';

/** One litmus program's judgement. */
export interface LkmmProgramRow {
  readonly name: string;
  readonly variant: Variant;
  readonly bug: string | null;
  /** What the program asks: the reader's snapshot or the writers' sums. */
  readonly question: 'snapshot' | 'lost-update';
  readonly verdict: LitmusResult['verdict'];
  readonly dataRace: boolean;
  /** Never and no data race: the property holds under LKMM for this program. */
  readonly safe: boolean;
  /** Correct protocol: expected safe; broken variant: expected not. */
  readonly asExpected: boolean;
  readonly candidates: number;
  readonly allowed: number;
  /** Each ordering site removed in turn (only for programs that came out Never). */
  readonly barriers: readonly { readonly site: string; readonly necessary: boolean; readonly verdict: string; readonly dataRace: boolean }[];
  /** The racing accesses of the first racy allowed execution. */
  readonly races: readonly { readonly kind: string; readonly location: string; readonly accesses: readonly [string, string] }[];
  /** With every plain access marked, when the program is not safe: is it the race alone? */
  readonly marked: { readonly verdict: string; readonly dataRace: boolean } | null;
}

export interface LkmmTsoRow {
  readonly variant: Variant;
  readonly bug: string | null;
  readonly params: Readonly<Record<string, unknown>>;
  readonly tso: TsoReport;
}

export interface LkmmAuditJson {
  readonly programs: readonly LkmmProgramRow[];
  /** Broken variants with no litmus form, and why. */
  readonly notExpressible: readonly { readonly bug: string; readonly reason: string }[];
  readonly tso: readonly LkmmTsoRow[];
  /** What this section does not judge. */
  readonly notCovered: readonly string[];
  readonly seconds: number;
}

/** What the litmus form leaves out (the text says it too). */
export const NOT_COVERED: readonly string[] = [
  'loops beyond their exit iteration: each spin is its exit iteration (a Never holds for the loop, a Sometimes is real; how many iterations a spin takes is not judged)',
  'locks, RCU and SRCU (the programs use none; the checker refuses them)',
  'liveness: whether a spin or a retry loop ends (the SC checks judge that, `eventually` properties)',
  'one write section per writer, values scaled down (widths do not matter to ordering); interleavings of several sections per writer (the sequence wrap, ABA) are the SC checks\' business',
  'the fallbacks that end a program\'s thread: a V2 writer whose cmpxchg fails (the shared path it then takes is its own program)',
];

function judgeProgram(p: LitmusProgram, variant: Variant, bug: Bug | null): LkmmProgramRow {
  const r = checkLitmus(p);
  const safe = r.verdict === 'never' && !r.dataRace;
  const barriers = r.verdict === 'never' && bug === null ? necessaryBarriers(p, checkLitmus, r).map((b) => ({ site: b.text, necessary: b.necessary, verdict: b.verdict, dataRace: b.dataRace })) : [];
  const m = safe ? null : checkLitmus(withPlainMarked(p));
  return {
    name: p.name,
    variant,
    bug,
    question: p.name.includes('-writers-') ? 'lost-update' : 'snapshot',
    verdict: r.verdict,
    dataRace: r.dataRace,
    safe,
    asExpected: bug === null ? safe : !safe,
    candidates: r.candidates,
    allowed: r.allowed,
    barriers,
    // one row per pair of accesses (the checker lists every racing pair of events)
    races: r.races
      .map((x) => ({ kind: x.kind, location: x.loc, accesses: x.instrs }))
      .filter((x, i, all) => all.findIndex((y) => y.kind === x.kind && y.location === x.location && y.accesses.join('|') === x.accesses.join('|')) === i),
    marked: m === null ? null : { verdict: m.verdict, dataRace: m.dataRace },
  };
}

/** The seqcount configurations the audit checks (cli/audit.ts: every variant, every bug on
 *  every variant it applies to, at their defaults), each with its x86-TSO pass. */
function tsoRows(): LkmmTsoRow[] {
  const out: LkmmTsoRow[] = [];
  for (const v of VARIANTS) {
    const m = seqcountModel({ variant: v });
    out.push({ variant: v, bug: null, params: m.params, tso: findTriangularRace(m, { maxMs: 2000 }) });
  }
  for (const v of VARIANTS)
    for (const b of seqcountBugsOn(v)) {
      const m = seqcountModel({ variant: v, bug: b });
      out.push({ variant: v, bug: b, params: m.params, tso: findTriangularRace(m, { maxMs: 2000 }) });
    }
  return out;
}

function seqcountBugsOn(v: Variant): Bug[] {
  return [...expressibleBugs(v), ...(Object.keys(NOT_EXPRESSIBLE) as Bug[])].filter((b, i, a) => a.indexOf(b) === i);
}

/** A triangular race in a table cell (tsoLine says it in full). */
const raceText = (x: NonNullable<TsoReport['race']>): string =>
  `${x.thread} '${x.load}' after '${x.buffered.map((b) => b.store).join("', '")}'; ${x.writer} '${x.write}' (path ${x.path.join(',')})`;

const verdictText = (verdict: string, race: boolean): string => `${verdict}${race ? ' (data race)' : ''}`;

/**
 * The LKMM section: JSON, text, and `ok` — every correct protocol program safe under LKMM and
 * every broken variant's program not safe (Sometimes or a data race).
 */
export function runAuditLkmm(): { json: LkmmAuditJson; text: string; ok: boolean } {
  const started = performance.now();
  const programs: LkmmProgramRow[] = [];
  for (const v of VARIANTS) {
    for (const p of seqcountPrograms(v)) programs.push(judgeProgram(p, v, null));
    for (const b of expressibleBugs(v)) for (const p of seqcountPrograms(v, b)) programs.push(judgeProgram(p, v, b));
  }
  const notExpressible = Object.entries(NOT_EXPRESSIBLE).map(([bug, reason]) => ({ bug, reason: reason! }));
  const tso = tsoRows();
  const json: LkmmAuditJson = { programs, notExpressible, tso, notCovered: NOT_COVERED, seconds: (performance.now() - started) / 1000 };
  const ok = programs.every((p) => p.asExpected);

  const lines: string[] = [
    'Weak memory: the seqcount under the Linux kernel memory model (litmus programs from the model, barriers.md primitives, rmapcheck\'s LKMM checker)',
    renderTable(
      ['program', 'bug', 'asks', 'verdict', 'safe', 'as expected', 'candidates', 'allowed', 'necessary barriers', 'plain accesses marked'],
      programs.map((p) => [
        p.name,
        p.bug ?? '-',
        p.question,
        verdictText(p.verdict, p.dataRace),
        p.safe ? 'yes' : 'no',
        p.asExpected ? 'yes' : 'NO',
        String(p.candidates),
        String(p.allowed),
        p.barriers.length === 0 ? '-' : `${p.barriers.filter((b) => b.necessary).length} of ${p.barriers.length}`,
        p.marked === null ? '-' : verdictText(p.marked.verdict, p.marked.dataRace),
      ]),
    ),
  ];
  const withBarriers = programs.filter((p) => p.barriers.length > 0);
  if (withBarriers.length) {
    lines.push('', 'Barriers, each removed (a fence) or weakened (a full RMW to _relaxed) in turn:');
    lines.push(
      renderTable(
        ['program', 'barrier', 'necessary', 'verdict without it'],
        withBarriers.flatMap((p) => p.barriers.map((b) => [p.name, b.site, b.necessary ? 'yes' : 'no', verdictText(b.verdict, b.dataRace)])),
      ),
    );
  }
  const racy = programs.filter((p) => p.races.length > 0);
  if (racy.length) {
    lines.push('', 'Data races (herd7 would print "Flag data-race": the outcome of such a program is undefined), the accesses involved:');
    lines.push(renderTable(['program', 'location', 'kind', 'access', 'access'], racy.flatMap((p) => p.races.map((x) => [p.name, x.location, x.kind, x.accesses[0], x.accesses[1]]))));
  }
  const findings = programs.filter((p) => p.bug === null && !p.safe);
  if (findings.length) {
    lines.push('', 'Correct-variant programs not safe under LKMM:');
    for (const p of findings)
      lines.push(
        `  - ${p.name}: ${verdictText(p.verdict, p.dataRace)}; ` +
          (p.marked === null
            ? 'no further judgement'
            : p.marked.verdict === 'never' && !p.marked.dataRace
              ? 'with every plain access marked it is Never: the finding is the data race alone (annotations, e.g. READ_ONCE/WRITE_ONCE or data_race(), would settle it)'
              : `with every plain access marked it is still ${verdictText(p.marked.verdict, p.marked.dataRace)}: an ordering finding, not only a race (\`rmapcheck litmus --export --model seqcount --variant ${p.variant}\` writes it for herd7)`),
      );
  }
  lines.push('', 'Broken variants with no litmus form:');
  lines.push(renderTable(['bug', 'why'], notExpressible.map((x) => [x.bug, x.reason])));
  lines.push('', 'x86-TSO: triangular races in the SC state space (Owens, ECOOP 2010: none means the SC verdicts hold on x86-TSO):');
  lines.push(
    renderTable(
      ['variant', 'bug', 'triangular-race free', 'states', 'race'],
      tso.map((t) => [
        t.variant,
        t.bug ?? '-',
        t.tso.triangularRaceFree === null ? 'not judged' : t.tso.triangularRaceFree ? 'yes' : 'no',
        t.tso.states.toLocaleString('en-US'),
        t.tso.race === null ? (t.tso.incompleteReason ?? '-') : raceText(t.tso.race),
      ]),
    ),
  );
  lines.push('', 'Not covered by this section:', ...NOT_COVERED.map((x) => `  - ${x}`));
  lines.push(
    '',
    ok
      ? `LKMM: every correct program is safe and every broken one is caught (${json.seconds.toFixed(1)} s).`
      : `LKMM: ${programs.filter((p) => !p.asExpected).length} program(s) not as expected: ${programs.filter((p) => !p.asExpected).map((p) => p.name).join(', ')} (${json.seconds.toFixed(1)} s).`,
  );
  return { json, text: lines.join('\n'), ok };
}
