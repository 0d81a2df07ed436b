/**
 * The trace viewer: one self-contained HTML page per trace (inline CSS and script, no network,
 * no external fonts), one column per thread, one row per step, the fields a step changed
 * highlighted, and a state panel with the full state of the current step (values in hex, the
 * seqcount word decoded). j/k or the arrow keys move the current step; f jumps to the failing step.
 * The header shows the ground truth of a reader counterexample (and a column of it per instant of
 * the read window) and an rmap trace's scenario as tables. The steps table has a fixed layout
 * (its columns share the pane's width, long words wrap), so that no column is cut off; a row
 * scrolled to (`#step-N`, the keys) stays clear of the sticky column header.
 *
 * Pure functions: trace in, HTML string out. Every piece of trace text goes through `escapeHtml`
 * (a trace is user input: a hand-edited file must not be able to inject markup or script).
 */
import { Trace } from '../checker/trace';
import type { ConformTrace } from '../checker/conform/trace';
import type { ConcurrentTrace } from '../checker/conform/concurrent-trace';
import { ComparisonView, FieldView, ScenarioView, StepView, TraceView, traceView } from './view-model';
import { concurrentConformView, conformView } from './conform-view';

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const e = escapeHtml;

export interface ViewerOptions {
  /** Where the trace came from (shown, and used for the paste-back replay line). */
  source?: string;
}

/** Eight thread colours that stay distinct for colour-blind readers (Okabe-Ito). */
const THREAD_COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#7f7f00', '#000000'];

