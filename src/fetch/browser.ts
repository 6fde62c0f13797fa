import { accessSync, constants } from 'node:fs';
import type { Browser } from 'playwright-core';
import { FetchFailure } from './errors.ts';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const INSTALL_HINT = 'install chromium: apt-get install -y chromium (or set CHROMIUM_PATH)';

export function chromiumPath(explicit?: string): string {
  return explicit || process.env.CHROMIUM_PATH || '/usr/bin/chromium';
}

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export interface RenderedPage {
  url: string;
  status: number;
  contentType: string | null;
  html: string;
}

export interface BrowserRenderer {
  render(url: string): Promise<RenderedPage>;
  close(): Promise<void>;
}

function classifyBrowserError(error: unknown, url: string): FetchFailure {
  if (error instanceof FetchFailure) return error;
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  if ((error as { name?: string })?.name === 'TimeoutError') {
    return new FetchFailure('timeout', `page did not load in time: ${message} (${url})`, true);
  }
  if (/net::ERR_/.test(message)) return new FetchFailure('network', `${message} (${url})`, true);
  return new FetchFailure('browser', `${message} (${url})`);
}

/**
 * Headless Chromium, launched on first use and shared by every `render: browser` source of a run.
 * The page counts as loaded once the network has been idle, so tables filled in by scripts are in.
 */
export function createBrowserRenderer(options: {
  executablePath: string;
  userAgent: string;
  timeoutMs: number;
}): BrowserRenderer {
  let launching: Promise<Browser> | null = null;

  function launch(): Promise<Browser> {
    if (!launching) {
      launching = (async () => {
        if (!isExecutable(options.executablePath)) {
          throw new FetchFailure('browser-missing', `no Chromium at ${options.executablePath}; ${INSTALL_HINT}`);
        }
        const { chromium } = await import('playwright-core');
        try {
          return await chromium.launch({
            executablePath: options.executablePath,
            args: CHROMIUM_ARGS,
            headless: true,
            timeout: options.timeoutMs,
          });
        } catch (error) {
          const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
          throw new FetchFailure('browser', `Chromium at ${options.executablePath} failed to start: ${reason}`);
        }
      })();
    }
    return launching;
  }

  return {
    async render(url) {
      const browser = await launch();
      const context = await browser.newContext({ userAgent: options.userAgent });
      try {
        const page = await context.newPage();
        const response = await page.goto(url, { waitUntil: 'load', timeout: options.timeoutMs });
        if (!response) throw new FetchFailure('browser', `no response for the page (${url})`);
        // Scripts often fetch the table after "load"; a page that never goes quiet is taken as it is.
        await page.waitForLoadState('networkidle', { timeout: Math.min(5_000, options.timeoutMs) }).catch(() => undefined);
        return {
          url: page.url(),
          status: response.status(),
          contentType: (await response.allHeaders())['content-type'] ?? null,
          html: await page.content(),
        };
      } catch (error) {
        throw classifyBrowserError(error, url);
      } finally {
        await context.close().catch(() => undefined);
      }
    },
    async close() {
      if (!launching) return;
      const browser = await launching.catch(() => null);
      launching = null;
      await browser?.close();
    },
  };
}
