import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/paths.ts';
import { startDesk, type Desk } from '../../src/review/web/server.ts';
import type { Ledger } from '../../src/store/ledger.ts';
import { reviewLedger, SOURCES } from './helpers.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HAVE_BROWSER = existsSync(CHROMIUM);
// In CI a missing browser is a failure, not a skip; locally the test may be skipped.
const IN_CI = process.env.CI === 'true';
const SCREENSHOT = join(PACKAGE_ROOT, 'test-output', 'review-desk.png');

(HAVE_BROWSER || IN_CI ? describe : describe.skip)('the review desk in a real browser', () => {
  let ledger: Ledger;
  let desk: Desk;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  const dialogs: string[] = [];

  beforeAll(async () => {
    if (!HAVE_BROWSER) throw new Error(`Chromium not found at ${CHROMIUM} (set CHROMIUM_PATH); the browser test is required in CI`);
    ledger = await reviewLedger();
    desk = await startDesk({ ledger, sources: SOURCES, reviewer: 'browser-reviewer', port: 0 });
    profile = mkdtempSync(join(tmpdir(), 'desk-profile-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await desk?.close();
    ledger?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('approves one change by keyboard, rejects another with a note, and the ledger records both', async () => {
    await page.goto(desk.url);
    // The hostile model name is shown as text and runs nothing.
    await expect.poll(() => page.getByText('acme/<img src=x onerror=alert(1)>', { exact: true }).count()).toBe(1);
    expect(await page.locator('main img').count()).toBe(0);

    const rows = page.locator('article.change');
    await expect.poll(() => rows.first().getAttribute('class')).toContain('selected');
    await page.keyboard.press('j');
    const second = rows.nth(1);
    await expect.poll(() => second.getAttribute('class')).toContain('selected');
    const approvedId = Number(await second.getAttribute('data-id'));
    await page.keyboard.press('a');
    await expect.poll(() => second.getAttribute('data-state')).toBe('approved');
    expect(ledger.changes.get(approvedId)).toMatchObject({ status: 'approved', reviewer: 'browser-reviewer' });

    // Approving moved the selection on; reject the beta price move with a reason.
    const beta = page.locator('article.change', { has: page.locator('code', { hasText: 'output_price' }) }).filter({ hasText: '+25.0%' });
    const rejectedId = Number(await beta.getAttribute('data-id'));
    await beta.locator('.head').click();
    await page.keyboard.press('r');
    await expect.poll(() => beta.locator('.message').textContent()).toMatch(/needs a reason/);
    await page.keyboard.type('aggregator rounding, not a real price move');
    await page.keyboard.press('Enter');
    await expect.poll(() => beta.getAttribute('data-state')).toBe('rejected');
    expect(ledger.changes.get(rejectedId)).toMatchObject({ status: 'rejected', reviewer: 'browser-reviewer', note: 'aggregator rounding, not a real price move' });
    expect(ledger.audit.log().slice(-2).map((e) => [e.action, e.actor])).toEqual([
      ['approve', 'browser-reviewer'],
      ['reject', 'browser-reviewer'],
    ]);
    expect(await beta.locator('.state').textContent()).toBe('rejected by browser-reviewer');

    mkdirSync(join(PACKAGE_ROOT, 'test-output'), { recursive: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: SCREENSHOT, fullPage: false });
    expect(existsSync(SCREENSHOT)).toBe(true);
    expect(dialogs).toEqual([]);
  }, 60_000);

  it('filters the queue and opens a model page with its price chart', async () => {
    await page.goto(desk.url);
    await page.selectOption('select[name=kind]', 'added');
    await page.waitForURL(/kind=added/);
    const kinds = await page.locator('article.change .kind').allTextContents();
    expect(kinds.length).toBeGreaterThan(0);
    expect(new Set(kinds)).toEqual(new Set(['added']));

    await page.goto(new URL('/model?id=acme%2Falpha', desk.url).href);
    expect(await page.locator('svg.chart path').count()).toBe(2);
    expect(await page.locator('.side-by-side .claim-card').count()).toBeGreaterThanOrEqual(2);
    expect(dialogs).toEqual([]);
  }, 60_000);

  it('wraps a long unbroken quote and locator inside their evidence card', async () => {
    // A JSON capture's quote has no spaces to break at.
    const unbroken = '"pricing":{"prompt":"0.000002","completion":"0.0000025"},"top_provider":{"max_completion_tokens":65536}' + 'x'.repeat(120);
    const overflowOf = (selector: string) =>
      page.evaluate(
        ([cards, text]) =>
          Array.from(document.querySelectorAll(cards), (card) => {
            card.querySelectorAll('q, code').forEach((el) => (el.textContent = text));
            return card.scrollWidth - card.clientWidth;
          }),
        [selector, unbroken] as const,
      );
    await page.goto(new URL('/model?id=acme%2Falpha', desk.url).href);
    const model = await overflowOf('.claim-card');
    expect(model.length).toBeGreaterThanOrEqual(2);
    expect(model).toEqual(model.map(() => 0));
    await page.goto(new URL('/?model=acme%2Falpha', desk.url).href);
    const queue = await overflowOf('.evidence .claim');
    expect(queue.length).toBeGreaterThan(0);
    expect(queue).toEqual(queue.map(() => 0));
  }, 60_000);
});