const CSS = `
:root { --fg:#1b1f24; --muted:#5a6270; --line:#d8dde3; --chg:#fff1a8; --fail:#c62828; --failbg:#fdecea; --cur:#1565c0; --curbg:#e3effd; --loop:#f3e8fd; }
* { box-sizing: border-box; }
html, body { height: 100%; }
body { display: flex; flex-direction: column; margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--fg); background: #fff; }
code, .mono, td.num, .val, .hex { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
header { flex: none; padding: 10px 18px 8px; border-bottom: 1px solid var(--line); background: #f7f8fa; }
h1 { font-size: 18px; margin: 0 0 4px; }
.prop { margin: 2px 0 8px; color: var(--muted); }
.params { display: flex; flex-wrap: wrap; gap: 4px 6px; margin: 0 0 8px; padding: 0; list-style: none; }
.params li { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 0 8px; font-size: 12px; }
.summary { display: flex; flex-wrap: wrap; align-items: flex-start; gap: 6px 18px; margin: 2px 0 6px; }
.verdict { display: inline-grid; grid-template-columns: auto minmax(0, 1fr); gap: 2px 10px; max-width: 72ch; border: 1px solid var(--fail); background: var(--failbg); border-radius: 6px; padding: 6px 10px; }
.verdict b { color: var(--muted); font-weight: 600; }
.verdict .obs { color: var(--fail); font-weight: 700; }
.help { color: var(--muted); font-size: 12px; margin: 4px 0 0; }
kbd { border: 1px solid #b9c0c8; border-bottom-width: 2px; border-radius: 3px; padding: 0 4px; font-size: 11px; background: #fff; }
.replay { font-size: 12px; margin: 4px 0 0; }
.notes { margin: 6px 0 0; max-width: 110ch; }
.scenario { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 12px; }
.scenario caption { text-align: left; font-weight: 600; color: var(--muted); padding: 0 0 2px; }
.scenario table { background: #fff; border: 1px solid var(--line); }
.scenario th, .scenario td { padding: 1px 8px; border-bottom: 1px solid #eef0f2; text-align: left; vertical-align: top; }
.scenario th { color: var(--muted); font-weight: 600; }
.scenario .desc { flex-basis: 100%; margin: 0; color: var(--muted); max-width: 110ch; }
main { flex: 1; min-height: 0; display: grid; grid-template-columns: minmax(0, 1fr) minmax(300px, 28%); }
.steps-wrap { overflow: auto; padding: 0 10px 40px 18px; }
table { border-collapse: collapse; }
/* the table fits the pane: a word may wrap anywhere (so no cell's minimum width overflows it) and
   the columns share the width by their content */
#steps { width: 100%; }
#steps td { overflow-wrap: anywhere; }
#steps col.c-num { width: 4.5em; }
#steps th.thread { min-width: 7em; }
#steps th.shared-h { min-width: 11em; }
#steps th.extra { min-width: 8em; }
/* a row scrolled into view (#step-N, the keys) stops below the sticky header (--head: its height, set by the script) */
#steps tr.step { scroll-margin-top: var(--head, 3em); scroll-margin-bottom: 4px; }
#steps th { position: sticky; top: 0; background: #fff; z-index: 1; text-align: left; font-weight: 600; padding: 6px 8px; border-bottom: 2px solid var(--line); white-space: nowrap; }
#steps th.thread { box-shadow: inset 0 4px 0 var(--tc); padding-top: 9px; }
#steps td.shared-chg .chg { display: block; width: fit-content; max-width: 100%; }
#steps th.extra { white-space: normal; }
#steps td.extra.word { white-space: nowrap; overflow-wrap: normal; }
#steps td.extra.truth { color: #37474f; font-size: 12px; }
#steps td.extra.answer-wrong { color: var(--fail); font-weight: 700; }
#steps td { padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
#steps td.num { text-align: right; color: var(--muted); width: 3.5em; }
#steps td.thread-cell { border-left: 1px solid #eef0f2; }
#steps td.thread-cell.active { background: color-mix(in srgb, var(--tc) 7%, white); border-left: 3px solid var(--tc); }
.action { font-weight: 600; }
.locals, .shared-chg { font-size: 12px; }
.chg { background: var(--chg); border-radius: 3px; padding: 0 3px; margin-right: 4px; display: inline-block; max-width: 100%; overflow-wrap: anywhere; }
.chg .dec { color: var(--muted); }
tr.step { cursor: pointer; }
tr.step:hover td { background-color: #fafbfc; }
tr.step.loop td.num { background: var(--loop); }
tr.step.loop-start td { border-top: 2px dashed #8e44ad; }
tr.step.failing td { background: var(--failbg); }
tr.step.failing td.num { color: var(--fail); font-weight: 700; }
tr.step.current td { box-shadow: inset 0 2px 0 var(--cur), inset 0 -2px 0 var(--cur); }
#steps tr.step.current td.num { background: var(--cur); color: #fff; font-weight: 700; }
.violation { margin-top: 4px; color: var(--fail); font-weight: 700; }
.violation span { font-weight: 400; color: var(--fg); }
.answer-exclusive { color: var(--fail); font-weight: 700; }
aside { overflow: auto; border-left: 1px solid var(--line); padding: 8px 14px 20px; background: #fcfcfd; }
aside h2 { font-size: 15px; margin: 4px 0 2px; }
aside .sub { color: var(--muted); font-size: 12px; margin: 0 0 8px; }
#state { width: 100%; table-layout: fixed; }
#state col.c-name { width: 32%; } #state col.c-hex { width: 22%; }
#state th { text-align: left; font-size: 12px; color: var(--muted); padding: 3px 6px; border-bottom: 1px solid var(--line); }
#state td { padding: 3px 6px; border-bottom: 1px solid #eef0f2; vertical-align: top; overflow-wrap: anywhere; }
#state td.val { overflow-wrap: break-word; word-break: normal; }
#state tr.chg-row td { background: var(--chg); }
#state tr.group td { font-weight: 600; color: var(--muted); background: #f2f4f6; font-size: 12px; }
#state td.name { font-weight: 600; }
#state td.hex { color: #37474f; }
#state .dec { display: block; color: var(--muted); font-size: 12px; }
tbody.panel[hidden] { display: none; }
/* a conformance trace: C beside the reference, the diverging field */
#steps td.cmp { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
#steps td.cmp .ref { display: block; color: var(--muted); font-size: 11.5px; }
#steps td.cmp.differs, #state tr.differs td { background: var(--chg); }
#steps td.cmp.diverges, #state tr.diverges td { background: var(--failbg); color: var(--fail); font-weight: 700; box-shadow: inset 0 0 0 2px var(--fail); }
#steps td.op-cell { border-left: 3px solid var(--tc); }
`;

