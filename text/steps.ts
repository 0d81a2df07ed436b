/**
 * A model trace for a person: one row per step with the thread, the action in the kernel's
 * words and the fields that changed; then the final state in full. Shown by the CLI (check,
 * explore, replay) and in the vitest integration's failure messages.
 */
import { ModelTrace } from '../checker/trace';
import { renderTable } from './table';
import { outputWidth, paint, useColour } from './term';

/** Fields of `now` that differ from `before`, as `name=value`. */
export function changedFields(before: Record<string, string>, now: Record<string, string>): string {
  return Object.keys(now)
    .filter((k) => before[k] !== now[k])
    .map((k) => `${k}=${now[k]}`)
    .join(' ');
}

/**
 * The step table of a model trace. `maxWidth` (default: the terminal's width when stdout is one)
 * wraps long cells; `colour` (default: a terminal without NO_COLOR) marks the property line.
 */
export function renderModelTrace(t: ModelTrace, opts: { maxWidth?: number; colour?: boolean } = {}): string {
  const maxWidth = 'maxWidth' in opts ? opts.maxWidth : outputWidth();
  const colour = opts.colour ?? useColour();
  let prev = t.initial.state;
  const rows = t.steps.map((s) => {
    const row = [
      (t.loopStart !== null && s.step === t.loopStart + 1 ? '@' : '') + String(s.step),
      s.thread,
      s.action,
      changedFields(prev, s.state),
    ];
    prev = s.state;
    return row;
  });
  const final = t.steps.length ? t.steps[t.steps.length - 1].state : t.initial.state;
  const lines = [
    paint(colour, 'red', `property ${t.property.name} (${t.property.expectation}): ${t.property.description}`),
    '',
    renderTable(['step', 'thread', 'action', 'changed (state after the step)'], rows, { maxWidth }),
  ];
  if (t.loopStart !== null) lines.push(`(the steps from @${t.loopStart + 1} on repeat forever: a lasso)`);
  lines.push('', 'final state:', renderTable(['field', 'value'], Object.entries(final).map(([k, v]) => [k, v]), { maxWidth }));
  return lines.join('\n');
}

/** Model parameters on one line, long values (an inline scenario) shortened. */
export function formatParams(params: Readonly<Record<string, unknown>>, max = 40): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${String(v).length > max ? String(v).slice(0, max - 3) + '...' : String(v)}`)
    .join(' ');
}
