// Issue #9 item 28, in Chromium at 1400 x 900: the steps table fits its pane (the "shared words
// changed" column and the ground-truth column are not cut off), a row reached by `#step-N`, by
// the keys or by a hash change is not hidden under the sticky column header, and a minimized
// trace shows its scenario as tables. Screenshots go to test/output/view-layout-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openTrace, OUT } from '../helpers/browser';
import { runCli } from '../helpers/cli';
import { replayModelTrace } from '../../checker/model-trace';
import type { ModelTrace } from '../../checker/trace';

const TRACES = join(__dirname, '..', 'traces');
let browser: Browser;
let minimized: string;

beforeAll(async () => {
  browser = await launchBrowser();
  // a minimized rmap trace: its params carry the scenario as inline JSON
  minimized = join(OUT, 'view-layout-minimized.json');
  const r = await runCli('minimize', join(TRACES, 'rmap-no-retry-linearizable.json'), '--out', minimized, '--force');
  expect(r.code).toBe(1);
});

afterAll(async () => {
  await browser?.close();
});

// The page's own measurements, as script text (the test's TypeScript has no DOM types).
interface Overflow {
  scrollWidth: number;
  clientWidth: number;
  cut: string[];
}
interface Placement {
  step: string;
  top: number;
  bottom: number;
  headBottom: number;
  paneBottom: number;
}

/** Horizontal overflow of the steps pane, of every header and cell, and of every chip, in px. */
const OVERFLOW = `(() => {
  const wrap = document.querySelector('.steps-wrap');
  const right = wrap.getBoundingClientRect().left + wrap.clientWidth;
  const cut = [];
  for (const el of document.querySelectorAll('#steps th, #steps td')) {
    const r = el.getBoundingClientRect();
    if (r.right > right + 0.5) cut.push((el.className || el.tagName) + ' ends at ' + Math.round(r.right) + ' > ' + Math.round(right));
    // content wider than its cell (a chip or a word that does not wrap)
    if (el.scrollWidth > el.clientWidth + 1) cut.push((el.className || el.tagName) + ' content ' + el.scrollWidth + ' > ' + el.clientWidth);
  }
  for (const chip of document.querySelectorAll('#steps td .chg')) {
    const cell = chip.closest('td').getBoundingClientRect();
    if (chip.getBoundingClientRect().right > cell.right + 0.5) cut.push('chip "' + chip.textContent + '" sticks out of its cell');
  }
  return { scrollWidth: wrap.scrollWidth, clientWidth: wrap.clientWidth, cut: cut.slice(0, 5) };
})()`;

/** The current row's top and bottom against the sticky header's bottom and the pane's bottom. */
const PLACEMENT = `(() => {
  const cur = document.querySelector('#steps tr.step.current');
  const row = cur.getBoundingClientRect();
  const head = document.querySelector('#steps thead th').getBoundingClientRect();
  const wrap = document.querySelector('.steps-wrap').getBoundingClientRect();
  return { step: cur.getAttribute('data-step'), top: row.top, bottom: row.bottom, headBottom: head.bottom, paneBottom: wrap.bottom };
})()`;

const overflow = (page: Page) => page.evaluate(OVERFLOW) as Promise<Overflow>;
const placement = (page: Page) => page.evaluate(PLACEMENT) as Promise<Placement>;

function expectClear(p: Placement): void {
  expect(p.top).toBeGreaterThanOrEqual(p.headBottom - 0.5);
  expect(p.top).toBeLessThan(p.paneBottom);
}

describe('viewer layout at 1400 px', () => {
  it.each([
    ['minimized', () => minimized],
    ['livelock', () => join(TRACES, 'rmap-livelock-finishes-R0.json')],
    ['seqcount', () => join(TRACES, 'seqcount-no-retry-snapshot.json')],
    ['subid', () => join(TRACES, 'subid-order7-soundness.json')],
  ])('%s: every column fits the pane, nothing is cut off', async (name, file) => {
    const { page } = await openTrace(browser, file(), `view-layout-${name}`);
    for (const step of ['0', 'f']) {
      if (step === '0') await page.keyboard.press('g');
      else await page.keyboard.press('f');
      const o = await overflow(page);
      expect(o.cut).toEqual([]);
      expect(o.scrollWidth).toBeLessThanOrEqual(o.clientWidth);
    }
    await page.screenshot({ path: join(OUT, `view-layout-${name}.png`) });
    await page.close();
  });

  it('a minimized trace: the scenario as tables of MMs and threads, no raw JSON; the ground-truth column', async () => {
    const { page, t } = await openTrace(browser, minimized, 'view-layout-minimized');
    const mt = t as ModelTrace;
    expect(replayModelTrace(mt, minimized).reproduced).toBe(true);
    const sc = JSON.parse(String(mt.params.scenario)) as { mms: { name: string }[]; threads: { name: string }[] };
    expect(await page.locator('header').textContent()).not.toContain('{"');
    expect(await page.locator('#scenario table.scenario-mms tbody tr td:first-child').allTextContents()).toEqual(sc.mms.map((m) => m.name));
    expect(await page.locator('#scenario table.scenario-threads tbody tr td:first-child').allTextContents()).toEqual(sc.threads.map((x) => x.name));
    expect(await page.locator('#scenario').isVisible()).toBe(true);
    expect(await page.locator('#steps thead th.extra').textContent()).toBe('ideal decision for A');
    expect(await page.locator('#steps tr.step.failing td.extra').textContent()).toBe('R0 answered exclusive');
    expect(await page.locator('#verdict').textContent()).toContain("at every instant of R0's read window");
    await page.close();
  });

  it('#step-N, the keys and a hash change leave the row below the sticky header', async () => {
    const file = join(TRACES, 'rmap-livelock-finishes-R0.json');
    const { page } = await openTrace(browser, file, 'view-layout-hash', { hash: '#step-60' });
    let p = await placement(page);
    expect(p.step).toBe('60');
    expectClear(p);
    await page.screenshot({ path: join(OUT, 'view-layout-hash.png') });
    // upwards with the keys: each row scrolled to stays clear of the header
    for (let i = 0; i < 25; i++) await page.keyboard.press('k');
    p = await placement(page);
    expect(p.step).toBe('35');
    expectClear(p);
    // downwards past the bottom of the pane
    for (let i = 0; i < 40; i++) await page.keyboard.press('j');
    p = await placement(page);
    expect(p.step).toBe('75');
    expectClear(p);
    expect(p.bottom).toBeLessThanOrEqual(p.paneBottom + 0.5);
    // a hash typed into the address bar selects and shows that step
    await page.evaluate("location.hash = '#step-150'");
    await page.waitForFunction("document.querySelector('#steps tr.step.current').getAttribute('data-step') === '150'");
    p = await placement(page);
    expectClear(p);
    // and a fresh load at a row above the failing one, which the browser scrolls to itself
    const again = await openTrace(browser, file, 'view-layout-hash', { hash: '#step-3' });
    p = await placement(again.page);
    expect(p.step).toBe('3');
    expectClear(p);
    await again.page.close();
    await page.close();
  });
});