const SCRIPT = `
(function () {
  var rows = Array.prototype.slice.call(document.querySelectorAll('#steps tr.step'));
  var panels = Array.prototype.slice.call(document.querySelectorAll('#state tbody.panel'));
  var label = document.getElementById('cur-step');
  var failing = Number(document.body.getAttribute('data-failing'));
  var current = -1;
  // the sticky column header's height: rows scrolled into view stop below it
  var head = document.querySelector('#steps thead');
  if (head) document.documentElement.style.setProperty('--head', (head.getBoundingClientRect().height + 4) + 'px');
  function select(i, scroll) {
    if (i < 0 || i >= rows.length) return;
    if (current >= 0) { rows[current].classList.remove('current'); rows[current].removeAttribute('aria-current'); panels[current].hidden = true; }
    current = i;
    rows[i].classList.add('current');
    rows[i].setAttribute('aria-current', 'step');
    panels[i].hidden = false;
    label.textContent = rows[i].getAttribute('data-label');
    document.body.setAttribute('data-current', String(i));
    if (scroll) rows[i].scrollIntoView({ block: 'nearest' });
    try { history.replaceState(null, '', '#step-' + rows[i].getAttribute('data-step')); } catch (err) { /* file: URLs in some browsers */ }
  }
  rows.forEach(function (r, i) { r.addEventListener('click', function () { select(i, false); }); });
  document.addEventListener('keydown', function (ev) {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    var k = ev.key;
    if (k === 'j' || k === 'ArrowDown') select(current + 1, true);
    else if (k === 'k' || k === 'ArrowUp') select(current - 1, true);
    else if (k === 'g' || k === 'Home') select(0, true);
    else if (k === 'G' || k === 'End') select(rows.length - 1, true);
    else if (k === 'f') select(failing, true);
    else return;
    ev.preventDefault();
  });
  function fromHash(fallback) {
    var m = /^#step-(\\d+)$/.exec(location.hash);
    var found = fallback;
    if (m) rows.forEach(function (r, i) { if (r.getAttribute('data-step') === m[1]) found = i; });
    return found;
  }
  window.addEventListener('hashchange', function () { var i = fromHash(-1); if (i >= 0 && i !== current) select(i, true); });
  select(fromHash(failing), true);
})();
`;

function fieldChip(f: FieldView): string {
  return `<span class="chg mono" title="${e(f.hex && f.hex !== f.value ? `${f.name} = ${f.value} = ${f.hex}` : `${f.name} = ${f.value}`)}">${e(f.name)}=${e(f.value)}${f.decoded ? ` <span class="dec">(${e(f.decoded)})</span>` : ''}</span>`;
}

function stepRow(v: TraceView, s: StepView, index: number): string {
  const classes = ['step'];
  if (s.failing) classes.push('failing');
  if (s.inLoop) classes.push('loop');
  if (v.loopIndex === index) classes.push('loop-start');
  const changed = s.fields.filter((f) => f.changed);
  const cells = v.columns.map((_, c) => {
    const own = s.thread === c;
    const locals = changed.filter((f) => f.thread === c);
    const inner: string[] = [];
    if (own) inner.push(`<div class="action">${e(s.action)}</div>`);
    if (locals.length) inner.push(`<div class="locals">${locals.map(fieldChip).join('')}</div>`);
    if (own && s.failing && v.property.expectation !== 'eventually') inner.push(violationNote(v));
    return `<td class="thread-cell${own ? ' active' : ''}" style="--tc:${THREAD_COLOURS[c % THREAD_COLOURS.length]}">${inner.join('')}</td>`;
  });
  const sharedChanged = changed.filter((f) => f.thread === null);
  const sharedCell =
    s.thread === null
      ? `<div class="action">${e(s.action)}</div>${s.failing ? violationNote(v) : ''}`
      : sharedChanged.map(fieldChip).join('') + (s.failing && v.property.expectation === 'eventually' ? violationNote(v) : '');
  const extraClass = (x: string) =>
    v.truth ? (s.failing ? ' answer-wrong' : ' truth') : ' word' + (x === 'exclusive' && s.extras.length === 2 && s.extras[1] === 'shared' ? ' answer-exclusive' : '');
  const extras = s.extras.map((x) => `<td class="extra${extraClass(x)}">${e(x)}</td>`);
  return (
    `<tr class="${classes.join(' ')}" id="step-${s.step}" data-index="${index}" data-step="${s.step}" data-label="${e(s.step === 0 ? 'initial state' : `step ${s.step}`)}"` +
    `${s.thread !== null ? ` data-thread="${e(v.columns[s.thread])}"` : ''}>` +
    `<td class="num">${s.step}</td>${cells.join('')}<td class="shared-chg">${sharedCell}</td>${extras.join('')}</tr>`
  );
}

