import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFetcher, type RobotsCache } from '../../src/fetch/index.ts';
import { FAST, html, makeSource, maxInFlightAcross, startServer, type Route, type TestServer } from './server.ts';

const PAGE = '<html><body><table><tr><td>GPT-5.2 Codex</td><td>400K</td></tr></table></body></html>';

const slowPage =
  (ms: number): Route =>
  (req, res, hit) =>
    void setTimeout(() => html(PAGE)(req, res, hit), ms);

describe('politeness', () => {
  // Only performance.now() is faked, where a test asks for it: the scheduler reads it to space
  // requests, and the test server stamps arrivals with it. Timers, sockets and undici stay real.
  afterEach(() => void vi.useRealTimers());
  const servers: TestServer[] = [];
  const serve = async (...args: Parameters<typeof startServer>) => {
    const server = await startServer(...args);
    servers.push(server);
    return server;
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('obeys a robots.txt disallow, fetches robots.txt once per origin, and never requests the page', async () => {
    const server = await serve({
      '/robots.txt': (_req, res) =>
        void res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nDisallow: /private\nAllow: /private/ok\n'),
      '/private/prices': html(PAGE),
      '/private/ok': html(PAGE),
      '/public': html(PAGE),
    });
    const fetcher = createFetcher(FAST);
    const [blocked, allowedBySpecificRule, open] = await fetcher.fetchAll(
      [
        makeSource({ id: 'blocked', url: `${server.origin}/private/prices` }),
        makeSource({ id: 'allowed', url: `${server.origin}/private/ok` }),
        makeSource({ id: 'open', url: `${server.origin}/public` }),
      ],
      new Map(),
    );
    await fetcher.close();
    expect(blocked.status).toBe('failed');
    expect(blocked.error?.class).toBe('robots');
    expect(blocked.attempts).toBe(0);
    expect(server.hits('/private/prices')).toHaveLength(0);
    expect(allowedBySpecificRule.status).toBe('fetched');
    expect(open.status).toBe('fetched');
    expect(server.hits('/robots.txt')).toHaveLength(1);
  });

  it('skips robots.txt only for a source that says robots: ignore', async () => {
    const server = await serve({
      '/robots.txt': (_req, res) => void res.writeHead(200).end('User-agent: model-ledger\nDisallow: /\n'),
      '/page': html(PAGE),
    });
    const fetcher = createFetcher(FAST);
    const obeying = await fetcher.fetchSource(makeSource({ url: `${server.origin}/page` }), null);
    const ignoring = await fetcher.fetchSource(makeSource({ url: `${server.origin}/page`, robots: 'ignore' }), null);
    await fetcher.close();
    expect(obeying.error?.class).toBe('robots');
    expect(ignoring.status).toBe('fetched');
    expect(server.hits('/page')).toHaveLength(1);
  });

  it('treats an unreadable robots.txt (5xx) as disallow-all, and a missing one (404) as allow-all', async () => {
    const broken = await serve({ '/robots.txt': (_req, res) => void res.writeHead(500).end(), '/page': html(PAGE) });
    const missing = await serve({ '/page': html(PAGE) });
    const fetcher = createFetcher(FAST);
    const [fromBroken, fromMissing] = await fetcher.fetchAll(
      [makeSource({ id: 'a', url: `${broken.origin}/page` }), makeSource({ id: 'b', url: `${missing.origin}/page` })],
      new Map(),
    );
    await fetcher.close();
    expect(fromBroken.error?.class).toBe('robots');
    expect(fromBroken.error?.message).toMatch(/HTTP 500.*robots: ignore/);
    expect(broken.hits('/page')).toHaveLength(0);
    expect(fromMissing.status).toBe('fetched');
  });

  /** A robots.txt cache in memory, as the ledger keeps one between syncs. */
  const memoryCache = (): RobotsCache & { entries: Map<string, { text: string; fetched_at: string }> } => {
    const entries = new Map<string, { text: string; fetched_at: string }>();
    return { entries, get: (origin) => entries.get(origin) ?? null, put: (origin, text, fetched_at) => void entries.set(origin, { text, fetched_at }) };
  };
  const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

  it('reuses a robots.txt read within 24 hours, across syncs, and reads it again once older', async () => {
    const server = await serve({ '/robots.txt': (_req, res) => void res.writeHead(200).end('User-agent: *\nAllow: /\n'), '/page': html(PAGE) });
    const robotsCache = memoryCache();
    const syncOnce = async () => {
      const fetcher = createFetcher({ ...FAST, robotsCache });
      const outcome = await fetcher.fetchSource(makeSource({ url: `${server.origin}/page` }), null);
      await fetcher.close();
      expect(outcome.status).toBe('fetched');
    };
    await syncOnce();
    await syncOnce();
    expect(server.hits('/robots.txt')).toHaveLength(1);
    robotsCache.entries.set(server.origin, { ...robotsCache.entries.get(server.origin)!, fetched_at: hoursAgo(25) });
    const beforeRereading = new Date().toISOString();
    await syncOnce();
    expect(server.hits('/robots.txt')).toHaveLength(2);
    // The fresh read is stamped when it was read: no earlier than just before the sync.
    expect(robotsCache.get(server.origin)!.fetched_at >= beforeRereading).toBe(true);
  });

  it('goes by the last robots.txt it read, however old, while the live one is unreachable', async () => {
    const server = await serve({
      '/robots.txt': (_req, res) => void res.writeHead(503).end('down'),
      '/public': html(PAGE),
      '/private': html(PAGE),
    });
    const robotsCache = memoryCache();
    const weekOld = hoursAgo(24 * 7);
    robotsCache.put(server.origin, 'User-agent: *\nDisallow: /private\n', weekOld);
    const fetcher = createFetcher({ ...FAST, robotsCache });
    const [open, closed] = await fetcher.fetchAll(
      [makeSource({ id: 'public', url: `${server.origin}/public` }), makeSource({ id: 'private', url: `${server.origin}/private` })],
      new Map(),
    );
    await fetcher.close();
    expect(open.status).toBe('fetched');
    expect(closed.error?.class).toBe('robots');
    expect(closed.error?.message).toMatch(/disallows \/private/);
    expect(server.hits('/private')).toHaveLength(0);
    expect(robotsCache.get(server.origin)!.fetched_at).toBe(weekOld); // an unreachable read replaces nothing
  });

  it('keeps the minimum delay between requests to one host', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const delayMs = 150;
    const server = await serve(Object.fromEntries([0, 1, 2, 3].map((i) => [`/p${i}`, html(PAGE)])));
    const fetcher = createFetcher({ ...FAST, perHostDelayMs: delayMs, perHostConcurrency: 4, globalConcurrency: 8 });
    const sources = [0, 1, 2, 3].map((i) => makeSource({ id: `p${i}`, url: `${server.origin}/p${i}` }));
    const t0 = performance.now();
    const fetching = fetcher.fetchAll(sources, new Map());
    // The clock stands still until moved, so a request can only leave once the clock has been moved
    // past the host's delay; each is let arrive before the clock moves on.
    await server.arrival('/robots.txt');
    for (const i of [0, 1, 2, 3]) {
      vi.advanceTimersByTime(delayMs);
      await server.arrival(`/p${i}`);
    }
    const outcomes = await fetching;
    await fetcher.close();
    expect(outcomes.every((o) => o.status === 'fetched')).toBe(true);
    // robots.txt is a request to the host too. Times are fake-clock readings at arrival: a limiter
    // that did not wait would have sent every page at 0.
    expect(server.requests.map((r) => [r.path, r.at - t0])).toEqual([
      ['/robots.txt', 0],
      ['/p0', delayMs],
      ['/p1', 2 * delayMs],
      ['/p2', 3 * delayMs],
      ['/p3', 4 * delayMs],
    ]);
  });

  it('requests a host’s pages in the order of the sources, the first one included, once robots.txt is read', async () => {
    const paths = ['/p0', '/p1', '/p2', '/p3'];
    const server = await serve({
      '/robots.txt': (_req, res) => void setTimeout(() => res.writeHead(200).end('User-agent: *\nAllow: /\n'), 20),
      ...Object.fromEntries(paths.map((p) => [p, html(PAGE)])),
    });
    const fetcher = createFetcher({ ...FAST, perHostConcurrency: 1 });
    await fetcher.fetchAll(
      paths.map((p) => makeSource({ id: p.slice(1), url: `${server.origin}${p}` })),
      new Map(),
    );
    await fetcher.close();
    expect(server.requests.map((r) => r.path)).toEqual(['/robots.txt', ...paths]);
  });

  it('does not make one host wait for another host’s delay', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const delayMs = 300;
    const a = await serve({ '/1': html(PAGE), '/2': html(PAGE) });
    const b = await serve({ '/1': html(PAGE), '/2': html(PAGE) });
    const fetcher = createFetcher({ ...FAST, perHostDelayMs: delayMs });
    const sources = [a, b].flatMap((s, i) =>
      ['/1', '/2'].map((p) => makeSource({ id: `h${i}${p.slice(1)}`, url: `${s.origin}${p}`, robots: 'ignore' })),
    );
    const t0 = performance.now();
    const fetching = fetcher.fetchAll(sources, new Map());
    // Each host keeps its own rhythm: both hosts' first requests go before the clock moves at all,
    // and one step of the delay lets both second ones go. One shared queue would hold b's first
    // request for a delay (this would never resolve) and need three steps for the rest.
    await Promise.all([a.arrival('/1'), b.arrival('/1')]);
    vi.advanceTimersByTime(delayMs);
    await fetching;
    await fetcher.close();
    const at = (s: TestServer, path: string) => s.hits(path)[0].at - t0;
    expect([at(a, '/1'), at(b, '/1'), at(a, '/2'), at(b, '/2')]).toEqual([0, 0, delayMs, delayMs]);
  });

  it('limits concurrent requests per host and overall', async () => {
    const paths = Array.from({ length: 6 }, (_, i) => `/slow${i}`);
    const a = await serve(Object.fromEntries(paths.map((p) => [p, slowPage(60)])));
    const b = await serve(Object.fromEntries(paths.map((p) => [p, slowPage(60)])));
    const fetcher = createFetcher({ ...FAST, perHostConcurrency: 2, globalConcurrency: 3 });
    const sources = [a, b].flatMap((s, i) =>
      paths.map((p) => makeSource({ id: `s${i}${p.slice(5)}`, url: `${s.origin}${p}`, robots: 'ignore' })),
    );
    const outcomes = await fetcher.fetchAll(sources, new Map());
    await fetcher.close();
    expect(outcomes.every((o) => o.status === 'fetched')).toBe(true);
    expect(a.maxInFlight()).toBe(2);
    expect(b.maxInFlight()).toBe(2);
    // Overall: the two servers' logs, merged in the order things happened, never show more than
    // the global limit of requests open at once (and the limit is reached).
    expect(maxInFlightAcross(a, b)).toBe(3);
  });

  it('isolates one failing source among healthy ones and reports progress for each', async () => {
    const server = await serve({
      '/a': html(PAGE),
      '/b': (_req, res) => void res.writeHead(500).end(),
      '/c': html(PAGE),
      '/d': html(PAGE),
    });
    const events: Array<{ done: number; total: number; failed: number; id: string }> = [];
    const fetcher = createFetcher({
      ...FAST,
      onProgress: (e) => void events.push({ done: e.done, total: e.total, failed: e.failed, id: e.outcome.source_id }),
    });
    const previous = { etag: '"old"', last_modified: 'Mon, 30 Jun 2025 00:00:00 GMT', sha256: 'a'.repeat(64) };
    const outcomes = await fetcher.fetchAll(
      ['a', 'b', 'c', 'd'].map((id) => makeSource({ id, url: `${server.origin}/${id}` })),
      new Map([['b', previous]]),
    );
    await fetcher.close();
    expect(outcomes.map((o) => [o.source_id, o.status])).toEqual([
      ['a', 'fetched'],
      ['b', 'failed'],
      ['c', 'fetched'],
      ['d', 'fetched'],
    ]);
    expect(outcomes[1]).toMatchObject({ http_status: 500, attempts: FAST.maxRetries + 1, error: { class: 'http' } });
    // The failed source keeps its last good validators, so the next sync still asks conditionally.
    expect(outcomes[1]).toMatchObject({ etag: '"old"', last_modified: previous.last_modified });
    expect(outcomes[1].snapshot).toBeUndefined();
    expect(events).toHaveLength(4);
    expect(events.map((e) => e.done)).toEqual([1, 2, 3, 4]);
    expect(events.at(-1)).toMatchObject({ done: 4, total: 4, failed: 1 });
    expect(events.find((e) => e.id === 'b')).toBeDefined();
  });
});
