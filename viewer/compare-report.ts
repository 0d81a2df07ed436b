/**
 * The page `rmapcheck compare --report DIR` writes: one self-contained HTML file (inline CSS, SVG
 * drawn by hand in viewer/svg-chart.ts, no script, no network) with the false-“shared” rate of
 * both designs per workload, how it grows with the number of MMs and with the history length over
 * the randomized workloads, and a table of every count with links to the disagreement traces.
 *
 * Pure: the `compare` result in, HTML out. Every piece of the result's text goes through
 * `escapeHtml` (workload names and trace paths come from files a person wrote), and a trace's
 * link is its path with each segment percent-encoded, so a path can neither close the attribute
 * nor become a `javascript:` URL. Light and dark follow the reader's setting
 * (`prefers-color-scheme`); the series colours are Okabe-Ito's, told apart by shape too.
 */
import type { CompareResult, CompareWorkload, DesignCounts, DesignName } from '../checker/compare/result';
import { escapeHtml } from './html';
import { groupedBarChart, pointChart, type Point } from './svg-chart';

const e = escapeHtml;

/** Options of the page. */
export interface CompareReportOptions {
  /**
   * The link of a trace path as the result gives it (default: the path itself, URL-encoded).
   * `compare` passes one that makes the path relative to the report's folder.
   */
  traceHref?: (path: string) => string;
}

/** The designs in the kernel's words, for legends and table rows. */
const DESIGN_LABEL: Record<DesignName, string> = {
  'rmap-id': 'rmap ID (sub-ID math)',
  'mm-id': 'MM owner tracking (MM id)',
};

const label = (d: string): string => DESIGN_LABEL[d as DesignName] ?? d;

/** A path as a relative (or absolute-path) URL: each segment percent-encoded, `/` kept. */
export function pathHref(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** `href` unless it names a scheme other than file: (a `javascript:` link, say), then as a
 *  relative path (`./` before it): whatever `traceHref` returns, a link opens a file. */
function safeHref(href: string): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(href) && !/^file:/i.test(href) ? `./${href}` : href;
}

/** A count with thousands separators. */
const count = (n: number): string => n.toLocaleString('en-US');

/** A rate in [0, 1] as a percentage: ticks to their step's precision, values to 3 significant digits or so. */
export function percent(v: number, step = 0): string {
  const p = v * 100;
  if (step > 0) {
    const digits = Math.max(0, -Math.floor(Math.log10(step * 100) + 1e-9));
    return `${p.toFixed(digits)}%`;
  }
  if (p === 0) return '0%';
  return `${p.toFixed(p >= 10 ? 1 : p >= 1 ? 2 : 3)}%`;
}

/** falseShared / readerCalls, or null when the design answered no reader call. */
export function falseSharedRate(d: { readerCalls: number; falseShared: number }): number | null {
  return d.readerCalls > 0 ? d.falseShared / d.readerCalls : null;
}

/** Every design named in the result, in the order of first appearance. */
function designsOf(r: CompareResult): string[] {
  const seen: string[] = [];
  for (const w of r.workloads) for (const d of w.designs) if (!seen.includes(d.design)) seen.push(d.design);
  return seen.length ? seen : ['rmap-id', 'mm-id'];
}

const designOf = (w: CompareWorkload, name: string): DesignCounts | undefined => w.designs.find((d) => d.design === name);

const rateText = (d: { readerCalls: number; falseShared: number }): string => {
  const rate = falseSharedRate(d);
  return rate === null ? 'no reader calls' : `${percent(rate)} (${count(d.falseShared)} of ${count(d.readerCalls)} reader calls)`;
};