function violationNote(v: TraceView): string {
  const what = v.property.expectation === 'eventually' ? 'never satisfied' : v.kind === 'subid' ? 'refuted' : 'violated';
  const why = v.truth
    ? `(${e(v.truth.answered)}; the ground truth: column &ldquo;${e(v.truth.column)}&rdquo;)`
    : `(expected: ${e(v.expected)}; observed: ${e(v.observed)})`;
  return `<div class="violation">&#10007; ${e(v.property.name)} ${what} here <span>${why}</span></div>`;
}

/** An rmap scenario as two small tables (MMs with their initial mappings; threads with their
 *  operations) and its description. */
function scenarioTables(sc: ScenarioView): string {
  const mms = sc.mms.map((m) => `<tr><td class="mono">${e(m.name)}</td><td class="mono">${e(m.rmapId)}</td><td>${e(m.initial)}</td></tr>`).join('');
  const threads = sc.threads
    .map((t) => `<tr><td class="mono">${e(t.name)}</td><td class="mono">${t.ops.map(e).join('; ')}${t.repeat ? ' <i>(repeats)</i>' : ''}</td></tr>`)
    .join('');
  const facts = sc.facts.map(([k, val]) => `${e(k)} ${e(val)}`).join(', ');
  return (
    `<div class="scenario" id="scenario">` +
    `<table class="scenario-mms"><caption>scenario ${e(sc.name)}: MMs</caption><thead><tr><th>MM</th><th>rmap ID</th><th>initially mapped</th></tr></thead><tbody>${mms}</tbody></table>` +
    `<table class="scenario-threads"><caption>threads</caption><thead><tr><th>thread</th><th>operations</th></tr></thead><tbody>${threads}</tbody></table>` +
    `<p class="desc">${facts}${sc.description ? `: ${e(sc.description)}` : ''}</p>` +
    `</div>`
  );
}

function statePanel(v: TraceView, s: StepView, index: number): string {
  const rows: string[] = [];
  const line = (f: FieldView) =>
    `<tr class="field${f.changed ? ' chg-row' : ''}" data-field="${e(f.name)}"><td class="name">${f.changed ? '&#9679; ' : ''}${e(f.name)}</td>` +
    `<td class="val">${e(f.value)}${f.decoded ? `<span class="dec">${e(f.decoded)}</span>` : ''}</td><td class="hex">${f.hex && f.hex !== f.value ? e(f.hex) : ''}</td></tr>`;
  const shared = s.fields.filter((f) => f.thread === null);
  if (shared.length) rows.push(`<tr class="group"><td colspan="3">${v.kind === 'subid' ? 'folio' : 'shared words and ghost state'}</td></tr>`, ...shared.map(line));
  v.columns.forEach((name, c) => {
    const own = s.fields.filter((f) => f.thread === c);
    if (own.length) rows.push(`<tr class="group"><td colspan="3">thread ${e(name)}</td></tr>`, ...own.map(line));
  });
  if (v.extraColumns.length)
    rows.push(
      `<tr class="group"><td colspan="3">the query</td></tr>`,
      ...v.extraColumns.map((c, i) => `<tr><td class="name">${e(c)}</td><td class="val" colspan="2">${e(s.extras[i] ?? '')}</td></tr>`),
    );
  if (s.failing) rows.push(`<tr class="group"><td colspan="3">property</td></tr><tr><td colspan="3">${violationNote(v)}</td></tr>`);
  return `<tbody class="panel" data-index="${index}"${index === v.failingIndex ? '' : ' hidden'}>${rows.join('')}</tbody>`;
}

