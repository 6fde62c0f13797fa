import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetcher, type FetcherOptionsInput } from '../../src/fetch/index.ts';
import { chromiumPath, isExecutable } from '../../src/fetch/browser.ts';
import { FAST, html, makeSource, startServer, type TestServer } from './server.ts';

const SPA = readFileSync(new URL('../fixtures/fetch/js-rendered-table.html', import.meta.url), 'utf8');
const PRICES = readFileSync(new URL('../fixtures/fetch/js-rendered-prices.json', import.meta.url), 'utf8');

// In CI a missing browser must fail the run (the test then sees 'browser-missing'); locally it may skip.
const browserAvailable = isExecutable(chromiumPath());
const runBrowserTests = browserAvailable || process.env.CI === 'true';

describe('render: browser', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({
      '/pricing': html(SPA),
      '/prices.json': (_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end(PRICES),
      '/static': html('<html><body><p>plain</p></body></html>'),
    });
  });
  afterAll(() => server.close());

  it.runIf(runBrowserTests)(
    'snapshots the rendered DOM of a page that builds its price table with JavaScript',
    async () => {
      const fetcher = createFetcher({ ...FAST, browserTimeoutMs: 15_000 });
      const source = makeSource({ url: `${server.origin}/pricing`, render: 'browser' });
      const plain = await fetcher.fetchSource({ ...source, render: 'http' }, null);
      const rendered = await fetcher.fetchSource(source, null);
      await fetcher.close();
      expect(plain.snapshot?.body).not.toContain('GPT-5.2 Codex'); // the names only come from /prices.json
      expect(rendered.error).toBeUndefined();
      expect(rendered.status).toBe('fetched');
      const body = rendered.snapshot!.body;
      expect(body).toMatch(/<table id="prices">/);
      expect(body).toContain('<td>GPT-5.2 Codex</td><td>$1.75</td><td>$14.00</td>');
      expect(body).toContain('<td>Claude Sonnet 4.5</td><td>$3.00</td><td>$15.00</td>');
      expect(body).not.toContain('Loading prices');
      expect(rendered.http_status).toBe(200);
      expect(server.hits('/prices.json')[0].headers['user-agent']).toMatch(/^model-ledger\//);
    },
    30_000,
  );

  it('fails only the browser source, with an install hint, when Chromium is missing', async () => {
    const fetcher = createFetcher({ ...FAST, chromiumPath: '/nonexistent/chromium' });
    const [rendered, plain] = await fetcher.fetchAll(
      [
        makeSource({ id: 'spa', url: `${server.origin}/pricing`, render: 'browser' }),
        makeSource({ id: 'static', url: `${server.origin}/static` }),
      ],
      new Map(),
    );
    await fetcher.close();
    expect(rendered.status).toBe('failed');
    expect(rendered.error?.class).toBe('browser-missing');
    expect(rendered.error?.message).toContain('apt-get install -y chromium');
    expect(plain.status).toBe('fetched');
  });

  describe('the page’s own requests go through the fetcher', () => {
    const servers: TestServer[] = [];
    afterAll(() => Promise.all(servers.map((s) => s.close())));
    /** One rendered fetch of `url` by a fresh fetcher with these limits. */
    const render = async (url: string, limits: Partial<FetcherOptionsInput> = {}) => {
      const fetcher = createFetcher({ ...FAST, browserTimeoutMs: 15_000, ...limits });
      try {
        return await fetcher.fetchSource(makeSource({ url, render: 'browser' }), null);
      } finally {
        await fetcher.close();
      }
    };
    const serveSpa = async (routes: Parameters<typeof startServer>[0]) => {
      const spa = await startServer({ '/pricing': html(SPA), ...routes });
      servers.push(spa);
      return spa;
    };

    it.runIf(runBrowserTests)(
      'takes a markdown or JSON document as the server sent it, not the viewer page Chromium draws around it',
      async () => {
        const markdown = '| Tier | Input |\n|---|---|\n| <= 200k tokens | $1.25 |\n';
        const spa = await serveSpa({
          '/pricing.md': (_req, res) => void res.writeHead(200, { 'content-type': 'text/markdown; charset=utf-8' }).end(markdown),
          '/models.json': (_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end(PRICES),
        });
        const fetcher = createFetcher({ ...FAST, browserTimeoutMs: 15_000 });
        try {
          const md = await fetcher.fetchSource(makeSource({ url: `${spa.origin}/pricing.md`, render: 'browser', format: 'markdown' }), null);
          expect(md.snapshot!.body).toBe(markdown);
          const json = await fetcher.fetchSource(makeSource({ url: `${spa.origin}/models.json`, render: 'browser', format: 'json' }), null);
          expect(json.snapshot!.body).toBe(PRICES);
        } finally {
          await fetcher.close();
        }
      },
      30_000,
    );

    it.runIf(runBrowserTests)(
      'a data request that robots.txt disallows is never sent; the page is still captured as it rendered',
      async () => {
        const spa = await serveSpa({
          '/robots.txt': (_req, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nDisallow: /prices.json\n'),
          '/prices.json': (_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end(PRICES),
        });
        const rendered = await render(`${spa.origin}/pricing`);
        expect(rendered.status).toBe('fetched');
        expect(rendered.snapshot!.body).toContain('Loading prices');
        expect(spa.hits('/prices.json')).toHaveLength(0);
        expect(spa.hits('/robots.txt')).toHaveLength(1);
      },
      30_000,
    );

    it.runIf(runBrowserTests)(
      'a data request answering 503 is retried, and the page’s requests keep to the host’s concurrency limit',
      async () => {
        const spa = await serveSpa({
          '/prices.json': (_req, res, hit) =>
            void (hit === 1
              ? res.writeHead(503, { 'content-type': 'text/plain' }).end('busy')
              : res.writeHead(200, { 'content-type': 'application/json' }).end(PRICES)),
        });
        const delay = 300;
        const rendered = await render(`${spa.origin}/pricing`, { perHostDelayMs: delay, perHostConcurrency: 1 });
        expect(rendered.error).toBeUndefined();
        expect(rendered.snapshot!.body).toContain('<td>GPT-5.2 Codex</td><td>$1.75</td><td>$14.00</td>');
        expect(spa.hits('/prices.json')).toHaveLength(2);
        expect(spa.maxInFlight()).toBe(1);
        // The visit itself is spaced from the robots.txt read (server arrival times, hence the slack).
        // A lower bound on a delay the fetcher waits on purpose: a busy machine only widens the gap.
        expect(spa.hits('/pricing')[0].at - spa.hits('/robots.txt')[0].at).toBeGreaterThanOrEqual(delay / 2);
      },
      30_000,
    );

    it.runIf(runBrowserTests)(
      'a page’s scripts and data do not wait out the host’s delay one by one, and its images, fonts and styles are not fetched',
      async () => {
        // The data routes answer only once all three requests are in: they must be in flight together.
        const held: Array<() => void> = [];
        const data = (model: string) => (_req: unknown, res: import('node:http').ServerResponse) => {
          held.push(() => void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ model })));
          if (held.length === 3) for (const answer of held) answer();
        };
        const page = `<!doctype html><html><head><link rel="stylesheet" href="/style.css"></head><body><img src="/logo.png">
          <script>Promise.all(['/a.json', '/b.json', '/c.json'].map((u) => fetch(u).then((r) => r.json())))
            .then((rows) => document.body.insertAdjacentHTML('beforeend', '<table id="t">' + rows.map((r) => '<tr><td>' + r.model + '</td></tr>').join('') + '</table>'));</script>
          </body></html>`;
        const spa = await serveSpa({ '/many': html(page), '/a.json': data('A'), '/b.json': data('B'), '/c.json': data('C') });
        // A delay longer than this test may run: the page's own visit is the host's first request
        // (robots.txt comes from a fresh cache), so it goes at once; had the data requests waited
        // the delay too, the second could not have been sent before the test timed out.
        const robotsCache = { get: () => ({ text: 'User-agent: *\nAllow: /\n', fetched_at: new Date().toISOString() }), put: () => undefined };
        const rendered = await render(`${spa.origin}/many`, { perHostDelayMs: 10 * 60_000, perHostConcurrency: 3, robotsCache });
        expect(rendered.error).toBeUndefined();
        expect(rendered.snapshot!.body).toContain('<td>A</td></tr><tr><td>B</td></tr><tr><td>C</td>');
        expect(spa.hits('/robots.txt')).toHaveLength(0);
        // The server's log, in order: the page, then all three data requests open before any was answered.
        const dataPaths = ['/a.json', '/b.json', '/c.json'];
        const log = spa.events
          .filter((e) => e.path === '/many' || dataPaths.includes(e.path))
          .map((e) => `${e.kind} ${dataPaths.includes(e.path) ? 'data' : e.path}`);
        expect(log).toEqual(['start /many', 'end /many', 'start data', 'start data', 'start data', 'end data', 'end data', 'end data']);
        expect(spa.hits('/logo.png')).toHaveLength(0);
        expect(spa.hits('/style.css')).toHaveLength(0);
      },
      30_000,
    );

    it.runIf(runBrowserTests)(
      'a page that keeps answering 503 fails as an HTTP failure after the retries, not as a browser error',
      async () => {
        const spa = await serveSpa({ '/down': (_req, res) => void res.writeHead(503, { 'content-type': 'text/plain' }).end('busy') });
        const outcome = await render(`${spa.origin}/down`);
        expect(outcome.status).toBe('failed');
        expect(outcome.error?.class).toBe('http');
        expect(outcome.attempts).toBe(FAST.maxRetries + 1);
        expect(spa.hits('/down')).toHaveLength(FAST.maxRetries + 1);
      },
      30_000,
    );
  });
});
