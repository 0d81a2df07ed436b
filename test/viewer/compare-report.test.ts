// The `compare --report` page is pure (result in, HTML out): its content, figures and escaping are
// checked on the string here, on a result built by hand (test/viewer/compare-report.fixture.ts);
// test/viewer/compare-report.browser.test.ts renders it in Chromium.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { escapeHtml } from '../../viewer/html';
import { MAX_BAR_GROUPS, pathHref, percent, renderCompareReport } from '../../viewer/compare-report';
import { niceTicks, trend } from '../../viewer/svg-chart';
import type { CompareResult, CompareWorkload } from '../../checker/compare/result';
import { emptyFixture, fixture, HOSTILE, RANDOM } from './compare-report.fixture';

const count = (html: string, re: RegExp) => (html.match(re) ?? []).length;

/** The `<svg>` of one chart. */
function chart(html: string, id: string): string {
  const m = new RegExp(`<svg id="${id}"[\\s\\S]*?</svg>`).exec(html);
  expect(m, id).not.toBeNull();
  return m![0];
}

/** The text of the cells of the counts table's row of (workload index, design), tags removed. */
function rowCells(html: string, wi: number, design: string): string[] {
  const m = new RegExp(`<tr class="(?:first|next)" data-workload="${wi}" data-design="${design}">([\\s\\S]*?)</tr>`).exec(html);
  expect(m, `row ${wi} ${design}`).not.toBeNull();
  return [...m![1].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => c[1].replace(/<[^>]+>/g, '').trim());
}

/** Every href of the page. */
const hrefs = (html: string) => [...html.matchAll(/\bhref="([^"]*)"/g)].map((m) => m[1]);