/** A conformance trace's steps table: operation, then per field the C value (the reference's below
 *  it where they differ), the diverging cell highlighted. */
function comparisonTable(v: TraceView, cmp: ComparisonView): string {
  const head = cmp.fields.map((f) => `<th class="cmp-h" data-field="${e(f)}">${e(f)}</th>`).join('');
  const rows = v.steps.map((s, i) => {
    const classes = ['step', ...(s.failing ? ['failing'] : [])];
    const colour = s.thread === null ? '#7f7f7f' : THREAD_COLOURS[s.thread % THREAD_COLOURS.length];
    const op = `<td class="op-cell" style="--tc:${colour}"><div class="action">${e(s.action)}</div>${s.thread !== null ? `<div class="locals">${e(v.columns[s.thread])}</div>` : ''}${s.failing ? `<div class="violation">&#10007; ${e(v.property.name)} violated here <span>(${e(cmp.divergence)})</span></div>` : ''}</td>`;
    const cells = cmp.cells[i]
      .map((c, j) => {
        const cls = ['cmp', ...(c.diverges ? ['diverges'] : c.differs ? ['differs'] : [])].join(' ');
        const ref = c.diverges || c.differs ? `<span class="ref">ref ${e(c.reference)}</span>` : '';
        return `<td class="${cls}" data-field="${e(cmp.fields[j])}" title="${e(`${cmp.fields[j]}: C ${c.c}, reference ${c.reference}`)}">${e(c.c)}${ref}</td>`;
      })
      .join('');
    return `<tr class="${classes.join(' ')}" id="step-${s.step}" data-index="${i}" data-step="${s.step}" data-label="${e(s.step === 0 ? 'set-up' : `step ${s.step}`)}"><td class="num">${s.step}</td>${op}${cells}</tr>`;
  });
  return (
    `<table id="steps"><colgroup><col class="c-num"><col class="c-op">${cmp.fields.map(() => '<col class="c-field">').join('')}</colgroup>` +
    `<thead><tr><th class="num">step</th><th class="op-h">operation</th>${head}</tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`
  );
}

/** A conformance step's state panel: every field, C and reference. */
function comparisonPanel(v: TraceView, cmp: ComparisonView, s: StepView, index: number): string {
  const rows = cmp.cells[index].map(
    (c, j) =>
      `<tr class="field${c.diverges ? ' diverges' : c.differs ? ' differs' : ''}" data-field="${e(cmp.fields[j])}"><td class="name">${e(cmp.fields[j])}</td><td class="val">${e(c.c)}</td><td class="val">${e(c.reference)}</td></tr>`,
  );
  const note = s.failing ? `<tr class="group"><td colspan="3">divergence</td></tr><tr><td colspan="3">${e(cmp.divergence)}</td></tr>` : '';
  return `<tbody class="panel" data-index="${index}"${index === v.failingIndex ? '' : ' hidden'}><tr class="group"><td colspan="3">${e(s.action)}</td></tr>${rows.join('')}${note}</tbody>`;
}

