/**
 * The review desk: a small node:http server over the ledger. Loopback by default; any other bind
 * needs a token. Decisions are POSTs carrying a per-server CSRF token, and the Host header must
 * name the desk itself, so another site (or a DNS-rebound name) cannot drive it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Source } from '../../schema/source.ts';
import type { Ledger } from '../../store/ledger.ts';
import { isBusy } from '../../store/db.ts';
import { approveChanges, rejectChanges } from '../decide.ts';
import { DocumentCache } from '../evidence.ts';
import { DESK_CSS, DESK_JS } from './assets.ts';
import { messagePage, modelPage, queuePage, type PageContext } from './pages.ts';
import { modelView, queueView } from './views.ts';
import { inputError, LedgerError, usageError } from '../../errors.ts';
import type { Journal } from '../../store/journal.ts';
import { bulkPreviewPage, decideBulk, selectionOf } from './bulk.ts';
import { listenError } from '../../listen-error.ts';

export interface DeskOptions {
  ledger: Ledger;
  sources: Source[];
  reviewer: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Required for a non-loopback host: every request must carry it (?token= once, then a cookie). */
  token?: string;
  now?: () => string;
  /** The decisions journal every desk decision is appended to. */
  journal?: Journal;
}

export interface Desk {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export const DEFAULT_DESK_PORT = 4178;
/** Shorter desk tokens are refused when the desk starts: guessable, and often a typo. */
export const MIN_TOKEN_LENGTH = 16;


/**
 * While a sync holds the ledger's write lock (its reconcile-and-queue transaction lasts tens of
 * seconds on the full default set), a decision waits in slices of DESK_BUSY_SLICE_MS, giving the
 * event loop back between them so the desk keeps serving pages, for up to DESK_BUSY_ATTEMPTS
 * slices (about two minutes); only then does it answer 503 and ask the reviewer to try again.
 */
export const DESK_BUSY_SLICE_MS = 200;
const DESK_BUSY_PAUSE_MS = 50;
const DESK_BUSY_ATTEMPTS = 480;

/** Runs a write, retrying while another connection holds the write lock; null if it never came free. */
async function whenLedgerFree<T>(write: () => T): Promise<{ value: T } | null> {
  for (let attempt = 0; attempt < DESK_BUSY_ATTEMPTS; attempt++) {
    try {
      return { value: write() };
    } catch (e) {
      if (!isBusy(e)) throw e;
    }
    await sleep(DESK_BUSY_PAUSE_MS);
  }
  return null;
}
/**
 * Bounds what a form may make the desk hold. A bulk decision names every previewed id: a first
 * import's 70,000 changes are ~0.7 MB encoded (64 KiB refused the second sync's 8,600).
 */
const MAX_FORM_BYTES = 4 * 1024 * 1024;

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': `${type}; charset=utf-8`, ...SECURITY_HEADERS, ...headers });
  res.end(body);
}

/**
 * Compares the sha256 of each in constant time: both digests are 32 bytes whatever was given, so
 * neither the comparison nor an early length check tells a guesser how long the secret is.
 */
export function sameSecret(given: string, secret: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(secret));
}

/** A cookie's value; one that is not valid percent-encoding is no value at all. */
function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k !== name) continue;
    try {
      return decodeURIComponent(v.join('='));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > MAX_FORM_BYTES) throw inputError('form too large');
  }
  return new URLSearchParams(body);
}

/** Only a path on this desk: never an absolute URL or a protocol-relative one. */
function localPath(back: string | null): string {
  return back && back.startsWith('/') && !back.startsWith('//') && !back.includes('\\') ? back : '/';
}

