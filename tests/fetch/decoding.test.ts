import { readFileSync } from 'node:fs';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetcher } from '../../src/fetch/index.ts';
import { decodeBody } from '../../src/fetch/charset.ts';
import { FAST, makeSource, startServer, type Route, type TestServer } from './server.ts';

const WINDOWS_1252 = readFileSync(new URL('../fixtures/fetch/price-table-windows-1252.html', import.meta.url));
const PAGE = readFileSync(new URL('../fixtures/fetch/pricing-table.html', import.meta.url), 'utf8');

const send =
  (body: Buffer | string, headers: Record<string, string>): Route =>
  (_req, res) =>
    void res.writeHead(200, headers).end(body);

describe('decoding bodies', () => {
  let server: TestServer;
  const fetcher = createFetcher(FAST);
  const fetchAs = (path: string, format: 'html' | 'json' | 'markdown' | 'text' = 'html') =>
    fetcher.fetchSource(makeSource({ url: `${server.origin}${path}`, format }), null);

  beforeAll(async () => {
    server = await startServer({
      '/cp1252-header': send(WINDOWS_1252, { 'content-type': 'text/html; charset=windows-1252' }),
      '/cp1252-meta': send(WINDOWS_1252, { 'content-type': 'text/html' }),
      '/gzip': send(gzipSync(PAGE), { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip' }),
      '/br': send(brotliCompressSync(PAGE), { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'br' }),
      '/deflate': send(deflateSync(PAGE), { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'deflate' }),
      '/zstd': send(gzipSync(PAGE.repeat(20)), { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'zstd' }),
      '/json-as-html': send('{"data":[]}', { 'content-type': 'application/json' }),
      '/html-error-for-json': send('<html>Service unavailable</html>', { 'content-type': 'text/html' }),
      '/plain-json': send('{"data":[{"id":"openai/gpt-5.2-codex"}]}', { 'content-type': 'text/plain; charset=utf-8' }),
      '/plain-not-json': send('<html>oops</html>', { 'content-type': 'text/plain' }),
    });
  });
  afterAll(async () => {
    await fetcher.close();
    await server.close();
  });

  it('decodes a windows-1252 page by its Content-Type charset', async () => {
    const outcome = await fetchAs('/cp1252-header');
    expect(outcome.snapshot?.body).toContain('1,75 €');
    expect(outcome.snapshot?.body).toContain('Modèle');
    expect(outcome.snapshot?.body).toContain('“instruct”');
  });

  it('decodes a windows-1252 page by its <meta> charset when the header names none', async () => {
    const outcome = await fetchAs('/cp1252-meta');
    expect(outcome.snapshot?.body).toContain('14,00 €');
    expect(outcome.snapshot?.body).not.toContain('\uFFFD');
  });

  it.each(['/gzip', '/br', '/deflate'])('decodes %s bodies to the same text and hash', async (path) => {
    const outcome = await fetchAs(path);
    expect(outcome.status).toBe('fetched');
    expect(outcome.snapshot?.body).toBe(PAGE);
    expect(outcome.bytes).toBeLessThan(Buffer.byteLength(PAGE)); // wire bytes, still compressed
    expect(server.hits(path)[0].headers['accept-encoding']).toMatch(/gzip.*br/);
  });

  it("fails a body in an encoding it cannot decode as that source's failure, and goes on", async () => {
    // The unread body was destroyed with nobody listening for its error: the process died, and the sync with it.
    const outcome = await fetchAs('/zstd');
    expect(outcome.status).toBe('failed');
    expect(outcome.error?.message).toMatch(/unsupported content-encoding "zstd"/);
    expect((await fetchAs('/gzip')).snapshot?.body).toBe(PAGE);
  });

  it('rejects a response whose content-type does not fit the source format', async () => {
    const outcome = await fetchAs('/json-as-html', 'html');
    expect(outcome.error?.class).toBe('content-type');
    expect(outcome.error?.message).toMatch(/expected html but the server sent application\/json/);
    const errorPage = await fetchAs('/html-error-for-json', 'json');
    expect(errorPage.error?.class).toBe('content-type');
  });

  it('accepts JSON served as text/plain only when it parses', async () => {
    expect((await fetchAs('/plain-json', 'json')).status).toBe('fetched');
    const outcome = await fetchAs('/plain-not-json', 'json');
    expect(outcome.error?.class).toBe('content-type');
    expect(outcome.error?.message).toMatch(/does not parse/);
  });
});

describe('decodeBody', () => {
  it('lets a BOM win over the header', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Prix €', 'utf16le')]);
    expect(decodeBody(utf16, 'text/html; charset=iso-8859-1', 'html')).toEqual({ text: 'Prix €', charset: 'utf-16le' });
  });

  it('reads undeclared bytes as UTF-8 when valid, else as windows-1252', () => {
    expect(decodeBody(Buffer.from('1,75 €'), null, 'text').text).toBe('1,75 €');
    expect(decodeBody(Buffer.from([0x31, 0x80]), null, 'text')).toEqual({ text: '1€', charset: 'windows-1252' });
  });

  it('ignores an unknown charset label instead of failing', () => {
    expect(decodeBody(Buffer.from('ok'), 'text/html; charset=x-made-up', 'html').text).toBe('ok');
  });
});