/** The complete page for a trace view. */
export function renderViewHtml(v: TraceView, opts: ViewerOptions = {}): string {
  const head = v.columns
    .map((c, i) => `<th class="thread" data-thread="${e(c)}" style="--tc:${THREAD_COLOURS[i % THREAD_COLOURS.length]}">${e(c)}</th>`)
    .join('');
  const extraHead = v.extraColumns.map((c) => `<th class="extra" title="${e(c)}">${e(c)}</th>`).join('');
  const cols =
    `<col class="c-num">${v.columns.map(() => '<col class="c-thread">').join('')}<col class="c-shared">` +
    v.extraColumns.map(() => `<col class="${v.truth ? 'c-truth' : 'c-extra'}">`).join('');
  const params = v.params.map(([k, val]) => `<li><span class="mono">${e(k)}=${e(val)}</span></li>`).join('');
  const failing = v.steps[v.failingIndex];
  const cmp = v.comparison;
  // the verdict box's words: a conformance trace judges C against the reference
  const [expectedLabel, observedLabel] = cmp ? ['reference', 'C'] : ['ground truth', 'observed'];
  const of = cmp ? `${v.steps[v.steps.length - 1].step}` : `${v.steps.length - 1}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${e(v.title)}</title>
<style>${CSS}</style>
</head>
<body data-failing="${v.failingIndex}" data-kind="${e(v.kind)}">
<header>
<h1>${e(v.title)}</h1>
<p class="prop"><b>${e(v.property.name)}</b> (${e(v.property.expectation)}): ${e(v.property.description)}</p>
<ul class="params">${params}${v.seed !== null ? `<li><span class="mono">seed=${e(v.seed)}</span></li>` : ''}</ul>
<div class="summary">
<div class="verdict" id="verdict"><b>${expectedLabel}</b><span>${e(v.expected)}</span><b>${observedLabel}</b><span class="obs">${e(v.observed)}</span><b>at</b><span>${failing.step === 0 && cmp ? 'set-up' : `step ${failing.step} of ${of}`}${v.truth ? `; per instant: the column &ldquo;${e(v.truth.column)}&rdquo;` : ''}</span></div>
${v.scenario ? scenarioTables(v.scenario) : ''}
</div>
${v.notes.map((n) => `<p class="notes">${e(n)}</p>`).join('\n')}
${opts.source ? `<p class="replay mono">replay: npx rmapcheck replay ${e(opts.source)}</p>` : ''}
<p class="help">Keys: <kbd>j</kbd>/<kbd>&darr;</kbd> next step, <kbd>k</kbd>/<kbd>&uarr;</kbd> previous, <kbd>g</kbd>/<kbd>G</kbd> first/last, <kbd>f</kbd> the failing step; click a row. Highlighted: ${cmp ? 'where the C folio differs from the reference (framed: the divergence)' : 'the fields the step changed'}.</p>
</header>
<main>
<div class="steps-wrap">
${
  cmp
    ? comparisonTable(v, cmp)
    : `<table id="steps">
<colgroup>${cols}</colgroup>
<thead><tr><th class="num">step</th>${head}<th class="shared-h">${v.kind === 'subid' ? 'folio after the step' : 'shared words changed'}</th>${extraHead}</tr></thead>
<tbody>
${v.steps.map((s, i) => stepRow(v, s, i)).join('\n')}
</tbody>
</table>`
}
</div>
<aside>
<h2>State after <span id="cur-step">${e(failing.step === 0 ? (cmp ? 'set-up' : 'initial state') : `step ${failing.step}`)}</span></h2>
<p class="sub">${cmp ? 'the C folio and the reference; highlighted where they differ' : '&#9679; changed by this step; integers also in hex'}</p>
<table id="state">
<colgroup><col class="c-name"><col class="c-val"><col class="c-hex"></colgroup>
<thead><tr><th>field</th>${cmp ? '<th>C</th><th>reference</th>' : '<th>value</th><th>hex</th>'}</tr></thead>
${v.steps.map((s, i) => (cmp ? comparisonPanel(v, cmp, s, i) : statePanel(v, s, i))).join('\n')}
</table>
</aside>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

/** The viewer page of a trace (every kind). */
export function renderTraceHtml(trace: Trace | ConformTrace | ConcurrentTrace, opts: ViewerOptions = {}): string {
  if (trace.kind !== 'conformance') return renderViewHtml(traceView(trace), opts);
  return renderViewHtml(trace.mode === 'concurrent' ? concurrentConformView(trace) : conformView(trace), opts);
}
