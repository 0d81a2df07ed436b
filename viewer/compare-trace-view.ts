/**
 * The page of a compare trace (`rmapcheck view TRACE` of kind "compare"): one self-contained HTML
 * page (inline CSS and script, no network), the workload's operations as a step table with the
 * ground truth and the design's state after each, every reader call / COW decision of the step,
 * and the recorded disagreements framed. j/k move the current row, f jumps to the next recorded
 * disagreement. Pure: steps in, HTML out; every piece of trace text goes through `escapeHtml`.
 */
import { escapeHtml as e } from './html';
import type { CompareStep, CompareTrace } from '../checker/compare/trace';

const KIND_WORDS: Readonly<Record<string, string>> = {
  falseShared: 'false "shared": the reader says shared, only the asking MM maps the folio',
  falseExclusive: 'false "exclusive": the reader says exclusive, another MM maps the folio',
  lostReuse: 'lost reuse: COW copies, a perfect oracle reuses (sole owner, refcount == mapcount)',
  wrongReuse: 'wrong reuse: COW reuses, the oracle copies',
  warning: 'a sanity check (VM_WARN_ON) of the COW path fires',
};

const CSS = `
body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1b1f24; }
header { padding: 10px 18px; border-bottom: 1px solid #d8dde3; background: #f7f8fa; position: sticky; top: 0; z-index: 2; }
h1 { font-size: 18px; margin: 0 0 4px; }
.muted { color: #5a6270; }
code, td { font-family: ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
table { border-collapse: collapse; margin: 8px 18px 40px; }
th, td { border-bottom: 1px solid #eef0f2; padding: 3px 8px; text-align: left; vertical-align: top; }
th { position: sticky; top: 84px; background: #fff; color: #5a6270; font-family: inherit; }
tr.bad td { background: #fdecea; }
tr.bad td.call { color: #c62828; font-weight: 700; }
tr.cur td { outline: 2px solid #1565c0; outline-offset: -2px; }
.verdict { border: 1px solid #c62828; background: #fdecea; border-radius: 6px; padding: 4px 10px; display: inline-block; }
kbd { border: 1px solid #b9c0c8; border-radius: 3px; padding: 0 4px; font-size: 11px; }
`;

const SCRIPT = `
(function () {
  var rows = Array.prototype.slice.call(document.querySelectorAll('tbody tr'));
  var cur = -1;
  function go(i) {
    if (i < 0 || i >= rows.length) return;
    if (cur >= 0) rows[cur].classList.remove('cur');
    cur = i; rows[cur].classList.add('cur');
    rows[cur].scrollIntoView({ block: 'center' });
  }
  document.addEventListener('keydown', function (ev) {
    if (ev.key === 'j' || ev.key === 'ArrowDown') go(cur + 1);
    else if (ev.key === 'k' || ev.key === 'ArrowUp') go(cur - 1);
    else if (ev.key === 'f') {
      for (var i = 1; i <= rows.length; i++) { var j = (cur + i) % rows.length; if (rows[j].classList.contains('bad')) { go(j); break; } }
    } else return;
    ev.preventDefault();
  });
})();
`;

/** The page; `recorded[i]` marks the steps (op indices) with a recorded disagreement. */
export function renderCompareTraceHtml(t: CompareTrace, steps: readonly CompareStep[], opts: { source: string; replayLine: string }): string {
  const bad = new Set(t.calls.map((c) => c.op));
  const stateKeys = steps.length ? Object.keys(steps[steps.length - 1].state) : [];
  const callText = (s: CompareStep) =>
    s.calls
      .map((c) => `${c.mm}: ${c.answer}${c.answer !== c.truth ? ` (truth: ${c.truth})` : ''} [${c.rule}]${c.warnings.map((w) => ` WARNING ${w}`).join('')}`)
      .map(e)
      .join('<br>');
  const body = steps
    .map(
      (s) =>
        `<tr id="step-${s.op}"${bad.has(s.op) ? ' class="bad"' : ''}><td>${s.op}</td><td>${e(s.operation)}</td><td>${e(s.truth)}</td>` +
        stateKeys.map((k) => `<td>${e(s.state[k] ?? '')}</td>`).join('') +
        `<td class="call">${callText(s)}</td></tr>`,
    )
    .join('\n');
  const w = t.workload;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${e(`compare: ${w.name} ${t.design} ${t.disagreement}`)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${CSS}</style></head>
<body><header>
<h1>${e(`${t.design} on workload ${w.name}`)}</h1>
<div class="verdict">${e(KIND_WORDS[t.disagreement] ?? t.disagreement)}: ${t.calls.length} call${t.calls.length === 1 ? '' : 's'} (operation${t.calls.length === 1 ? '' : 's'} ${e([...bad].join(', '))})</div>
<div class="muted">${e(w.description)} · order ${w.order} (P = ${2 ** w.order}), ${e(w.folio)} folio · scheme ${e(String(t.scheme.name))} · ${e(t.source)}${t.seed !== null ? ` seed ${e(t.seed)}` : ''} · ${e(opts.source)}</div>
<div class="muted"><code>${e(opts.replayLine)}</code> · <kbd>j</kbd>/<kbd>k</kbd> step, <kbd>f</kbd> next disagreement</div>
</header>
<table><thead><tr><th>op</th><th>operation</th><th>ground truth after it</th>${stateKeys.map((k) => `<th>${e(k)}</th>`).join('')}<th>calls (answer [rule])</th></tr></thead>
<tbody>
${body}
</tbody></table>
<script>${SCRIPT}</script>
</body></html>
`;
}
