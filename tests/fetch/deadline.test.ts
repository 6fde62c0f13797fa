import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { chromiumPath, isExecutable } from '../../src/fetch/browser.ts';
import { createFetcher, type FetcherOptionsInput } from '../../src/fetch/index.ts';
import { eventKinds, FAST, html, makeSource, startServer, type Route, type TestServer } from './server.ts';

/** Never idle long enough for the body timeout, never done: only a deadline ends it. */
const trickle: Route = (_req, res) => {
  res.writeHead(200, { 'content-type': 'text/html' });
  const drip = setInterval(() => res.write('<p>more</p>'), 50);
  res.on('close', () => clearInterval(drip));
};

/**
 * Per-attempt limits far beyond what the test can wait (60 s for the whole exchange, up to 10
 * retries): whatever ends these fetches is the source's or the sync's deadline.
 */
const PATIENT = { ...FAST, requestTimeoutMs: 60_000, maxRetries: 10, maxRetryAfterMs: 60_000 };

describe('deadlines across attempts', () => {
  let server: TestServer;
  const fetchers: Array<ReturnType<typeof createFetcher>> = [];
  const fetcher = (options: Partial<FetcherOptionsInput>) => {
    const f = createFetcher({ ...PATIENT, ...options });
    fetchers.push(f);
    return f;
  };
  const source = (path: string, id = 'test-source') => makeSource({ id, url: `${server.origin}${path}`, robots: 'ignore' });

  beforeAll(async () => {
    server = await startServer({
      '/trickle': trickle,
      // Busy, and asks for a wait longer than the source's deadline: the wait counts against it.
      '/busy-retry-later': (_req, res) => void res.writeHead(503, { 'retry-after': '30' }).end('busy'),
      '/busy-then-trickle': (req, res, hit) => (hit === 1 ? void res.writeHead(503).end('busy') : trickle(req, res, hit)),
      '/ok': html('<html><body>ok</body></html>'),
      '/second-trickle': trickle,
      '/queued': html('<html><body>queued</body></html>'),
      // Its one script never finishes: the page's "load" waits on it.
      '/blocking': html('<!doctype html><html><head><script src="/slow.js"></script></head><body>prices</body></html>'),
      '/slow.js': trickle,
    });
  });
  afterAll(async () => {
    await Promise.all(fetchers.map((f) => f.close()));
    await server.close();
  });

  it('cuts off a body that trickles past the source deadline, dropping its connection', async () => {
    const outcome = await fetcher({ sourceDeadlineMs: 500 }).fetchSource(source('/trickle'), null);
    expect(outcome.status).toBe('failed');
    expect(outcome.error?.class).toBe('deadline');
    expect(outcome.error?.message).toMatch(/source's deadline of 0\.5 s over all attempts; 1 attempt\(s\) made/);
    expect(outcome.attempts).toBe(1);
    expect(outcome.http_status).toBe(200);
    // Seen before the fetcher closes: the deadline hung up, not the agent shutting down.
    await vi.waitFor(() => expect(eventKinds(server, '/trickle')).toEqual(['start', 'dropped']), 5_000);
  });

  it('counts the wait between attempts: a Retry-After beyond the deadline ends the source after one attempt', async () => {
    const outcome = await fetcher({ sourceDeadlineMs: 500 }).fetchSource(source('/busy-retry-later'), null);
    expect(outcome.error?.class).toBe('deadline');
    expect(outcome.attempts).toBe(1);
    expect(outcome.http_status).toBe(503);
    expect(server.hits('/busy-retry-later')).toHaveLength(1);
  });

  it('spans attempts: a 503 then a trickling retry is cut off in the second attempt', async () => {
    const outcome = await fetcher({ sourceDeadlineMs: 800 }).fetchSource(source('/busy-then-trickle'), null);
    expect(outcome.error?.class).toBe('deadline');
    expect(outcome.attempts).toBe(2);
    await vi.waitFor(() => expect(eventKinds(server, '/busy-then-trickle')).toEqual(['start', 'end', 'start', 'dropped']), 5_000);
  });

  it('ends the whole sync at its deadline: what is in flight is cut off, what waits is never sent, what finished stays', async () => {
    // One request at a time: /ok, then /second-trickle (held open until the deadline), with /queued behind it.
    const f = fetcher({ syncDeadlineMs: 700, perHostConcurrency: 1, globalConcurrency: 1 });
    const [ok, trickling, queued] = await f.fetchAll([source('/ok', 'ok'), source('/second-trickle', 'trickling'), source('/queued', 'queued')], new Map());
    expect(ok.status).toBe('fetched');
    for (const outcome of [trickling, queued]) {
      expect(outcome.status).toBe('failed');
      expect(outcome.error?.class).toBe('deadline');
      expect(outcome.error?.message).toMatch(/the sync's deadline of 0\.7 s passed before this source was read; its last good facts are kept/);
    }
    expect(trickling.attempts).toBe(1);
    expect(queued.attempts).toBe(0);
    expect(server.hits('/queued')).toHaveLength(0);
    await vi.waitFor(() => expect(eventKinds(server, '/second-trickle')).toEqual(['start', 'dropped']), 5_000);
  });

  it.runIf(isExecutable(chromiumPath()) || process.env.CI === 'true')(
    'a rendered page still loading at the source deadline is given up, not captured half-loaded',
    async () => {
      const outcome = await fetcher({ sourceDeadlineMs: 1_500, browserTimeoutMs: 20_000 }).fetchSource(
        makeSource({ url: `${server.origin}/blocking`, render: 'browser', robots: 'ignore' }),
        null,
      );
      expect(outcome.status).toBe('failed');
      expect(outcome.error?.class).toBe('deadline');
      expect(outcome.snapshot).toBeUndefined();
      await vi.waitFor(() => expect(eventKinds(server, '/slow.js')).toEqual(['start', 'dropped']), 5_000);
    },
    30_000,
  );
});
