import { accessSync, constants } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { FetchFailure } from './errors.ts';
import type { AbortLike } from './cutoff.ts';
import { createRequestScheduler } from './scheduler.ts';
import { isHtmlType, mediaType } from './content-type.ts';

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

/** One request the page makes; `isPage` marks the page's own document. */
export interface BrowserRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  isPage: boolean;
  /** What a POST (or other method) sends. */
  body?: Buffer;
}

/** How to answer it: with a response fetched on the page's behalf (the browser itself sends nothing). */
export type BrowserReply = { status: number; headers: Record<string, string>; body: Buffer };

/** Answers every http(s) request of a rendered page; a throw blocks that request. */
export type BrowserRequestHandler = (request: BrowserRequest) => Promise<BrowserReply>;

export interface BrowserRenderer {
  /** `signal` aborting (a deadline) closes the page at once and rejects with its reason. */
  render(url: string, handle: BrowserRequestHandler, signal?: AbortLike): Promise<RenderedPage>;
  close(): Promise<void>;
}

/** Resource types a DOM snapshot does not need. */
const UNNEEDED_RESOURCES = new Set(['image', 'media', 'font', 'stylesheet']);

/** Pages open at once: each is a browser context with its own memory, however many sources ask. */
const OPEN_PAGES = 2;

function classifyBrowserError(error: unknown, url: string): FetchFailure {
  if (error instanceof FetchFailure) return error;
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  if ((error as { name?: string })?.name === 'TimeoutError') {
    return new FetchFailure('timeout', `page did not load in time: ${message} (${url})`, true);
  }
  if (/net::ERR_/.test(message)) return new FetchFailure('network', `${message} (${url})`, true);
  return new FetchFailure('browser', `${message} (${url})`);
}

interface RouteFailures {
  /** Why the page's own document could not be fetched, if it could not. */
  page?: unknown;
}

/**
 * Hands every http(s) request of `page` to `handle`, which fetches it (through the fetcher's
 * address check, robots.txt and limits) and answers it; what it refuses or fails is aborted.
 */
async function routeRequests(page: Page, handle: BrowserRequestHandler, failed: RouteFailures): Promise<void> {
  await page.route('**/*', async (route) => {
    const request = route.request();
    // Pictures, fonts and styles never change the DOM we keep: not fetching them spares the host.
    if (UNNEEDED_RESOURCES.has(request.resourceType())) return route.abort('blockedbyclient');
    if (!/^https?:/i.test(request.url())) return route.continue();
    let isPage = false;
    try {
      isPage = request.isNavigationRequest() && request.frame() === page.mainFrame();
      const body = request.postDataBuffer() ?? undefined;
      const reply = await handle({ url: request.url(), method: request.method(), headers: await request.allHeaders(), isPage, body });
      await route.fulfill(reply);
    } catch (error) {
      if (isPage) failed.page ??= error;
      const blocked = error instanceof FetchFailure && (error.errorClass === 'robots' || error.errorClass === 'blocked');
      await route.abort(blocked ? 'blockedbyclient' : 'failed').catch(() => undefined);
    }
  });
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
  const pages = createRequestScheduler({ globalConcurrency: OPEN_PAGES, perHostConcurrency: OPEN_PAGES, perHostDelayMs: 0 });

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
    async render(url, handle, signal) {
      return pages.run('pages', async () => {
        signal?.throwIfAborted();
        const browser = await launch();
        const context = await browser.newContext({ userAgent: options.userAgent });
        const failed: RouteFailures = {};
        const closeOnAbort = () => void context.close().catch(() => undefined);
        signal?.addEventListener('abort', closeOnAbort, { once: true });
        try {
          const page = await context.newPage();
          await routeRequests(page, handle, failed);
          const response = await page.goto(url, { waitUntil: 'load', timeout: options.timeoutMs });
          if (!response) throw new FetchFailure('browser', `no response for the page (${url})`);
          // Scripts often fetch the table after "load"; a page that never goes quiet is taken as it is.
          await page.waitForLoadState('networkidle', { timeout: Math.min(5_000, options.timeoutMs) }).catch(() => undefined);
          const contentType = (await response.allHeaders())['content-type'] ?? null;
          const type = mediaType(contentType);
          return {
            url: page.url(),
            status: response.status(),
            contentType,
            // Scripts draw only an HTML document; markdown or JSON Chromium shows in a viewer page of
            // its own, whose HTML escapes the text ('<= 200k' as '&lt;= 200k') and is no JSON.
            html: type === null || isHtmlType(type) ? await page.content() : await response.text(),
          };
        } catch (error) {
          if (signal?.aborted) throw signal.reason;
          // The page's own request failed on our side (robots, timeout, retries spent): say that, not the browser's net::ERR_FAILED.
          throw classifyBrowserError(failed.page ?? error, url);
        } finally {
          signal?.removeEventListener('abort', closeOnAbort);
          await context.close().catch(() => undefined);
        }
      });
    },
    async close() {
      if (!launching) return;
      const browser = await launching.catch(() => null);
      launching = null;
      await browser?.close();
    },
  };
}