export function startDesk(options: DeskOptions): Promise<Desk> {
  const host = options.host ?? '127.0.0.1';
  if (options.token !== undefined && options.token.length < MIN_TOKEN_LENGTH) {
    return Promise.reject(usageError(`the review desk's token must be at least ${MIN_TOKEN_LENGTH} characters (--token or $MODEL_LEDGER_DESK_TOKEN); try: openssl rand -hex 16`));
  }
  if (!isLoopback(host) && !options.token) {
    return Promise.reject(usageError(`binding the review desk to ${host} exposes it beyond this machine: pass --token SECRET`));
  }
  // The desk owns its connection while it serves: short busy waits, retried between requests.
  options.ledger.setBusyTimeout(DESK_BUSY_SLICE_MS);
  const csrf = randomBytes(24).toString('hex');
  const now = options.now ?? (() => new Date().toISOString());
  const cache = new DocumentCache(options.ledger);
  const ctx = (): PageContext => ({ csrf, reviewer: options.reviewer, now: now() });
  let allowedHosts = new Set<string>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // Without a token the Host check is what keeps a DNS-rebound page out; with one, the token does.
    if (!options.token && !allowedHosts.has((req.headers.host ?? '').toLowerCase())) {
      send(res, 421, 'text/plain', 'unexpected Host header');
      return;
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://desk.invalid');
    } catch {
      return send(res, 400, 'text/plain', 'malformed request target');
    }
    if (options.token) {
      const given = url.searchParams.get('token');
      if (given !== null && sameSecret(given, options.token)) {
        url.searchParams.delete('token');
        res.writeHead(303, { Location: url.pathname + url.search, 'Set-Cookie': `desk_token=${encodeURIComponent(given)}; HttpOnly; SameSite=Strict; Path=/`, ...SECURITY_HEADERS });
        res.end();
        return;
      }
      const held = cookie(req, 'desk_token');
      if (held === undefined || !sameSecret(held, options.token)) {
        send(res, 401, 'text/plain', 'this review desk needs its token: open it with ?token=SECRET');
        return;
      }
    }

    // HEAD answers as GET does (a monitor's probe); Node sends no body for it.
    const reading = req.method === 'GET' || req.method === 'HEAD';
    if (reading && url.pathname === '/assets/desk.css') return send(res, 200, 'text/css', DESK_CSS);
    if (reading && url.pathname === '/assets/desk.js') return send(res, 200, 'text/javascript', DESK_JS);
    if (reading && url.pathname === '/') {
      const q = url.searchParams;
      const { filter, group } = selectionOf(q);
      const view = queueView(options.ledger, options.sources, filter, Number(q.get('page') ?? 1) || 1, cache, group);
      return send(res, 200, 'text/html', queuePage(view, ctx(), q.get('done') ?? undefined));
    }
    if (reading && url.pathname === '/model') {
      const view = modelView(options.ledger, url.searchParams.get('id') ?? '');
      if (!view) return send(res, 404, 'text/html', messagePage('No such model', `no model ${url.searchParams.get('id') ?? ''} in the ledger`, ctx()));
      return send(res, 200, 'text/html', modelPage(view, ctx()));
    }
    const snapshot = url.pathname.match(/^\/snapshots\/([0-9a-f]{64})$/);
    if (reading && snapshot) {
      const body = options.ledger.captures.snapshotBody(snapshot[1]);
      if (body === null) return send(res, 404, 'text/plain', 'no such snapshot');
      // Served as inert text in a sandbox: a captured page is evidence, never a page to run.
      return send(res, 200, 'text/plain', body, { 'Content-Security-Policy': 'sandbox; default-src \'none\'' });
    }
    if (reading && url.pathname === '/bulk') return send(res, 200, 'text/html', bulkPreviewPage(options.ledger, url.searchParams, ctx()));
    if (url.pathname === '/bulk') {
      if (req.method !== 'POST') return send(res, 405, 'text/plain', 'use POST', { Allow: 'POST' });
      return decideMany(req, res);
    }
    const decide = url.pathname.match(/^\/changes\/(\d+)\/decide$/);
    if (decide) {
      if (req.method !== 'POST') return send(res, 405, 'text/plain', 'use POST', { Allow: 'POST' });
      return decideChange(req, res, Number(decide[1]));
    }
    send(res, 404, 'text/html', messagePage('Not found', `nothing at ${url.pathname}`, ctx()));
  };

  const decideChange = async (req: IncomingMessage, res: ServerResponse, id: number): Promise<void> => {
    const wantsJson = (req.headers.accept ?? '').includes('application/json');
    const fail = (status: number, error: string) =>
      wantsJson ? send(res, status, 'application/json', JSON.stringify({ error })) : send(res, status, 'text/html', messagePage('Not done', error, ctx()));
    const form = await readForm(req);
    if (!sameSecret(form.get('csrf') ?? '', csrf)) return fail(403, 'missing or wrong CSRF token: reload the desk');
    const action = form.get('action');
    const note = (form.get('note') ?? '').trim();
    if (action !== 'approve' && action !== 'reject') return fail(400, 'action must be approve or reject');
    let decided;
    try {
      decided = await whenLedgerFree(() =>
        action === 'approve'
          ? approveChanges(options.ledger, [id], { reviewer: options.reviewer, note: note || undefined, at: now() }, options.sources, options.journal)
          : rejectChanges(options.ledger, [id], { reviewer: options.reviewer, reason: note, at: now() }, options.journal),
      );
    } catch (e) {
      if (e instanceof LedgerError) return fail(400, e.message);
      throw e;
    }
    if (!decided) {
      res.setHeader('Retry-After', '30');
      return fail(503, 'the ledger is busy (a sync is writing to it): nothing was decided, try again in a moment');
    }
    const [change] = decided.value;
    if (wantsJson) return send(res, 200, 'application/json', JSON.stringify({ change }));
    const back = new URL(localPath(form.get('back')), 'http://desk.invalid');
    back.searchParams.set('done', `change #${id} ${change.status}`);
    res.writeHead(303, { Location: back.pathname + back.search, ...SECURITY_HEADERS });
    res.end();
  };

  const decideMany = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const form = await readForm(req);
    if (!sameSecret(form.get('csrf') ?? '', csrf)) return send(res, 403, 'text/html', messagePage('Not done', 'missing or wrong CSRF token: reload the desk', ctx()));
    let done: string;
    try {
      done = decideBulk(options.ledger, options.sources, form, { reviewer: options.reviewer, at: now(), journal: options.journal });
    } catch (e) {
      if (e instanceof LedgerError) return send(res, 400, 'text/html', messagePage('Not done', e.message, ctx()));
      throw e;
    }
    const back = new URL(localPath(form.get('back')), 'http://desk.invalid');
    back.searchParams.set('done', done);
    res.writeHead(303, { Location: back.pathname + back.search, ...SECURITY_HEADERS });
    res.end();
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      const message = e instanceof LedgerError ? e.message : 'internal error';
      if (!(e instanceof LedgerError)) process.stderr.write(`review desk: ${(e as Error).stack ?? e}\n`);
      if (!res.headersSent) send(res, e instanceof LedgerError ? 400 : 500, 'text/plain', message);
      else res.end();
    });
  });

  const requested = options.port ?? DEFAULT_DESK_PORT;
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(listenError(e, host, requested)));
    server.listen(requested, host, () => {
      const { port } = server.address() as AddressInfo;
      const shown = host.includes(':') ? `[${host}]` : host;
      allowedHosts = new Set([`${shown}:${port}`, `localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`].map((h) => h.toLowerCase()));
      resolve({
        url: `http://${shown}:${port}/`,
        server,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
