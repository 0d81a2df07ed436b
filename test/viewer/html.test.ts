// The viewer's renderer is pure (trace in, HTML out): structure and escaping are checked on the
// string; test/viewer/browser.test.ts checks the rendered page and the keyboard in Chromium.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'fs';
import { join } from 'path';
import { parseTrace, ModelTrace } from '../../checker/trace';
import { renderTraceHtml, escapeHtml } from '../../viewer/html';
import { traceView, splitValue } from '../../viewer/view-model';

const load = (name: string) => {
  const f = join(__dirname, '..', 'traces', name);
  return parseTrace(readFileSync(f, 'utf8'), f);
};
const count = (html: string, re: RegExp) => (html.match(re) ?? []).length;

describe('trace viewer HTML', () => {
  it('a model trace: one row per step plus the initial state, one column per thread, the failing step marked', () => {
    const t = load('seqcount-no-retry-snapshot.json') as ModelTrace;
    const html = renderTraceHtml(t, { source: 'test/traces/seqcount-no-retry-snapshot.json' });
    expect(count(html, /<tr class="step[ "]/g)).toBe(t.steps.length + 1);
    expect(count(html, /<th class="thread"/g)).toBe(t.threads.length);
    expect(count(html, /<tr class="step failing/g)).toBe(1);
    expect(html).toContain(`id="step-${t.steps.length}"`);
    expect(html).toContain('replay: npx rmapcheck replay test/traces/seqcount-no-retry-snapshot.json');
    // the seqcount word decoded, and decimal integers also in hex
    expect(html).toContain('shared writers 1, sequence 0');
    expect(html).toMatch(/<td class="name">&#9679; mapcount<\/td><td class="val">1<\/td><td class="hex">0x1<\/td>/);
  });

  it('self-contained: no external resources, no network', () => {
    const html = renderTraceHtml(load('rmap-no-retry-linearizable.json'));
    expect(html).not.toMatch(/<(link|img|iframe)\b/i);
    expect(html).not.toMatch(/\b(src|href)=/i);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).toContain("default-src 'none'");
  });

  it('a sub-ID trace: one column per MM, the reader\'s answer beside the truth', () => {
    const t = load('subid-order7-soundness.json');
    const v = traceView(t);
    expect(v.columns).toEqual(['q', 'm1', 'm2', 'm3', 'm4']);
    expect(v.extraColumns).toEqual(['reader (q)', 'truth']);
    expect(v.steps[v.steps.length - 1].extras).toEqual(['exclusive', 'shared']);
    expect(v.steps[v.failingIndex].failing).toBe(true);
    const html = renderTraceHtml(t);
    expect(count(html, /<th class="thread"/g)).toBe(5);
    expect(html).toContain('I4-soundness refuted here');
  });

  it('a lasso: the loop rows are marked and the loop start named', () => {
    const t = load('rmap-livelock-finishes-R0.json') as ModelTrace;
    const v = traceView(t);
    expect(v.loopIndex).toBe(t.loopStart! + 1);
    expect(v.steps.filter((s) => s.inLoop).length).toBe(t.steps.length - t.loopStart!);
    expect(renderTraceHtml(t)).toContain(`Steps ${t.loopStart! + 1}..${t.steps.length} repeat forever`);
  });

  it('escapes every piece of trace text', () => {
    const t = load('seqcount-no-retry-snapshot.json') as ModelTrace;
    const evil = '<script>alert(1)</script>"\'&';
    const bad: ModelTrace = {
      ...t,
      threads: [evil, ...t.threads.slice(1)],
      steps: t.steps.map((s) => ({ ...s, action: evil, thread: s.thread === t.threads[0] ? evil : s.thread, state: { ...s.state, [evil]: evil } })),
      property: { ...t.property, description: evil },
      expected: evil,
    };
    const html = renderTraceHtml(bad, { source: evil });
    expect(html).not.toContain('<script>alert');
    expect(html).toContain(escapeHtml(evil));
    expect(count(html, /<script>/g)).toBe(1); // the viewer's own script only
  });

  it('splits a displayed value into raw, hex and decoding', () => {
    expect(splitValue('0x0000000000000001 (shared writers 1, sequence 0)')).toEqual({ value: '0x0000000000000001', hex: '0x0000000000000001', decoded: 'shared writers 1, sequence 0' });
    expect(splitValue('255')).toEqual({ value: '255', hex: '0xff', decoded: null });
    expect(splitValue('3 (page mapcounts 1 1 1 0)')).toEqual({ value: '3', hex: '0x3', decoded: 'page mapcounts 1 1 1 0' });
    expect(splitValue('BEGIN ops=0')).toEqual({ value: 'BEGIN ops=0', hex: null, decoded: null });
  });
});
