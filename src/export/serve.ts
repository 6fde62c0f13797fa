/**
 * Serves an export directory (the static API, the feed, any format) over HTTP on the loopback
 * interface, for local use and tests: what a static host would serve, with revalidation (ETag,
 * If-None-Match -> 304), CORS for browser readers, and nothing outside the directory.
 */
import { createHash } from 'node:crypto';
import { readFile, realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, resolve, sep } from 'node:path';
import { listenError } from '../listen-error.ts';

const CONTENT_TYPES: Record<string, string> = {
  '.json': 'application/json; charset=utf-8',
  '.atom': 'application/atom+xml; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.ndjson': 'application/x-ndjson; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
};

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, HEAD, OPTIONS',
  'access-control-allow-headers': 'If-None-Match',
  'access-control-expose-headers': 'ETag',
};

export interface ExportServer {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

/** Starts serving `dir` on 127.0.0.1:`port` (0: any free port). */
export async function serveDirectory(dir: string, options: { port?: number } = {}): Promise<ExportServer> {
  const root = await realpath(dir);
  if (!(await stat(root)).isDirectory()) throw new Error(`${dir} is not a directory`);
  const server = createServer((req, res) => {
    handle(root, req, res).catch(() => send(res, 500, 'internal error\n'));
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', (e: NodeJS.ErrnoException) => fail(listenError(e, '127.0.0.1', options.port ?? 0)));
    server.listen(options.port ?? 0, '127.0.0.1', () => ok());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        // Keep-alive connections of readers that went idle would hold close() open.
        server.closeAllConnections();
      }),
  };
}

function send(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { ...CORS, 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', ...headers });
  res.end(text);
}

/** The file a request path names inside `root`, or why there is none. */
async function locate(root: string, rawUrl: string): Promise<{ path: string } | { status: number; reason: string }> {
  let pathname: string;
  try {
    // The path as sent, not as a URL parser would fold it: `/a/../b` and `%2e%2e` are refused, not resolved.
    pathname = decodeURIComponent(rawUrl.replace(/[?#].*$/s, ''));
  } catch {
    return { status: 400, reason: 'malformed path' };
  }
  if (!pathname.startsWith('/')) return { status: 400, reason: 'malformed path' };
  // Only files are served: "/api/models.json/" names a directory, which this one is not.
  if (pathname.endsWith('/')) return { status: 404, reason: 'not found' };
  const segments = pathname.split(/[\\/]/);
  if (pathname.includes('\0') || segments.includes('..')) return { status: 403, reason: 'path outside the served directory' };
  const candidate = resolve(root, `.${pathname}`);
  if (candidate !== root && !candidate.startsWith(root + sep)) return { status: 403, reason: 'path outside the served directory' };
  let real: string;
  try {
    real = await realpath(candidate);
  } catch {
    return { status: 404, reason: 'not found' };
  }
  // A link inside the directory may point out of it.
  if (!real.startsWith(root + sep)) return { status: real === root ? 404 : 403, reason: real === root ? 'not found' : 'path outside the served directory' };
  if (!(await stat(real)).isFile()) return { status: 404, reason: 'not found' };
  return { path: real };
}

async function handle(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method === 'OPTIONS') {
    res.writeHead(204, { ...CORS, 'access-control-max-age': '86400' });
    return void res.end();
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed\n', { allow: 'GET, HEAD, OPTIONS' });
  const found = await locate(root, req.url ?? '/');
  if ('status' in found) return send(res, found.status, `${found.reason}\n`);
  const body = await readFile(found.path);
  const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`;
  const headers = {
    ...CORS,
    etag,
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
    'content-type': CONTENT_TYPES[extname(found.path)] ?? 'application/octet-stream',
  };
  if (matches(req.headers['if-none-match'], etag)) {
    res.writeHead(304, headers);
    return void res.end();
  }
  res.writeHead(200, { ...headers, 'content-length': String(body.length) });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** If-None-Match: `*`, or a list of (weak or strong) tags; weak comparison, as RFC 9110 asks for it. */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
