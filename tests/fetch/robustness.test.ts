import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFetcher } from '../../src/fetch/index.ts';
import { eventKinds, FAST, html, makeSource, startServer, type Route, type TestServer } from './server.ts';

const redirectTo =
  (location: string, status = 307): Route =>
  (_req, res) =>
    void res.writeHead(status, { location }).end();

const OK_PAGE = '<html><body><table><tr><td>GPT-5.2 Codex</td><td>$1.75</td></tr></table></body></html>';

describe('robust fetching against a misbehaving server', () => {
  let server: TestServer;
  const fetcher = createFetcher({ ...FAST, maxBodyBytes: 64 * 1024, maxRetryAfterMs: 3_000 });
  const fetchPath = (path: string, state = null) => fetcher.fetchSource(makeSource({ url: `${server.origin}${path}` }), state);

  beforeAll(async () => {
    server = await startServer({
      '/rate-limited': (_req, res, hit) => {
        if (hit === 1) return void res.writeHead(429, { 'retry-after': '1' }).end('slow down');
        html(OK_PAGE)(_req, res, hit);
      },
      '/rate-limited-date': (_req, res, hit) => {
        // HTTP-dates have whole seconds: two seconds ahead is at least one second of waiting.
        const at = new Date(Date.now() + 2_000).toUTCString();
        if (hit === 1) return void res.writeHead(503, { 'retry-after': at }).end();
        html(OK_PAGE)(_req, res, hit);
      },
      '/rate-limited-long': (_req, res) => void res.writeHead(429, { 'retry-after': '3600' }).end(),
      '/flaky': (_req, res, hit) => {
        if (hit === 1) return void res.writeHead(503).end('busy');
        html(OK_PAGE)(_req, res, hit);
      },
      '/always-502': (_req, res) => void res.writeHead(502).end('bad gateway'),
      '/not-found': (_req, res) => void res.writeHead(404).end('gone'),
      '/no-headers': () => undefined, // accepts the request, never answers
      '/stalls-mid-body': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html', 'content-length': '10000' });
        res.write('<html><body><table>');
      },
      // Never idle long enough for the body timeout, never done: only the whole-exchange deadline ends it.
      '/trickle': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        const drip = setInterval(() => res.write('<p>more</p>'), 50);
        res.on('close', () => clearInterval(drip));
      },
      '/reset': (req) => req.socket.destroy(),
      '/reset-once': (req, res, hit) => {
        if (hit === 1) return void req.socket.destroy();
        html(OK_PAGE)(req, res, hit);
      },
      '/loop-a': redirectTo('/loop-b', 302),
      '/loop-b': redirectTo('/loop-a', 301),
      ...Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`/hop-${i}`, redirectTo(`/hop-${i + 1}`)])),
      '/redirected': redirectTo('/final', 308),
      '/final': html(OK_PAGE),
      '/huge': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' }); // chunked: no length to refuse early
        for (let i = 0; i < 20; i++) res.write('x'.repeat(10_000));
        res.end();
      },
      '/huge-declared': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(200_000) });
        res.end('x'.repeat(200_000));
      },
      '/gzip-bomb': (_req, res) => {
        const compressed = gzipSync(Buffer.alloc(5 * 1024 * 1024, 'a'));
        res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip', 'content-length': compressed.length });
        res.end(compressed);
      },
    });
  });
  afterAll(async () => {
    await fetcher.close();
    await server.close();
  });

  it('waits as long as Retry-After (seconds) asks before retrying a 429', async () => {
    const outcome = await fetchPath('/rate-limited');
    expect(outcome.status).toBe('fetched');
    expect(outcome.attempts).toBe(2);
    const [first, second] = server.hits('/rate-limited');
    // 50 ms allowance for arrival jitter on a loaded machine; an ignored header shows ~10 ms.
    expect(second.at - first.at).toBeGreaterThanOrEqual(950);
  });

  it('understands Retry-After as an HTTP-date', async () => {
    const outcome = await fetchPath('/rate-limited-date');
    expect(outcome.status).toBe('fetched');
    const [first, second] = server.hits('/rate-limited-date');
    expect(second.at - first.at).toBeGreaterThanOrEqual(950);
  });

  it('gives up at once when Retry-After is beyond the cap, and sends that host nothing more in the sync', async () => {
    // A fetcher of its own: the host it is told to leave alone is this suite's only one.
    const own = createFetcher({ ...FAST, maxRetryAfterMs: 3_000 });
    try {
      const outcome = await own.fetchSource(makeSource({ url: `${server.origin}/rate-limited-long` }), null);
      expect(outcome).toMatchObject({ status: 'failed', http_status: 429, attempts: 1 });
      expect(outcome.error?.class).toBe('http');
      expect(outcome.error?.message).toMatch(/3600 s.*cap/);
      // A shorter Retry-After pauses the host; one beyond the cap must not leave it open to the next source.
      const sent = server.hits('/final').length;
      const next = await own.fetchSource(makeSource({ url: `${server.origin}/final` }), null);
      expect(next.status).toBe('failed');
      expect(next.error?.message).toMatch(/asking to retry after 3600 s.*not requested again in this sync/);
      expect(server.hits('/final')).toHaveLength(sent);
    } finally {
      await own.close();
    }
  });

  it('retries a 503 and succeeds', async () => {
    const outcome = await fetchPath('/flaky');
    expect(outcome).toMatchObject({ status: 'fetched', attempts: 2, http_status: 200 });
  });

  it('stops after maxRetries on a persistent 502 and says so', async () => {
    const outcome = await fetchPath('/always-502');
    expect(outcome).toMatchObject({ status: 'failed', http_status: 502, attempts: FAST.maxRetries + 1 });
    expect(outcome.error?.class).toBe('http');
    expect(server.hits('/always-502')).toHaveLength(FAST.maxRetries + 1);
  });

  it('does not retry a 404', async () => {
    const outcome = await fetchPath('/not-found');
    expect(outcome).toMatchObject({ status: 'failed', http_status: 404, attempts: 1 });
    expect(outcome.error?.class).toBe('http');
  });

  it('times out a server that never sends headers, after bounded retries', async () => {
    const outcome = await fetchPath('/no-headers');
    expect(outcome.status).toBe('failed');
    expect(outcome.error?.class).toBe('timeout');
    expect(outcome.error?.message).toMatch(/headers/);
    expect(outcome.attempts).toBe(FAST.maxRetries + 1);
    // Each attempt was given up by the client (its connection closed, no response ever sent), and
    // the next began only after that: bounded retries of a timed-out request, not a hang. A fetcher
    // not applying headersTimeoutMs would wait far longer (undici's own default is 300 s) and time the test out.
    await vi.waitFor(() => expect(eventKinds(server, '/no-headers')).toEqual(['start', 'dropped', 'start', 'dropped', 'start', 'dropped']), 5_000);
  });

  it('times out a body that stalls halfway', async () => {
    const outcome = await fetchPath('/stalls-mid-body');
    expect(outcome.status).toBe('failed');
    expect(outcome.error?.class).toBe('timeout');
    expect(outcome.error?.message).toMatch(/body/);
    expect(outcome.http_status).toBe(200);
  });

  it('ends a body that trickles in past the whole-exchange deadline, though it never stalls', async () => {
    const strict = createFetcher({ ...FAST, maxRetries: 0, requestTimeoutMs: 400 });
    const outcome = await strict.fetchSource(makeSource({ url: `${server.origin}/trickle` }), null);
    // Seen before close(): the fetch itself hung up, not the agent shutting down.
    await vi.waitFor(() => expect(eventKinds(server, '/trickle')).toEqual(['start', 'dropped']), 5_000);
    await strict.close();
    expect(outcome.status).toBe('failed');
    expect(outcome.error?.class).toBe('timeout');
    expect(outcome.error?.message).toMatch(/not complete within 400 ms/); // the deadline, not the idle-body timeout
    expect(outcome.attempts).toBe(1);
  });

  it('reports a reset connection as a network failure', async () => {
    const outcome = await fetchPath('/reset');
    expect(outcome.status).toBe('failed');
    expect(outcome.error?.class).toBe('network');
    expect(outcome.http_status).toBeNull();
    expect(outcome.attempts).toBe(FAST.maxRetries + 1);
  });

  it('recovers from a single reset on retry', async () => {
    const outcome = await fetchPath('/reset-once');
    expect(outcome).toMatchObject({ status: 'fetched', attempts: 2 });
  });

  it('reports a redirect loop as such', async () => {
    const outcome = await fetchPath('/loop-a');
    expect(outcome.status).toBe('failed');
    expect(outcome.error?.class).toBe('redirect-loop');
    expect(outcome.error?.message).toContain('/loop-a -> ');
    expect(server.hits('/loop-a')).toHaveLength(1);
  });

  it('stops following redirects after maxRedirects', async () => {
    const outcome = await fetchPath('/hop-0');
    expect(outcome.error?.class).toBe('too-many-redirects');
    expect(server.hits('/hop-5')).toHaveLength(1);
    expect(server.hits('/hop-6')).toHaveLength(0);
  });

  it('follows a redirect and records the final URL', async () => {
    const outcome = await fetchPath('/redirected');
    expect(outcome.status).toBe('fetched');
    expect(outcome.snapshot?.url).toBe(`${server.origin}/final`);
    expect(outcome.attempts).toBe(2);
  });

  it('cuts off a body over the cap instead of buffering it', async () => {
    const outcome = await fetchPath('/huge');
    expect(outcome.status).toBe('failed');
    expect(outcome.error?.class).toBe('too-large');
    expect(outcome.snapshot).toBeUndefined();
  });

  it('refuses a declared Content-Length over the cap without reading it', async () => {
    const outcome = await fetchPath('/huge-declared');
    expect(outcome.error?.class).toBe('too-large');
    expect(outcome.error?.message).toMatch(/content-length 200000/);
  });

  it('applies the cap after decoding, so a small gzip that inflates past it is cut off', async () => {
    const outcome = await fetchPath('/gzip-bomb');
    expect(outcome.status).toBe('failed');
    expect(outcome.error?.class).toBe('too-large');
    expect(outcome.error?.message).toMatch(/decoded body/);
  });
});
