// The viewer page rendered in headless Chromium (Debian's `chromium`, driven by playwright-core):
// rows, thread columns, the failing step highlighted, keyboard stepping, and a screenshot under
// test/output/ for a person to look at. Chromium is required: .ci/run installs it; if it is
// missing this test fails (it never skips silently).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'fs';
import { join } from 'path';
import type { Browser, Page } from 'playwright-core';
import { ModelTrace } from '../../checker/trace';
import { launchBrowser, openTrace, OUT } from '../helpers/browser';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

const open = (trace: string, name: string) => openTrace(browser, trace, name);

const current = (page: Page) => page.locator('#steps tr.step.current').getAttribute('data-step');
const panelLabel = (page: Page) => page.locator('#cur-step').textContent();

describe('trace viewer in Chromium', () => {
  it('a seqcount counterexample: rows, thread columns, failing step, keyboard stepping, screenshot', async () => {
    const { page, t } = await open(join(__dirname, '..', 'traces', 'seqcount-no-retry-snapshot.json'), 'view-seqcount');
    const mt = t as ModelTrace;
    expect(await page.locator('#steps tbody tr.step').count()).toBe(mt.steps.length + 1);
    expect(await page.locator('#steps thead th.thread').allTextContents()).toEqual(mt.threads);
    // opens at the failing (last) step, highlighted
    expect(await current(page)).toBe(String(mt.steps.length));
    const failing = page.locator('#steps tr.step.failing');
    expect(await failing.count()).toBe(1);
    expect(await failing.getAttribute('data-step')).toBe(String(mt.steps.length));
    expect(await page.evaluate("getComputedStyle(document.querySelector('#steps tr.step.failing td.num')).backgroundColor")).not.toBe('rgba(0, 0, 0, 0)');
    expect(await page.locator('#steps tr.step.failing td.thread-cell.active .violation').textContent()).toContain('snapshot violated here');
    await page.screenshot({ path: join(OUT, 'view-seqcount.png') });

    // keyboard: k / ArrowUp go back, j / ArrowDown forward, g first, f the failing step
    await page.keyboard.press('k');
    expect(await current(page)).toBe(String(mt.steps.length - 1));
    expect(await panelLabel(page)).toBe(`step ${mt.steps.length - 1}`);
    await page.keyboard.press('ArrowUp');
    expect(await current(page)).toBe(String(mt.steps.length - 2));
    await page.keyboard.press('g');
    expect(await current(page)).toBe('0');
    expect(await panelLabel(page)).toBe('initial state');
    await page.keyboard.press('j');
    await page.keyboard.press('ArrowDown');
    expect(await current(page)).toBe('2');
    expect(await page.locator('#steps tr.step.current').count()).toBe(1);
    // the state panel shows that step's full state, the changed field highlighted
    const panel = page.locator('#state tbody.panel:not([hidden])');
    expect(await panel.count()).toBe(1);
    expect(await panel.locator('tr.field').count()).toBe(Object.keys(mt.steps[1].state).length);
    expect(await panel.locator('tr.chg-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-field')))).toEqual(['seq', 'W0']);
    expect(await panel.locator('tr[data-field="seq"] td.val').textContent()).toContain('shared writers 1, sequence 0');
    await page.keyboard.press('f');
    expect(await current(page)).toBe(String(mt.steps.length));
    // a click selects a row too
    await page.locator('#step-3').click();
    expect(await current(page)).toBe('3');
    await page.screenshot({ path: join(OUT, 'view-seqcount-step3.png') });
    await page.close();
  });

  it('a sub-ID refutation: one column per MM, reader beside truth, screenshot', async () => {
    const { page, t } = await open(join(__dirname, '..', 'traces', 'subid-order7-soundness.json'), 'view-subid');
    expect(await page.locator('#steps tbody tr.step').count()).toBe(t.steps.length + 1);
    expect(await page.locator('#steps thead th.thread').allTextContents()).toEqual(['q', 'm1', 'm2', 'm3', 'm4']);
    expect(await page.locator('#steps tr.step.failing td.extra').allTextContents()).toEqual(['exclusive', 'shared']);
    await page.screenshot({ path: join(OUT, 'view-subid.png') });
    await page.close();
  });

  it('an rmap lasso: loop rows marked, End and Home reach both ends', async () => {
    const { page, t } = await open(join(__dirname, '..', 'traces', 'rmap-livelock-finishes-R0.json'), 'view-livelock');
    const mt = t as ModelTrace;
    expect(await page.locator('#steps tr.step.loop').count()).toBe(mt.steps.length - mt.loopStart!);
    await page.keyboard.press('Home');
    expect(await current(page)).toBe('0');
    await page.keyboard.press('End');
    expect(await current(page)).toBe(String(mt.steps.length));
    await page.screenshot({ path: join(OUT, 'view-livelock.png') });
    writeFileSync(join(OUT, 'README.txt'), 'Screenshots and pages written by test/viewer/browser.test.ts (gitignored).\n');
    await page.close();
  });
});