const CSS = `
:root { color-scheme: light dark; --fg:#1b1f24; --muted:#5a6270; --bg:#fff; --panel:#f7f8fa; --line:#d8dde3; --grid:#e6e9ed; --bad:#c62828; --badbg:#fdecea; --link:#0b57d0; --s0:#0072B2; --s1:#D55E00; --s2:#009E73; --s3:#CC79A7; }
@media (prefers-color-scheme: dark) {
  :root { --fg:#e6e8eb; --muted:#a3abb6; --bg:#14171b; --panel:#1d2127; --line:#3a414b; --grid:#2b3139; --bad:#ff8a80; --badbg:#3b1f1f; --link:#8ab4f8; --s0:#56B4E9; --s1:#E69F00; --s2:#2fc49a; --s3:#e79bc7; }
}
* { box-sizing: border-box; }
body { margin: 0; padding: 0 0 40px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--fg); background: var(--bg); }
code, .mono, td.n { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
header { padding: 12px 20px 10px; border-bottom: 1px solid var(--line); background: var(--panel); }
h1 { font-size: 19px; margin: 0 0 6px; }
h2 { font-size: 16px; margin: 24px 0 6px; }
section { padding: 0 20px; }
a { color: var(--link); }
.facts { display: flex; flex-wrap: wrap; gap: 4px 6px; margin: 0 0 8px; padding: 0; list-style: none; }
.facts li { background: var(--bg); border: 1px solid var(--line); border-radius: 10px; padding: 0 8px; font-size: 12px; }
.verdict-violation { color: var(--bad); font-weight: 700; }
.repeat { font-size: 12px; margin: 4px 0 0; overflow-wrap: anywhere; }
.note { color: var(--muted); max-width: 110ch; margin: 4px 0; }
figure { margin: 8px 0 4px; max-width: 760px; }
figcaption { font-weight: 600; margin: 0 0 4px; }
svg.chart { display: block; width: 100%; height: auto; background: var(--bg); border: 1px solid var(--line); border-radius: 4px; font: 12px system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
svg.chart text { fill: var(--fg); }
svg.chart .tick, svg.chart .missing, svg.chart .empty { fill: var(--muted); }
svg.chart .axis { stroke: var(--muted); stroke-width: 1; }
svg.chart .grid { stroke: var(--grid); stroke-width: 1; }
svg.chart .axis-label { font-weight: 600; }
svg.chart .value { font-size: 11px; }
.series-0 { --c: var(--s0); } .series-1 { --c: var(--s1); } .series-2 { --c: var(--s2); } .series-3 { --c: var(--s3); }
svg.chart .bar, svg.chart .swatch, svg.chart .mark { fill: var(--c); }
svg.chart .mark { stroke: var(--bg); stroke-width: 1; fill-opacity: 0.85; }
svg.chart .mean { fill: none; stroke: var(--c); stroke-width: 2; stroke-opacity: 0.8; }
details.fallback { margin: 4px 0 0; font-size: 12.5px; }
details.fallback summary { cursor: pointer; color: var(--muted); }
table { border-collapse: collapse; }
th, td { padding: 3px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { font-weight: 600; color: var(--muted); white-space: nowrap; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td.n { white-space: nowrap; }
th.n { white-space: normal; min-width: 6ch; vertical-align: bottom; }
caption { text-align: left; caption-side: top; padding: 0 0 4px; }
td.bad { color: var(--bad); font-weight: 700; background: var(--badbg); }
.table-wrap { overflow-x: auto; max-width: 100%; }
#counts td.workload { font-weight: 600; overflow-wrap: anywhere; max-width: 26ch; }
#counts td.params { font-size: 12px; color: var(--muted); min-width: 24ch; max-width: 40ch; }
#counts tr.first td { border-top: 2px solid var(--line); }
#counts td.traces { font-size: 12px; min-width: 24ch; max-width: 44ch; overflow-wrap: anywhere; }
#counts td.traces.none { color: var(--muted); }
#counts td.design { white-space: nowrap; }
#counts td.traces ul { margin: 0; padding-left: 1.1em; }
`;

/** A workload's parameters as a short phrase. */
function paramsText(w: CompareWorkload): string {
  const p = w.params;
  const parts = [
    p.source,
    `${p.folio}, order ${p.order} (P=${p.pages})`,
    `${p.mms} MMs (${p.maxConcurrentMms} at once)`,
    `${p.operations} ops`,
    `fork depth ${p.forkDepth}`,
  ];
  if (p.runSeed !== null) parts.push(`run ${p.run}, seed ${p.runSeed}`);
  parts.push(`truly shared reads ${count(w.trulyShared)}`, `oracle reuses ${count(w.oracleReuses)}`);
  return parts.join(', ');
}