describe('compare report HTML', () => {
  const r = fixture();
  const html = renderCompareReport(r);

  it('every workload and design appears: a table row each, a bar group each, in the fallback text too', () => {
    const bars = chart(html, 'chart-rate');
    r.workloads.forEach((w, wi) => {
      for (const d of w.designs) expect(rowCells(html, wi, d.design)).toContain(d.design);
      expect(html).toContain(`data-workload="${wi}">${escapeHtml(w.name)}</th>`);
      expect(bars).toContain(`<g class="group" data-group="${wi}"><title>${escapeHtml(w.name)}</title>`);
    });
    expect(count(html, /<tr class="(first|next)" data-workload=/g)).toBe(2 * r.workloads.length);
    // a name too wide for the label margin is shortened in the middle, whole in its title
    const wide = `workloads/${'W'.repeat(40)}.json`;
    expect(bars).toContain(`<title>${wide}</title>`);
    expect(bars).toMatch(/>workloads\/W+\u2026W+\.json<\/text>/);
    // both designs in each legend, by their names in the kernel's words
    for (const id of ['chart-rate', 'chart-mms', 'chart-ops']) {
      expect(chart(html, id)).toContain('rmap ID (sub-ID math)');
      expect(chart(html, id)).toContain('MM owner tracking (MM id)');
    }
  });

  it('the table\'s counts and rates are the result\'s (rates worked out by hand)', () => {
    r.workloads.forEach((w, wi) =>
      w.designs.forEach((d) => {
        const cells = rowCells(html, wi, d.design);
        const at = cells.indexOf(d.design);
        const nums = cells.slice(at + 1, at + 10);
        expect(nums[0]).toBe(d.readerCalls.toLocaleString('en-US'));
        expect(nums[1]).toBe(String(d.falseShared));
        expect([nums[3], nums[4], nums[5], nums[6], nums[7], nums[8]]).toEqual(
          [d.falseExclusive, d.cowDecisions, d.cowReuses, d.lostReuse, d.wrongReuse, d.warnings].map(String),
        );
      }),
    );
    const rate = (name: string, design: string) => {
      const wi = r.workloads.findIndex((w) => w.name === name);
      const cells = rowCells(html, wi, design);
      return cells[cells.indexOf(design) + 3];
    };
    expect(rate('worker-pool', 'mm-id')).toBe('34.2%'); // 41 / 120
    expect(rate('worker-pool', 'rmap-id')).toBe('2.50%'); // 3 / 120
    expect(rate('double-fork-daemon', 'mm-id')).toBe('13.3%'); // 4 / 30
    expect(rate('double-fork-daemon', 'rmap-id')).toBe('0%');
    expect(rate('three-mms-file-folio', 'rmap-id')).toBe('&ndash;'); // no reader calls
    // the totals table: the sums of the fixture's counts
    const totals = /<tr data-design="mm-id">([\s\S]*?)<\/tr>/.exec(html.slice(html.indexOf('id="totals"')))![1];
    const mm = r.workloads.map((w) => w.designs[1]);
    expect(totals).toContain(`<td class="n">${mm.reduce((a, d) => a + d.readerCalls, 0).toLocaleString('en-US')}</td>`);
    // a violation count is highlighted, a zero is not
    expect(rowCells(html, 4, 'rmap-id')).toContain('2');
    expect(html).toMatch(/<td class="n bad">2<\/td>/);
    expect(html).toMatch(/<td class="n bad">1<\/td>/);
  });

  it('one bar per design that answered reader calls, lengths proportional to the rates, the value at each bar', () => {
    const svg = chart(html, 'chart-rate');
    const bars = [...svg.matchAll(/<rect class="bar" data-group="(\d+)" data-series="(\d+)" x="[\d.]+" y="[\d.]+" width="([\d.]+)"/g)].map((m) => ({
      d: r.workloads[Number(m[1])].designs[Number(m[2])],
      width: Number(m[3]),
    }));
    const answered = r.workloads.flatMap((w) => w.designs).filter((d) => d.readerCalls > 0);
    expect(bars.length).toBe(answered.length);
    const widest = bars.reduce((a, b) => (b.width > a.width ? b : a));
    for (const b of bars) expect(b.width / widest.width).toBeCloseTo(b.d.falseShared / b.d.readerCalls / (widest.d.falseShared / widest.d.readerCalls), 2);
    expect(count(svg, /<text class="value"[^>]*>/g)).toBe(answered.length);
    expect(svg).toContain('>34.2%</text>');
    expect(count(svg, />no reader calls<\/text>/g)).toBe(1);
    expect(svg).toMatch(/<title id="chart-rate-title">[^<]+<\/title><desc id="chart-rate-desc">/);
  });

  it('the growth charts: a point per randomized workload and design, none for the presets', () => {
    for (const id of ['chart-mms', 'chart-ops']) {
      const svg = chart(html, id);
      expect(count(svg, /<g class="pt" data-series="0">/g)).toBe(RANDOM.length);
      expect(count(svg, /<g class="pt" data-series="1">/g)).toBe(RANDOM.length);
      expect(svg).not.toContain('worker-pool');
      expect(count(svg, /<polyline class="mean"/g)).toBe(2);
      expect(svg).toMatch(new RegExp(`<title id="${id}-title">`));
    }
    // a point's title names its workload, x and rate: random-mixed-6 has 5 MMs, 640 operations, 213 / 640 for mm-id
    expect(chart(html, 'chart-mms')).toContain('<title>random-mixed-6, MM owner tracking (MM id): 5 MMs, false “shared” 33.3% (213 of 640 reader calls)</title>');
    expect(chart(html, 'chart-ops')).toContain('<title>random-mixed-6, MM owner tracking (MM id): 640 operations,');
  });

  it('a text fallback for every chart, and links to every trace with its path as given', () => {
    expect(count(html, /<details class="fallback">/g)).toBe(3);
    const traces = r.workloads.flatMap((w) => w.designs.flatMap((d) => d.traces));
    expect(count(html, /<a class="trace" /g)).toBe(traces.length);
    for (const t of traces) expect(html).toContain(`title="${escapeHtml(t)}"`);
    expect(hrefs(html)).toContain('rmapcheck-out/compare/worker-pool-mm-id-falseShared.json');
    expect(hrefs(html)).toContain('rmapcheck-out/compare/a%20b%23c%3Fd.json');
    // compare can make the links relative to the report's folder
    const moved = renderCompareReport(r, { traceHref: (p) => `../${p}` });
    expect(hrefs(moved)).toContain('../rmapcheck-out/compare/x.json');
    // whatever the mapping returns, a link cannot run script
    const unsafe = renderCompareReport(r, { traceHref: (p) => (p.endsWith('x.json') ? 'javascript:alert(1)' : p) });
    expect(hrefs(unsafe)).toContain('./javascript:alert(1)');
    expect(hrefs(unsafe).filter((h) => /^javascript:/i.test(h))).toEqual([]);
  });

  it('escapes every piece of result text; a trace path cannot become a javascript: URL', () => {
    expect(html).not.toMatch(/<script/i); // the page has no script, and the hostile name is text
    expect(html).toContain(escapeHtml(HOSTILE));
    for (const h of hrefs(html)) expect(h).not.toMatch(/^[a-z][a-z0-9+.-]*:/i);
    expect(hrefs(html)).toContain(escapeHtml(pathHref(`javascript:alert(1)/${HOSTILE}.json`)));
    // in every other field as well
    const evil: CompareResult = { ...r, seed: HOSTILE, scheme: HOSTILE, repeat: HOSTILE, workloads: r.workloads.map((w) => ({ ...w, designs: w.designs.map((d) => ({ ...d, design: HOSTILE as 'mm-id' })) })) };
    const out = renderCompareReport(evil);
    expect(out).not.toMatch(/<script/i);
    expect(out).not.toContain(`"${HOSTILE}`);
  });

  it('self-contained: no external URL, no resource to load, a CSP that forbids loading', () => {
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<(link|img|iframe|object|embed)\b/i);
    expect(html).not.toMatch(/\bsrc=/i);
    expect(html).not.toMatch(/url\(/i);
    expect(html).toContain("default-src 'none'");
    for (const h of hrefs(html)) expect(h).not.toMatch(/^\/\//);
  });

  it('an empty result renders: no bars, no points, the table says nothing ran', () => {
    const out = renderCompareReport(emptyFixture());
    expect(count(out, /<svg id="chart-/g)).toBe(3);
    expect(count(out, /<rect class="bar"/g)).toBe(0);
    expect(count(out, /<g class="pt"/g)).toBe(0);
    expect(out).toContain('No workloads were run.');
    expect(out).toContain('>no workloads</text>');
    expect(out).toContain('verdict: incomplete');
    expect(out).not.toMatch(/NaN|undefined|Infinity/);
    expect(html).not.toMatch(/NaN|undefined|Infinity/);
  });

  it(`past ${MAX_BAR_GROUPS} workloads the bar chart pools each randomized family (its counts summed)`, () => {
    const base = fixture();
    const named = base.workloads.filter((w) => w.params.source !== 'random');
    const random = base.workloads.filter((w) => w.params.source === 'random');
    const runs: CompareWorkload[] = Array.from({ length: MAX_BAR_GROUPS + 5 }, (_, i) => ({ ...random[i % random.length], name: `random-big-${i}` }));
    const big = { ...base, workloads: [...named, ...runs] };
    const out = renderCompareReport(big);
    const svg = chart(out, 'chart-rate');
    expect(count(svg, /<g class="group"/g)).toBe(named.length + 1);
    expect(svg).toContain(`random-big-* (${runs.length} runs pooled)`);
    const sum = (k: 'readerCalls' | 'falseShared') => runs.reduce((a, w) => a + w.designs[1][k], 0);
    expect(svg).toContain(`>${percent(sum('falseShared') / sum('readerCalls'))}</text>`);
    // every run is still a point of the growth charts and a row of the table
    expect(count(chart(out, 'chart-mms'), /<g class="pt"/g)).toBe(2 * runs.length);
    expect(count(out, /<tr class="(first|next)" data-workload=/g)).toBe(2 * big.workloads.length);
  });

  it('the trend line: the mean per value, or per range of values past eight of them', () => {
    const pts = (xs: number[], y: (x: number) => number) => xs.map((x) => ({ x, y: y(x), detail: '' }));
    expect(trend(pts([2, 2, 3, 5], (x) => x * 10).concat(pts([2], () => 50)))).toEqual([[2, 30], [3, 30], [5, 50]]);
    // 20 distinct x on y = x: four bins, each at its own mean, still on y = x
    const binned = trend(pts(Array.from({ length: 20 }, (_, i) => i + 1), (x) => x));
    expect(binned.length).toBe(4);
    for (const [x, y] of binned) expect(y).toBeCloseTo(x, 9);
    expect(binned.map(([x]) => x)).toEqual([3, 8, 13, 18]);
    // bins of width 19/4 over 1..20: x 1-5, 6-10, 11-15, 16-20 (a step at 10 stays sharp)
    expect(trend(pts(Array.from({ length: 20 }, (_, i) => i + 1), (x) => (x <= 10 ? 1 : 0)))).toEqual([[3, 1], [8, 1], [13, 0], [18, 0]]);
  });

  it('axis ticks: a 1-2-5 step, covering the range, not too many', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.double({ min: 1e-6, max: 1e6, noNaN: true }), fc.integer({ min: 2, max: 8 }), fc.boolean(), (lo, span, n, integer) => {
        const { ticks, step } = niceTicks(lo, lo + span, n, integer);
        const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
        expect([1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-6)).toBe(true);
        expect(ticks[0]).toBeLessThanOrEqual(lo + 1e-9 * Math.max(1, lo));
        expect(ticks[ticks.length - 1]).toBeGreaterThanOrEqual((lo + span) * (1 - 1e-9));
        expect(ticks.length).toBeLessThanOrEqual(2 * n + 3);
        if (integer) for (const t of ticks) expect(Number.isInteger(t)).toBe(true);
      }),
      { numRuns: 300 },
    );
    expect(niceTicks(0, 0.413, 5).ticks).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(percent(0.1, 0.1)).toBe('10%');
    expect(percent(0.025, 0.005)).toBe('2.5%');
  });
});
