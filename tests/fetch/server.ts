import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { SourceSchema, type Source, type SourceInput } from '../../src/schema/source.ts';

export interface SeenRequest {
  path: string;
  at: number;
  headers: http.IncomingHttpHeaders;
}

export type Route = (req: http.IncomingMessage, res: http.ServerResponse, hit: number) => void;

export interface TestServer {
  origin: string;
  requests: SeenRequest[];
  /** Requests seen for one path. */
  hits(path: string): SeenRequest[];
  /** Most requests the server was handling at the same moment. */
  maxInFlight(): number;
  route(path: string, handler: Route): void;
  close(): Promise<void>;
}

/** A real node:http server on 127.0.0.1; unknown paths (robots.txt included) answer 404. */
export async function startServer(routes: Record<string, Route> = {}): Promise<TestServer> {
  const table = new Map(Object.entries(routes));
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  let inFlight = 0;
  let maxInFlight = 0;
  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push({ path, at: performance.now(), headers: req.headers });
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let finished = false;
    const finish = () => {
      if (!finished) inFlight--;
      finished = true;
    };
    res.on('finish', finish);
    res.on('close', finish);
    const handler = table.get(path);
    if (!handler) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    handler(req, res, requests.filter((r) => r.path === path).length);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    hits: (path) => requests.filter((r) => r.path === path),
    maxInFlight: () => maxInFlight,
    route: (path, handler) => void table.set(path, handler),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export function html(body: string, headers: http.OutgoingHttpHeaders = {}): Route {
  return (_req, res) => void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...headers }).end(body);
}

export function makeSource(overrides: Partial<SourceInput> & { url: string }): Source {
  return SourceSchema.parse({
    id: 'test-source',
    name: 'Test source',
    kind: 'aggregator',
    format: 'html',
    extractor: 'aggregator-html',
    trust: 0.5,
    ...overrides,
  });
}

/** Limits small enough that every failure path finishes in well under a second. */
export const FAST = {
  perHostDelayMs: 0,
  retryBaseMs: 10,
  connectTimeoutMs: 1_000,
  headersTimeoutMs: 300,
  bodyTimeoutMs: 300,
  maxRetries: 2,
};