/** The last segment of a path (the link text; the link itself is the whole path). */
const baseName = (path: string): string => path.split(/[\\/]/).pop() || path;

function tracesCell(d: DesignCounts, href: (p: string) => string): string {
  if (d.traces.length === 0) return '<td class="traces none">none</td>';
  const links = d.traces.map((t) => `<li><a class="trace" href="${e(href(t))}" title="${e(t)}">${e(baseName(t))}</a></li>`).join('');
  return d.traces.length <= 3
    ? `<td class="traces"><ul>${links}</ul></td>`
    : `<td class="traces"><details><summary>${d.traces.length} traces</summary><ul>${links}</ul></details></td>`;
}

/** The cells of one design's counts (shared by the per-workload rows and the totals). */
function countCells(d: DesignCounts): string {
  const rate = falseSharedRate(d);
  const bad = (n: number) => `<td class="n${n > 0 ? ' bad' : ''}">${count(n)}</td>`;
  return (
    `<td class="n">${count(d.readerCalls)}</td><td class="n">${count(d.falseShared)}</td><td class="n rate">${rate === null ? '&ndash;' : percent(rate)}</td>` +
    `${bad(d.falseExclusive)}<td class="n">${count(d.cowDecisions)}</td><td class="n">${count(d.cowReuses)}</td><td class="n">${count(d.lostReuse)}</td>` +
    `${bad(d.wrongReuse)}${bad(d.warnings)}`
  );
}

const COUNT_HEADS =
  '<th class="n" scope="col">reader calls</th><th class="n" scope="col">false &ldquo;shared&rdquo;</th><th class="n" scope="col">rate</th>' +
  '<th class="n" scope="col">false &ldquo;exclusive&rdquo;</th><th class="n" scope="col">COW decisions</th><th class="n" scope="col">COW reuses</th>' +
  '<th class="n" scope="col">lost reuse</th><th class="n" scope="col">unsafe reuse</th><th class="n" scope="col">warnings</th>';

function countsTable(r: CompareResult, href: (p: string) => string): string {
  const rows = r.workloads.flatMap((w, wi) =>
    w.designs.map((d, di) => {
      const head =
        di === 0
          ? `<th scope="rowgroup" rowspan="${w.designs.length}" class="workload" data-workload="${wi}">${e(w.name)}</th>` +
            `<td rowspan="${w.designs.length}" class="params">${e(paramsText(w))}</td>`
          : '';
      return `<tr class="${di === 0 ? 'first' : 'next'}" data-workload="${wi}" data-design="${e(d.design)}">${head}<td class="design mono" title="${e(label(d.design))}">${e(d.design)}</td>${countCells(d)}${tracesCell(d, href)}</tr>`;
    }),
  );
  const body = rows.length ? rows.join('\n') : '<tr><td colspan="14" class="note">No workloads were run.</td></tr>';
  return (
    `<div class="table-wrap"><table id="counts"><caption class="note">Every count per workload and design; highlighted: counts that are violations (false &ldquo;exclusive&rdquo;, unsafe reuse, warnings).</caption>` +
    `<thead><tr><th scope="col">workload</th><th scope="col">parameters</th><th scope="col">design</th>${COUNT_HEADS}<th scope="col">traces</th></tr></thead>\n<tbody>\n${body}\n</tbody></table></div>`
  );
}

function totalsTable(r: CompareResult): string {
  if (r.totals.length === 0) return '';
  const rows = r.totals.map((d) => `<tr data-design="${e(d.design)}"><th scope="row" title="${e(d.design)}">${e(label(d.design))}</th>${countCells(d)}</tr>`).join('');
  return `<div class="table-wrap"><table id="totals"><thead><tr><th scope="col">totals</th>${COUNT_HEADS}</tr></thead><tbody>${rows}</tbody></table></div>`;
}

