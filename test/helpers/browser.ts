// Headless Chromium (Debian's `chromium`, driven by playwright-core) for the viewer's browser
// tests: launching it, and opening a trace's page as `rmapcheck view` writes it. Chromium is
// required: .ci/run installs it; if it is missing the tests fail (they never skip silently).
import { existsSync, mkdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { pathToFileURL } from 'url';
import { expect } from 'vitest';
import { chromium, Browser, Page } from 'playwright-core';
import { runCli } from './cli';
import { parseTrace } from '../../checker/trace';

export const CHROMIUM = process.env.RMAPCHECK_CHROMIUM ?? '/usr/bin/chromium';
/** Pages and screenshots for a person to look at (gitignored). */
export const OUT = join(__dirname, '..', 'output');

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium, as .ci/run does) or set RMAPCHECK_CHROMIUM`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  mkdirSync(OUT, { recursive: true });
  return browser;
}

/**
 * Writes the page of `trace` with `rmapcheck view` (to OUT/name.html) and opens it at `viewport`
 * (default 1400 x 900), at `hash` if given; no page error and no network request is allowed.
 */
export async function openTrace(
  browser: Browser,
  trace: string,
  name: string,
  opts: { viewport?: { width: number; height: number }; hash?: string } = {},
): Promise<{ page: Page; t: ReturnType<typeof parseTrace>; html: string }> {
  const html = join(OUT, `${name}.html`);
  const r = await runCli('view', trace, '--out', html, '--force');
  expect(r.code).toBe(0);
  const page = await browser.newPage({ viewport: opts.viewport ?? { width: 1400, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (req) => {
    if (!req.url().startsWith('file:')) errors.push(`network request: ${req.url()}`);
  });
  await page.goto(pathToFileURL(html).href + (opts.hash ?? ''));
  expect(errors).toEqual([]);
  return { page, t: parseTrace(readFileSync(trace, 'utf8'), trace), html };
}
