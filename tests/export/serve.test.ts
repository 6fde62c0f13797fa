import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveDirectory, type ExportServer } from '../../src/export/serve.ts';
import { serveExport } from '../../src/app/export.ts';

/** A raw GET: fetch() would fold `..` and percent-encoded dots before sending. */
function get(server: ExportServer, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serve an export directory', () => {
  let server: ExportServer;
  beforeAll(async () => {
    const parent = mkdtempSync(join(tmpdir(), 'ml-serve-'));
    const dir = join(parent, 'export');
    mkdirSync(join(dir, 'api', 'models', 'openai'), { recursive: true });
    writeFileSync(join(dir, 'api', 'models.json'), '{"models":[]}\n');
    writeFileSync(join(dir, 'api', 'models', 'openai', 'gpt-5.2.json'), '{"id":"openai/gpt-5.2"}\n');
    writeFileSync(join(dir, 'feed.atom'), '<feed xmlns="http://www.w3.org/2005/Atom"/>\n');
    writeFileSync(join(parent, 'secret.txt'), 'not served\n');
    symlinkSync(join(parent, 'secret.txt'), join(dir, 'escape.json'));
    server = await serveDirectory(dir, { port: 0 });
  });
  afterAll(() => server.close());

  it('listens on the loopback interface and serves files with their content type and CORS', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    const model = await get(server, '/api/models/openai/gpt-5.2.json');
    expect([model.status, model.body]).toEqual([200, '{"id":"openai/gpt-5.2"}\n']);
    expect(model.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(model.headers['access-control-allow-origin']).toBe('*');
    expect((await get(server, '/feed.atom')).headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    const preflight = await get(server, '/api/models.json', { origin: 'https://example.test', 'access-control-request-method': 'GET' }, 'OPTIONS');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-methods']).toContain('GET');
  });

  it('answers a matching If-None-Match with 304 and no body, a stale one with the file', async () => {
    const first = await get(server, '/api/models.json');
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[0-9a-f]+"$/);
    const again = await get(server, '/api/models.json', { 'if-none-match': etag });
    expect([again.status, again.body, again.headers.etag]).toEqual([304, '', etag]);
    expect((await get(server, '/api/models.json', { 'if-none-match': `"stale", W/${etag}` })).status).toBe(304);
    expect((await get(server, '/api/models.json', { 'if-none-match': '"stale"' })).status).toBe(200);
    expect((await get(server, '/feed.atom', { 'if-none-match': etag })).status).toBe(200);
  });

  it('answers 404 for what is missing and refuses paths out of the directory', async () => {
    expect((await get(server, '/api/models/openai/gpt-9.json')).status).toBe(404);
    expect((await get(server, '/api')).status).toBe(404);
    // A file named as a directory is not that file.
    expect((await get(server, '/api/models.json/')).status).toBe(404);
    for (const path of ['/../secret.txt', '/api/../../secret.txt', '/%2e%2e/secret.txt', '/api/%2E%2E/%2e%2e/secret.txt', '/..%2fsecret.txt', '/..%5csecret.txt', '/escape.json']) {
      const res = await get(server, path);
      expect([403, 404], path).toContain(res.status);
      expect(res.body, path).not.toContain('not served');
    }
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/api/%2E%2E/%2e%2e/secret.txt', '/..%5csecret.txt', '/escape.json']) expect((await get(server, path)).status, path).toBe(403);
    expect((await get(server, '/api/models.json', {}, 'POST')).status).toBe(405);
  });

  it('refuses a directory that is not there with an input error, before listening', async () => {
    await expect(serveExport(join(tmpdir(), 'ml-serve-missing', 'nowhere'))).rejects.toMatchObject({ kind: 'input', message: expect.stringContaining('not a directory') });
  });

  it('refuses a port in use as bad input, naming it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ml-serve-busy-'));
    await expect(serveExport(root, { port: server.port })).rejects.toMatchObject({ kind: 'input', message: expect.stringMatching(/port \d+ on 127\.0\.0\.1 is in use; pick another/) });
  });
});