/** A chart's figures as a small table, for a reader without the picture. */
function fallbackTable(caption: string, heads: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const body = rows.length
    ? rows.map((cells) => `<tr>${cells.map((c, i) => (i === 0 ? `<th scope="row">${e(c)}</th>` : `<td class="n">${e(c)}</td>`)).join('')}</tr>`).join('')
    : `<tr><td colspan="${heads.length}">nothing to show</td></tr>`;
  return `<details class="fallback"><summary>${e(caption)}</summary><table><thead><tr>${heads.map((h) => `<th scope="col">${e(h)}</th>`).join('')}</tr></thead><tbody>${body}</tbody></table></details>`;
}

/** Past this many workloads the bar chart pools each randomized family into one group (the
 *  growth charts and the table still show every run). */
export const MAX_BAR_GROUPS = 40;

/** The family of a randomized workload: its name without the run number (`random-<family>-<run>`). */
const familyOf = (w: CompareWorkload): string => w.name.replace(/-\d+$/, '');

/** The bar chart's groups: every workload, or past MAX_BAR_GROUPS the named ones and one pooled
 *  group per randomized family (its false “shared” answers over its reader calls). */
function barGroups(r: CompareResult, designs: readonly string[]): { name: string; designs: Array<{ readerCalls: number; falseShared: number } | undefined> }[] {
  const one = (w: CompareWorkload) => ({ name: w.name, designs: designs.map((n) => designOf(w, n)) });
  if (r.workloads.length <= MAX_BAR_GROUPS) return r.workloads.map(one);
  const families = new Map<string, CompareWorkload[]>();
  for (const w of r.workloads) if (w.params.source === 'random') families.set(familyOf(w), [...(families.get(familyOf(w)) ?? []), w]);
  const pooled = [...families].map(([family, ws]) => ({
    name: `${family}-* (${ws.length} runs pooled)`,
    designs: designs.map((n) => {
      const ds = ws.map((w) => designOf(w, n)).filter((d): d is DesignCounts => d !== undefined);
      return ds.length ? { readerCalls: ds.reduce((a, d) => a + d.readerCalls, 0), falseShared: ds.reduce((a, d) => a + d.falseShared, 0) } : undefined;
    }),
  }));
  return [...r.workloads.filter((w) => w.params.source !== 'random').map(one), ...pooled];
}

function rateChart(r: CompareResult, designs: readonly string[]): string {
  const groups = barGroups(r, designs);
  const text = (d: { readerCalls: number; falseShared: number } | undefined) => (d ? rateText(d) : 'not run');
  const pooled = groups.length < r.workloads.length;
  const chart = groupedBarChart({
    id: 'chart-rate',
    title: 'False “shared” rate per workload, both designs',
    description:
      `For each of the ${r.workloads.length} workloads${pooled ? ' (each randomized family pooled into one group)' : ''}, the share of reader calls ` +
      `that answered “shared” while only the asking MM mapped the folio, one bar per design.`,
    series: designs.map(label),
    groups: groups.map((g) => ({ label: g.name, values: g.designs.map((d) => (d ? falseSharedRate(d) : null)), details: g.designs.map(text) })),
    axisLabel: 'false \u201cshared\u201d answers, % of reader calls',
    format: (v, step) => percent(v, step),
    emptyMax: 0.01,
    missing: 'no reader calls',
  });
  const rows = groups.map((g) => [g.name, ...g.designs.map(text)]);
  return (
    `<figure id="fig-rate"><figcaption>False &ldquo;shared&rdquo; rate per workload</figcaption>${chart}` +
    (pooled ? `<p class="note">More than ${MAX_BAR_GROUPS} workloads: each randomized family is one group here (its runs are in the charts below and in the table).</p>` : '') +
    fallbackTable('The figures of this chart as text', ['workload', ...designs.map(label)], rows) +
    `</figure>`
  );
}

