import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetcher, sha256Hex } from '../../src/fetch/index.ts';
import { FAST, html, makeSource, startServer, type TestServer } from './server.ts';

const PAGE = readFileSync(new URL('../fixtures/fetch/pricing-table.html', import.meta.url), 'utf8');
const ETAG = '"v1"';
const LAST_MODIFIED = 'Tue, 01 Jul 2025 10:00:00 GMT';

describe('incremental fetching', () => {
  let server: TestServer;
  const fetcher = createFetcher(FAST);

  beforeAll(async () => {
    server = await startServer({
      '/conditional': (req, res) => {
        if (req.headers['if-none-match'] === ETAG) return void res.writeHead(304, { etag: ETAG }).end();
        res.writeHead(200, { 'content-type': 'text/html', etag: ETAG, 'last-modified': LAST_MODIFIED }).end(PAGE);
      },
      // A server that answers 304 whatever it is asked: unsolicited, it says nothing.
      '/always-304': (_req, res) => void res.writeHead(304).end(),
      // A server that ignores validators: only the body hash can tell nothing changed.
      '/no-validators': html(PAGE),
    });
  });
  afterAll(async () => {
    await fetcher.close();
    await server.close();
  });

  it('records a first fetch as a content-addressed snapshot with its validators', async () => {
    const outcome = await fetcher.fetchSource(makeSource({ url: `${server.origin}/conditional` }), null);
    expect(outcome.status).toBe('fetched');
    expect(outcome.snapshot?.body).toBe(PAGE);
    expect(outcome.snapshot?.sha256).toBe(sha256Hex(PAGE));
    expect(outcome.snapshot?.source_id).toBe('test-source');
    expect(outcome.snapshot?.format).toBe('html');
    expect(outcome.snapshot?.content_type).toBe('text/html');
    expect(Number.isNaN(Date.parse(outcome.snapshot!.observed_at))).toBe(false);
    expect(outcome).toMatchObject({ etag: ETAG, last_modified: LAST_MODIFIED, http_status: 200, attempts: 1 });
    expect(outcome.bytes).toBe(Buffer.byteLength(PAGE));
    const sent = server.hits('/conditional')[0].headers;
    expect(sent['if-none-match']).toBeUndefined();
    expect(sent['user-agent']).toMatch(/^model-ledger\/\S+ .*https?:\/\//);
  });

  it('sends the stored validators and reports a 304 as unchanged, with no snapshot', async () => {
    const before = server.hits('/conditional').length;
    const state = { etag: ETAG, last_modified: LAST_MODIFIED, sha256: sha256Hex(PAGE) };
    const outcome = await fetcher.fetchSource(makeSource({ url: `${server.origin}/conditional` }), state);
    const sent = server.hits('/conditional')[before].headers;
    expect(sent['if-none-match']).toBe(ETAG);
    expect(sent['if-modified-since']).toBe(LAST_MODIFIED);
    expect(outcome.status).toBe('unchanged');
    expect(outcome.snapshot).toBeUndefined();
    expect(outcome).toMatchObject({ http_status: 304, etag: ETAG, last_modified: LAST_MODIFIED, bytes: 0 });
  });

  it('fails a 304 to a request that sent no validators: a source that never read its page is not unchanged', async () => {
    for (const state of [null, { etag: null, last_modified: null, sha256: null }]) {
      const outcome = await fetcher.fetchSource(makeSource({ url: `${server.origin}/always-304` }), state);
      expect(outcome.status).toBe('failed');
      expect(outcome.error?.message).toMatch(/HTTP 304/);
    }
  });

  it('reports a 200 whose body hashes to the stored snapshot as unchanged', async () => {
    const state = { etag: null, last_modified: null, sha256: sha256Hex(PAGE) };
    const outcome = await fetcher.fetchSource(makeSource({ url: `${server.origin}/no-validators` }), state);
    expect(outcome.status).toBe('unchanged');
    expect(outcome.snapshot).toBeUndefined();
    expect(outcome.http_status).toBe(200);
  });

  it('reports a 200 with a different body as fetched', async () => {
    const state = { etag: null, last_modified: null, sha256: sha256Hex('an older page') };
    const outcome = await fetcher.fetchSource(makeSource({ url: `${server.origin}/no-validators` }), state);
    expect(outcome.status).toBe('fetched');
    expect(outcome.snapshot?.sha256).toBe(sha256Hex(PAGE));
  });
});
