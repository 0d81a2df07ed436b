// The `compare --report` page rendered in headless Chromium (Debian's `chromium`, driven by
// playwright-core, as test/viewer/browser.test.ts does): each chart has its bars and points, nothing
// drawn sticks out of its chart's box, the page does not overflow its width, no console error and
// no network request; light and dark; screenshots under test/output/ for a person to look at.
// Chromium is required: .ci/run installs it; if it is missing this test fails (it never skips).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'fs';
import { join } from 'path';
import { pathToFileURL } from 'url';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, OUT } from '../helpers/browser';
import { renderCompareReport } from '../../viewer/compare-report';
import type { CompareResult } from '../../checker/compare/result';
import { emptyFixture, fixture, RANDOM } from './compare-report.fixture';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

/** Writes the page of `r` to OUT/name.html and opens it; every page error, console error and
 *  non-file request is collected in `errors`. */
async function open(r: CompareResult, name: string, opts: { width?: number; dark?: boolean } = {}): Promise<{ page: Page; errors: string[] }> {
  const file = join(OUT, `${name}.html`);
  writeFileSync(file, renderCompareReport(r));
  const page = await browser.newPage({ viewport: { width: opts.width ?? 1400, height: 900 }, colorScheme: opts.dark ? 'dark' : 'light' });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('request', (req) => {
    if (!req.url().startsWith('file:')) errors.push(`network request: ${req.url()}`);
  });
  await page.goto(pathToFileURL(file).href);
  return { page, errors };
}

// The page's own measurements, as script text (the test's TypeScript has no DOM types).
/** Per chart: its bars and points, and every drawn element that ends outside the chart's box. */
const CHARTS = `(() => [...document.querySelectorAll('svg.chart')].map((svg) => {
  const box = svg.getBoundingClientRect();
  const out = [];
  for (const el of svg.querySelectorAll('text, rect, circle, path, line, polyline')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5)
      out.push(el.tagName + '.' + el.getAttribute('class') + ' "' + (el.textContent || '').slice(0, 30) + '" at ' + [r.left, r.top, r.right, r.bottom].map(Math.round).join(',') + ' outside ' + [box.left, box.top, box.right, box.bottom].map(Math.round).join(','));
  }
  // the group labels on the left must not run into the bars
  for (const g of svg.querySelectorAll('text.group-label')) {
    const axis = svg.querySelector('rect.bar');
    if (axis && g.getBoundingClientRect().right > axis.getBoundingClientRect().left + 0.5) out.push('label "' + g.textContent + '" runs into the bars');
  }
  return { id: svg.id, bars: svg.querySelectorAll('rect.bar').length, points: svg.querySelectorAll('g.pt').length, width: box.width, out: out.slice(0, 5) };
}))()`;

const PAGE_WIDTH = `[document.documentElement.scrollWidth, document.documentElement.clientWidth]`;

describe('compare report in Chromium', () => {
  it('the charts: bars and points as the result has them, nothing outside its box, no error; screenshot', async () => {
    const r = fixture();
    const { page, errors } = await open(r, 'compare-report');
    const charts = (await page.evaluate(CHARTS)) as Array<{ id: string; bars: number; points: number; width: number; out: string[] }>;
    const answered = r.workloads.flatMap((w) => w.designs).filter((d) => d.readerCalls > 0).length;
    expect(charts.map((c) => [c.id, c.bars, c.points])).toEqual([
      ['chart-rate', answered, 0],
      ['chart-mms', 0, 2 * RANDOM.length],
      ['chart-ops', 0, 2 * RANDOM.length],
    ]);
    for (const c of charts) {
      expect(c.out, c.id).toEqual([]);
      expect(c.width).toBeGreaterThan(600);
    }
    const [scroll, client] = (await page.evaluate(PAGE_WIDTH)) as number[];
    expect(scroll).toBeLessThanOrEqual(client);
    // the bars in the browser keep the proportions of the rates (getBBox: drawn lengths)
    const widths = (await page.evaluate(`[...document.querySelectorAll('#chart-rate rect.bar')].map((b) => [Number(b.dataset.group), Number(b.dataset.series), b.getBBox().width])`)) as [number, number, number][];
    const rate = (g: number, s: number) => r.workloads[g].designs[s].falseShared / r.workloads[g].designs[s].readerCalls;
    const [g0, s0, w0] = widths.reduce((a, b) => (b[2] > a[2] ? b : a));
    for (const [g, s, w] of widths) expect(w / w0).toBeCloseTo(rate(g, s) / rate(g0, s0), 2);
    // a trace link is there and points to the path as given
    expect(await page.locator('#counts a.trace').first().getAttribute('href')).toBe('rmapcheck-out/compare/double-fork-daemon-mm-id-falseShared.json');
    expect(await page.locator('#counts tbody tr').count()).toBe(2 * r.workloads.length);
    await page.screenshot({ path: join(OUT, 'compare-report.png'), fullPage: true });
    await page.locator('#charts').screenshot({ path: join(OUT, 'compare-report-charts.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('dark: the page and the charts follow the reader\'s setting; a narrow window scrolls the table, not the page', async () => {
    const light = await open(fixture(), 'compare-report');
    const dark = await open(fixture(), 'compare-report-dark', { dark: true, width: 900 });
    const colours = (p: Page) =>
      p.evaluate(`[getComputedStyle(document.body).backgroundColor, getComputedStyle(document.querySelector('#chart-rate text.tick')).fill, getComputedStyle(document.querySelector('#chart-rate rect.bar')).fill]`) as Promise<string[]>;
    const [lb, lt, lbar] = await colours(light.page);
    const [db, dt, dbar] = await colours(dark.page);
    const lum = (rgb: string) => rgb.match(/\d+/g)!.slice(0, 3).map(Number).reduce((a, b) => a + b, 0) / 3;
    expect(lum(lb)).toBeGreaterThan(200);
    expect(lum(db)).toBeLessThan(60);
    expect(lum(dt)).toBeGreaterThan(lum(lt)); // tick text lighter on the dark page
    expect(dbar).not.toBe(lbar);
    const charts = (await dark.page.evaluate(CHARTS)) as Array<{ id: string; out: string[] }>;
    for (const c of charts) expect(c.out, c.id).toEqual([]);
    const [scroll, client] = (await dark.page.evaluate(PAGE_WIDTH)) as number[];
    expect(scroll).toBeLessThanOrEqual(client);
    await dark.page.screenshot({ path: join(OUT, 'compare-report-dark.png'), fullPage: true });
    expect([...light.errors, ...dark.errors]).toEqual([]);
    await light.page.close();
    await dark.page.close();
  });

  it('an empty result renders without error', async () => {
    const { page, errors } = await open(emptyFixture(), 'compare-report-empty');
    const charts = (await page.evaluate(CHARTS)) as Array<{ id: string; bars: number; points: number; out: string[] }>;
    expect(charts.map((c) => [c.id, c.bars, c.points, c.out])).toEqual([
      ['chart-rate', 0, 0, []],
      ['chart-mms', 0, 0, []],
      ['chart-ops', 0, 0, []],
    ]);
    expect(await page.locator('#counts tbody').textContent()).toContain('No workloads were run.');
    await page.screenshot({ path: join(OUT, 'compare-report-empty.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});