/** Rate over one parameter of the randomized workloads, one series per design. */
function growthChart(
  r: CompareResult,
  designs: readonly string[],
  id: string,
  what: string,
  x: (w: CompareWorkload) => number,
  xText: (w: CompareWorkload) => string,
): string {
  const random = r.workloads.filter((w) => w.params.source === 'random');
  const series = designs.map((n) => ({
    name: label(n),
    points: random.flatMap((w): Point[] => {
      const d = designOf(w, n);
      const rate = d ? falseSharedRate(d) : null;
      return d && rate !== null ? [{ x: x(w), y: rate, detail: `${w.name}, ${label(n)}: ${xText(w)}, false “shared” ${rateText(d)}` }] : [];
    }),
  }));
  const chart = pointChart({
    id,
    title: `False “shared” rate against the ${what}, randomized workloads`,
    description: `Each point is one randomized workload and design (${random.length} workloads); a line joins each design's mean rate per value (or per range of values).`,
    series,
    xLabel: what,
    yLabel: 'false \u201cshared\u201d, % of reader calls',
    xFormat: (v) => count(v),
    yFormat: (v, step) => percent(v, step),
    emptyMax: 0.01,
  });
  const rows = random.map((w) => [w.name, xText(w), ...designs.map((n) => { const d = designOf(w, n); return d ? rateText(d) : 'not run'; })]);
  return (
    `<figure id="fig-${id}"><figcaption>How the false &ldquo;shared&rdquo; rate grows with the ${e(what)}</figcaption>${chart}` +
    `<p class="note">One point per randomized workload and design; a line joins each design's mean per value (with more than eight values, per range of values).</p>` +
    fallbackTable('The figures of this chart as text', ['workload', what, ...designs.map(label)], rows) +
    `</figure>`
  );
}

/**
 * The complete report page of a `compare` result. Trace links are the paths as the result gives
 * them unless `opts.traceHref` maps them (the page may live in another folder than the traces).
 */
export function renderCompareReport(r: CompareResult, opts: CompareReportOptions = {}): string {
  const given = opts.traceHref ?? pathHref;
  const href = (p: string) => safeHref(given(p));
  const designs = designsOf(r);
  const random = r.workloads.filter((w) => w.params.source === 'random').length;
  const facts: [string, string][] = [
    ['seed', r.seed],
    ['scheme', r.scheme],
    ['order', r.order === null ? 'each workload its own' : String(r.order)],
    ['workloads', `${r.workloads.length} (${random} randomized, ${r.runs} runs)`],
    ['time', `${r.seconds.toFixed(2)} s`],
    ...Object.entries(r.readerCallsPerSecond).map(([d, n]): [string, string] => [`${d} reader calls/s`, count(Math.round(n))]),
  ];
  const verdictNote =
    r.verdict === 'violation'
      ? 'A design answered “exclusive” for a folio another MM maps, reused a page it had to copy, or hit a sanity check: see the highlighted counts and their traces.'
      : r.verdict === 'incomplete'
        ? 'Interrupted before every workload ran: the workloads that finished are shown.'
        : 'No false “exclusive”, no unsafe reuse, no warning: the designs differ in precision only.';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>rmapcheck compare: rmap ID and MM owner tracking</title>
<style>${CSS}</style>
</head>
<body data-verdict="${e(r.verdict)}">
<header>
<h1>rmapcheck compare: rmap ID and MM owner tracking on the same workloads</h1>
<ul class="facts">${facts.map(([k, v]) => `<li><span class="mono">${e(k)}=${e(v)}</span></li>`).join('')}<li class="verdict-${e(r.verdict)}">verdict: ${e(r.verdict)}</li></ul>
<p class="note">${e(verdictNote)} A false &ldquo;shared&rdquo; answer costs performance only (a COW copy or a page not migrated); a false &ldquo;exclusive&rdquo; one is a bug.</p>
<p class="repeat mono">repeat: ${e(r.repeat)}</p>
</header>
<section id="summary">
<h2>Totals</h2>
${totalsTable(r)}
</section>
<section id="charts">
<h2>False &ldquo;shared&rdquo; answers</h2>
${rateChart(r, designs)}
${growthChart(r, designs, 'chart-mms', 'number of MMs', (w) => w.params.mms, (w) => `${w.params.mms} MMs`)}
${growthChart(r, designs, 'chart-ops', 'history length (operations)', (w) => w.params.operations, (w) => `${w.params.operations} operations`)}
</section>
<section id="table">
<h2>Counts per workload</h2>
${countsTable(r, href)}
</section>
</body>
</html>
`;
}
