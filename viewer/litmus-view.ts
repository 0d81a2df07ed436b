/**
 * The witness of `rmapcheck litmus FILE --view OUT.html` as one self-contained page (inline CSS,
 * no script, no network): the verdict and counts, one column per thread with its events in
 * program order (the value each read or wrote, its tags, the write it reads from), then the rf
 * and co edges and the final state. Every piece of text goes through `escapeHtml` (a litmus file
 * is user input).
 */
import type { LitmusResult } from '../lkmm/check';
import { escapeHtml as e } from './html';

const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#7f7f00', '#000000'];

const CSS = `
body { margin: 1.5em; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1b1f24; }
code, td, .mono { font-family: ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
table { border-collapse: collapse; margin: .5em 0 1em; }
th, td { border: 1px solid #d8dde3; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f4f6f8; }
.verdict { font-weight: 600; }
.race { color: #c62828; font-weight: 600; }
.muted { color: #5a6270; }
`;

/** The page for one litmus result (`source`: the file it was read from). */
export function renderLitmusHtml(r: LitmusResult, source: string): string {
  const head = [
    `<h1>${e(r.name)}</h1>`,
    `<p class="muted">${e(source)} &middot; rmapcheck's LKMM checker</p>`,
    `<p><span class="verdict">${e(r.verdict)}</span> &middot; <code>${e(r.condition)}</code> &middot; positive ${r.positive}, negative ${r.negative} &middot; candidates ${r.candidates}, allowed ${r.allowed}</p>`,
    r.dataRace ? `<p class="race">data race flagged: the outcome is undefined</p><ul>${r.races.map((x) => `<li><code>${e(x.kind)}</code> on <code>${e(x.loc)}</code>: ${e(x.a)} <code>${e(x.instrs[0])}</code> vs ${e(x.b)} <code>${e(x.instrs[1])}</code></li>`).join('')}</ul>` : '<p>no data race flagged</p>',
  ];
  const w = r.witness;
  let body: string;
  if (!w) body = '<p>No witness: no allowed execution shows the outcome.</p>';
  else {
    const rfOf = new Map(w.rf.map((x) => [x.to, x.from]));
    const rows = Math.max(...w.threads.map((t) => t.events.length), 0);
    const header = w.threads.map((t, i) => `<th style="color:${COLOURS[i % COLOURS.length]}">${e(t.name)}</th>`).join('');
    const cells = Array.from({ length: rows }, (_, k) =>
      `<tr>${w.threads
        .map((t) => {
          const ev = t.events[k];
          if (!ev) return '<td></td>';
          const from = ev.kind === 'R' ? `<br><span class="muted">rf from ${e(rfOf.get(ev.id) ?? '?')}</span>` : '';
          return `<td><b>${e(ev.id)}</b> ${e(ev.kind)}[${e(ev.tags.join(','))}] ${e(ev.loc)}=${ev.value}<br>${e(ev.instr)}${from}</td>`;
        })
        .join('')}</tr>`,
    ).join('');
    body = [
      `<h2>Witness</h2><table><tr>${header}</tr>${cells}</table>`,
      `<h2>rf</h2><ul>${w.rf.map((x) => `<li><code>${e(x.from)} &rarr; ${e(x.to)}</code></li>`).join('')}</ul>`,
      `<h2>co</h2><ul>${w.co.map((c) => `<li><code>${e(c.loc)}: ${c.order.map(e).join(' &rarr; ')}</code></li>`).join('')}</ul>`,
      `<h2>Final state</h2><p><code>${[...Object.entries(w.registers), ...Object.entries(w.memory)].map(([k, v]) => `${e(k)}=${v};`).join(' ')}</code></p>`,
    ].join('\n');
  }
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${e(r.name)}: ${e(r.verdict)}</title><style>${CSS}</style></head><body>\n${head.join('\n')}\n${body}\n</body></html>\n`;
}
