import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { SourceSchema, type Source, type SourceInput } from '../../src/schema/source.ts';

export interface SeenRequest {
  path: string;
  /** performance.now() when the request arrived: the fake clock's reading where a test fakes `performance`. */
  at: number;
  headers: http.IncomingHttpHeaders;
}

export type Route = (req: http.IncomingMessage, res: http.ServerResponse, hit: number) => void;

/**
 * What a server saw, in the order it saw it: a request arriving, its response fully sent, or its
 * connection closing before the response was complete (the client gave up, or a route cut it).
 * `seq` counts across every test server in the process, so two servers' logs can be merged.
 */
export interface ServerEvent {
  seq: number;
  path: string;
  kind: 'start' | 'end' | 'dropped';
}

let sequence = 0;

export interface TestServer {
  origin: string;
  requests: SeenRequest[];
  events: ServerEvent[];
  /** Requests seen for one path. */
  hits(path: string): SeenRequest[];
  /** Most requests the server was handling at the same moment. */
  maxInFlight(): number;
  /** Resolves with the first request for `path`, at once if it has already come. */
  arrival(path: string): Promise<SeenRequest>;
  route(path: string, handler: Route): void;
  close(): Promise<void>;
}

/** A real node:http server on 127.0.0.1; unknown paths (robots.txt included) answer 404. */
export async function startServer(routes: Record<string, Route> = {}): Promise<TestServer> {
  const table = new Map(Object.entries(routes));
  const requests: SeenRequest[] = [];
  const events: ServerEvent[] = [];
  const waiting = new Map<string, Array<(seen: SeenRequest) => void>>();
  const sockets = new Set<Socket>();
  let inFlight = 0;
  let maxInFlight = 0;
  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    const seen = { path, at: performance.now(), headers: req.headers };
    requests.push(seen);
    events.push({ seq: ++sequence, path, kind: 'start' });
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let finished = false;
    const finish = (kind: 'end' | 'dropped') => {
      if (!finished) {
        inFlight--;
        events.push({ seq: ++sequence, path, kind });
        req.socket.off('end', hungUp);
      }
      finished = true;
    };
    // The client closing its end is the earliest sign of a dropped request; 'close' on the
    // response can come an event-loop turn later, after the client's next request has arrived.
    const hungUp = () => finish('dropped');
    req.socket.once('end', hungUp);
    res.on('finish', () => finish('end'));
    res.on('close', () => finish('dropped')); // no-op after 'finish'
    for (const resolve of waiting.get(path)?.splice(0) ?? []) resolve(seen);
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
    events,
    hits: (path) => requests.filter((r) => r.path === path),
    maxInFlight: () => maxInFlight,
    arrival: (path) => {
      const seen = requests.find((r) => r.path === path);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => void waiting.set(path, [...(waiting.get(path) ?? []), resolve]));
    },
    route: (path, handler) => void table.set(path, handler),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * The most requests `servers` were handling at the same moment, taken together: their event logs
 * merged in the order things happened, not by clock time.
 */
export function maxInFlightAcross(...servers: TestServer[]): number {
  const merged = servers.flatMap((s) => s.events).sort((x, y) => x.seq - y.seq);
  let inFlight = 0;
  let most = 0;
  for (const event of merged) {
    inFlight += event.kind === 'start' ? 1 : -1;
    most = Math.max(most, inFlight);
  }
  return most;
}

/** The kinds of `server`'s events for `paths`, in order: e.g. ['start', 'dropped']. */
export function eventKinds(server: TestServer, ...paths: string[]): ServerEvent['kind'][] {
  return server.events.filter((e) => paths.includes(e.path)).map((e) => e.kind);
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

/**
 * Limits small enough that every failure path finishes in well under a second; the test servers
 * are on 127.0.0.1, which the fetcher refuses unless private networks are allowed.
 */
export const FAST = {
  allowPrivateNetwork: true,
  perHostDelayMs: 0,
  retryBaseMs: 10,
  connectTimeoutMs: 1_000,
  headersTimeoutMs: 300,
  bodyTimeoutMs: 300,
  maxRetries: 2,
};
