import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetcher } from '../../src/fetch/index.ts';
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
});
