/** `view TRACE --out FILE.html`: the trace as one self-contained HTML page (viewer/html.ts). */
import { renderTraceHtml } from '../viewer/html';
import { loadReproducedTrace } from './replay';
import { checkOutputFile, writeFileAtomic } from '../checker/files';

/** Default page path: next to the trace, `.json` replaced by `.html`. */
export function defaultViewPath(trace: string): string {
  return trace.replace(/\.json$/i, '') + '.html';
}

/**
 * Renders `file` to `out` atomically (a bad trace or an unwritable path is a one-line UsageError
 * and leaves no file behind). Only a trace that replays is shown: the page presents it as a
 * violation, so it must be one, as `replay` judges it.
 */
export function runView(file: string, out: string | undefined, force: boolean) {
  const target = out ?? defaultViewPath(file);
  checkOutputFile(target, [file]);
  const trace = loadReproducedTrace(file);
  const html = renderTraceHtml(trace, { source: file });
  writeFileAtomic(target, html, force);
  const steps = trace.steps.length;
  return {
    json: { trace: file, out: target, kind: trace.kind, steps, property: trace.property.name },
    text: `wrote ${target} (${steps} steps, ${trace.kind === 'model' ? trace.threads.length + ' threads' : 'sub-ID trace'}); open it in a browser: j/k step, f the failing step`,
    exitCode: 0,
  };
}
