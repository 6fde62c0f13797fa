import { setMaxListeners } from 'node:events';
import { Agent } from 'undici';
import { checkHop, connectLookup, systemResolver } from './address-guard.ts';
import type { Source } from '../schema/source.ts';
import type { Snapshot } from '../schema/snapshot.ts';
import { createBrowserRenderer, chromiumPath, type BrowserRenderer, type BrowserRequestHandler } from './browser.ts';
import { decodeBody } from './charset.ts';
import { ACCEPT_HEADER, contentTypeProblem } from './content-type.ts';
import { Cutoff, type AbortLike } from './cutoff.ts';
import { createDeadlineQueue, type DeadlineClock } from './deadlines.ts';
import { classifyError, FetchFailure } from './errors.ts';
import { httpGet, type ExchangeLimits, type HttpResponse } from './http.ts';
import { parseFetcherOptions, type FetcherOptions, type FetcherOptionsInput } from './options.ts';
import { backoffMs, parseRetryAfter, RETRYABLE_STATUSES, sleep, untilAborted } from './retry.ts';
import { ALLOW_ALL, parseRobots, ROBOTS_FRESH_MS, type RobotsRules } from './robots.ts';
import { createRequestScheduler } from './scheduler.ts';
import { sha256Hex } from './snapshot-store.ts';
import type { FetchOutcome, FetchState } from './types.ts';

export interface Fetcher {
  /** Never throws for a failing source: the failure is in the outcome. */
  fetchSource(source: Source, state: FetchState | null): Promise<FetchOutcome>;
  /**
   * A run over `sources`: calling the returned function with i (once per i) starts source i's
   * fetch and gives its outcome; progress counts over them all. A caller that consumes outcomes
   * in order starts each as it can take it: it holds only those it started, not every body of a
   * large run, and nothing waits for sources not yet started.
   */
  fetchOnDemand(sources: Source[], states: Map<string, FetchState>): (index: number) => Promise<FetchOutcome>;
  /** Every source at once, concurrently within the limits; outcomes in the order of `sources`. */
  fetchAll(sources: Source[], states: Map<string, FetchState>): Promise<FetchOutcome[]>;
  close(): Promise<void>;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Request headers the connection owns, not the page: undici sets its own. */
const HOP_BY_HOP = new Set(['host', 'connection', 'keep-alive', 'content-length', 'transfer-encoding', 'accept-encoding', 'upgrade']);
/** Response headers that no longer hold once the body has been decoded and buffered. */
const DECODED_AWAY = new Set(['content-encoding', 'content-length', 'transfer-encoding', 'connection', 'keep-alive']);
const ROBOTS_MAX_BYTES = 512 * 1024; // RFC 9309 asks crawlers to read at least 500 KiB
const ROBOTS_MAX_REDIRECTS = 5;

/** Counters of one source's fetch, filled in as it goes so a failure still reports them. */
interface Progress {
  attempts: number;
  bytes: number;
  httpStatus: number | null;
}

/** One source's fetch under way: its counters, its deadline and whether it may reach private addresses. */
interface Job {
  source: Source;
  progress: Progress;
  /** Aborts when the source's or the sync's deadline passes. */
  signal: AbortLike;
  /** Starts the source's deadline clock (idempotent): called when its first request gets a slot. */
  startClock(): void;
}

/** How one request is sent. */
interface Send {
  allowPrivate: boolean;
  signal?: AbortLike;
  limits?: ExchangeLimits;
  spaced?: boolean;
  onStart?: () => void;
  method?: string;
  body?: Buffer;
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/** A 2xx body, decoded, ready to become a snapshot. */
interface Page {
  url: string;
  status: number;
  contentType: string | null;
  text: string;
  etag: string | null;
  lastModified: string | null;
}

type Result = Pick<FetchOutcome, 'status' | 'snapshot' | 'etag' | 'last_modified'>;

interface RobotsVerdict {
  rules: RobotsRules;
  /** Set when robots.txt could not be read: RFC 9309 then means "assume everything is disallowed". */
  unreadable?: string;
}

export function createFetcher(options: Partial<FetcherOptionsInput> = {}): Fetcher {
  const opts: FetcherOptions = parseFetcherOptions(options);
  const resolve = opts.lookup ?? systemResolver;
  /**
   * Two pools: one whose sockets connect only to addresses the guard checked (the default), and
   * one for hops allowed onto private networks. Without a custom resolver the open pool resolves
   * as undici always has.
   */
  const makeAgent = (allowPrivate: boolean) =>
    new Agent({
      connect: {
        timeout: opts.connectTimeoutMs,
        ...(allowPrivate && !opts.lookup ? {} : { lookup: connectLookup(resolve, allowPrivate) }),
      },
      connections: opts.perHostConcurrency,
      headersTimeout: opts.headersTimeoutMs,
      bodyTimeout: opts.bodyTimeoutMs,
    });
  const agents = new Map<boolean, Agent>();
  const agentFor = (allowPrivate: boolean): Agent => {
    let agent = agents.get(allowPrivate);
    if (!agent) agents.set(allowPrivate, (agent = makeAgent(allowPrivate)));
    return agent;
  };
  const scheduler = createRequestScheduler(opts);
  const robotsByOrigin = new Map<string, Promise<RobotsVerdict>>();
  /** The verdicts already in: most sources of a run ask after their origin's robots.txt was read. */
  const robotsRead = new Map<string, RobotsVerdict>();
  const limits: ExchangeLimits = opts;
  let renderer: BrowserRenderer | null = null;

  // The sync's deadline runs from the first fetch; every source still going when it passes is cut off.
  const syncController = new AbortController();
  setMaxListeners(0, syncController.signal); // one listener per robots.txt read in flight, by design
  /** Each source in flight's own cut-off, cut off with the sync (a set, not a listener each: those cost more than a 304). */
  const sourcesInFlight = new Set<Cutoff>();
  let syncClock: NodeJS.Timeout | null = null;
  const sourceDeadlines = createDeadlineQueue(opts.sourceDeadlineMs);
  const startSyncClock = () => {
    if (syncClock) return;
    syncClock = setTimeout(() => {
      syncController.abort(
        new FetchFailure('deadline', `the sync's deadline of ${seconds(opts.syncDeadlineMs)} passed before this source was read; its last good facts are kept`),
      );
      for (const cutoff of sourcesInFlight) cutoff.abort(syncController.signal.reason);
    }, opts.syncDeadlineMs);
    syncClock.unref();
  };

  /**
   * Private addresses are reachable only where allowed: everywhere with `allowPrivateNetwork`, or
   * on the source's own host when its file says `"allow_private_network": true` (a redirect or a
   * page's request to another host is still checked).
   */
  const allowsPrivate = (source: Source, target: URL): boolean =>
    opts.allowPrivateNetwork || (source.allow_private_network === true && target.hostname === new URL(source.url).hostname);

  const hop = (url: string, target: URL, allowPrivate: boolean): Promise<unknown> | undefined => checkHop(url, target, allowPrivate, resolve);

  /**
   * One request to `url` on `host`, once the host has a slot for it; the hop must have been checked.
   * While it waits for a slot, a deadline ends it at once; once sent, the request ends itself (and
   * says what status it had).
   */
  const get = (url: string, host: string, headers: Record<string, string>, how: Send): Promise<HttpResponse> =>
    scheduler.run(
      host,
      () => {
        // Checked as the request would start: those queued behind the answer that asked it are not sent either.
        const declined = backedOffHosts.get(host);
        if (declined) return Promise.reject(new FetchFailure('http', `${declined}; not requested again in this sync (${url})`));
        how.onStart?.();
        return httpGet(agentFor(how.allowPrivate), url, { 'user-agent': opts.userAgent, ...headers }, how.limits ?? limits, how.signal, how.method, how.body);
      },
      how.spaced ?? true,
      how.signal,
    );

  /** robots.txt as text ('' where RFC 9309 means "no rules": a 4xx, too many redirects), or why it could not be read. */
  async function fetchRobotsText(origin: string, asker: Job): Promise<{ text: string } | { unreadable: string }> {
    let url = `${origin}/robots.txt`;
    for (let hops = 0; hops <= ROBOTS_MAX_REDIRECTS; hops++) {
      const target = new URL(url);
      const allowPrivate = allowsPrivate(asker.source, target);
      await hop(url, target, allowPrivate); // a robots.txt redirected into a private network is refused, not read
      let response: HttpResponse;
      try {
        // Shared by every source of the origin: only the sync's deadline cuts it off, not the asker's.
        response = await get(url, target.host, { accept: 'text/plain' }, {
          allowPrivate,
          signal: syncController.signal,
          limits: { ...limits, maxBodyBytes: ROBOTS_MAX_BYTES },
          onStart: asker.startClock,
        });
      } catch (error) {
        const failure = classifyError(error, url);
        if (failure.errorClass === 'blocked' || failure.errorClass === 'deadline') throw failure;
        return { unreadable: failure.message };
      }
      const location = response.headers.location;
      if (REDIRECT_STATUSES.has(response.status) && location) {
        url = new URL(location, url).href;
        continue;
      }
      if (response.body) return { text: decodeBody(response.body, null, 'text').text };
      // 4xx means "no rules"; 429 and 5xx mean the site is struggling, not that it allows everything.
      if (response.status >= 400 && response.status < 500 && response.status !== 429) return { text: '' };
      return { unreadable: `HTTP ${response.status}` };
    }
    return { text: '' };
  }

  async function readRobots(origin: string, asker: Job): Promise<RobotsVerdict> {
    const cached = opts.robotsCache?.get(origin) ?? null;
    const fresh = cached !== null && Date.now() - Date.parse(cached.fetched_at) < ROBOTS_FRESH_MS;
    if (fresh) return { rules: parseRobots(cached.text, opts.userAgent) };
    const read = await fetchRobotsText(origin, asker);
    if ('text' in read) {
      opts.robotsCache?.put(origin, read.text, new Date().toISOString());
      return { rules: parseRobots(read.text, opts.userAgent) };
    }
    // Unreachable: the last copy read stands in, whatever its age (RFC 9309 §2.4); with none, disallow all.
    if (cached) return { rules: parseRobots(cached.text, opts.userAgent) };
    return { rules: ALLOW_ALL, unreadable: read.unreadable };
  }

  /**
   * The gate each hop passes before its request queues (`target` is `url` parsed): the address
   * check, then robots.txt. A promise only when either has to wait (a lookup, robots.txt being read).
   */
  function passGate(job: Job, url: string, target: URL): Promise<void> | undefined {
    const lookup = hop(url, target, allowsPrivate(job.source, target));
    return lookup ? lookup.then(() => assertAllowed(job, target)) : assertAllowed(job, target);
  }

  /**
   * Throws (or rejects) unless robots.txt lets this user agent fetch `target`. A promise only while
   * the origin's robots.txt is still being read: most sources of a run ask after it was.
   */
  function assertAllowed(job: Job, target: URL): Promise<void> | undefined {
    if (job.source.robots === 'ignore') return undefined;
    // The origin of an http(s) URL (the hop check let no other scheme through), without the cost of URL's own getter.
    const origin = `${target.protocol}//${target.host}`;
    const read = robotsRead.get(origin);
    if (read) {
      job.signal.throwIfAborted();
      return obey(read, origin, target);
    }
    let verdict = robotsByOrigin.get(origin);
    if (!verdict) {
      // The crawl delay is set inside the shared promise, so the source that asked first waits
      // exactly as long as the rest and keeps its place in the host's queue.
      verdict = readRobots(origin, job).then((read) => {
        if (read.rules.crawlDelayMs !== null) scheduler.setHostDelay(target.host, Math.min(read.rules.crawlDelayMs, opts.maxRetryAfterMs));
        robotsRead.set(origin, read);
        return read;
      });
      robotsByOrigin.set(origin, verdict);
    }
    return untilAborted(verdict, job.signal).then((read) => obey(read, origin, target));
  }

  /** Throws unless the verdict on `origin`'s robots.txt allows `target`. */
  function obey({ rules, unreadable }: RobotsVerdict, origin: string, target: URL): undefined {
    const { pathname, search } = target;
    if (unreadable) {
      throw new FetchFailure(
        'robots',
        `robots.txt of ${origin} could not be read (${unreadable}); treated as disallow-all per RFC 9309. Retry later, or set "robots: ignore" on the source if you may fetch it anyway`,
      );
    }
    if (!rules.isAllowed(pathname + search)) {
      throw new FetchFailure('robots', `robots.txt of ${origin} disallows ${pathname}${search} for this user agent`);
    }
    return undefined;
  }

  /**
   * Hosts that asked to be left alone for longer than the cap: waiting that long would stall the
   * sync, and a request sooner would ignore what the server asked, so none is sent to them again.
   */
  const backedOffHosts = new Map<string, string>();

  /** How long to wait before retry number `retry`, or a failure if waiting would be impolite or pointless. */
  function retryDelay(response: HttpResponse, retry: number): number {
    const retryAfter = parseRetryAfter(response.headers['retry-after']);
    if (retry > opts.maxRetries) {
      throw new FetchFailure('http', `HTTP ${response.status} on all ${retry} attempts (${response.url})`, false, response.status);
    }
    if (retryAfter === null) return backoffMs(retry, opts.retryBaseMs);
    if (retryAfter > opts.maxRetryAfterMs) {
      const host = new URL(response.url).host;
      const asked = `${host} answered HTTP ${response.status} asking to retry after ${Math.round(retryAfter / 1000)} s, beyond the ${Math.round(opts.maxRetryAfterMs / 1000)} s cap`;
      backedOffHosts.set(host, asked);
      throw new FetchFailure('http', `${asked}; not waiting (${response.url})`, false, response.status);
    }
    scheduler.pauseHost(new URL(response.url).host, retryAfter);
    return retryAfter;
  }

  function conditionalHeaders(state: FetchState | null): Record<string, string> {
    const headers: Record<string, string> = {};
    if (state?.etag) headers['if-none-match'] = state.etag;
    if (state?.last_modified) headers['if-modified-since'] = state.last_modified;
    return headers;
  }

  /**
   * One URL, retried on network errors and retryable statuses as far as the options allow and the
   * job's deadline lets it; redirects are the caller's, and so is checking the hop.
   */
  async function getWithRetries(url: string, target: URL, headers: Record<string, string>, job: Job, progress: Progress, spaced = true): Promise<HttpResponse> {
    // An attempt counts once it is sent, not while it waits for a slot.
    const onStart = () => {
      job.startClock();
      progress.attempts++;
    };
    const how: Send = { allowPrivate: allowsPrivate(job.source, target), signal: job.signal, spaced, onStart };
    for (let retries = 0; ; ) {
      let response: HttpResponse;
      try {
        response = await get(url, target.host, headers, how);
      } catch (error) {
        const failure = classifyError(error, url);
        if (!failure.retryable || retries >= opts.maxRetries) throw failure;
        await sleep(backoffMs(++retries, opts.retryBaseMs), job.signal);
        continue;
      }
      progress.bytes += response.wireBytes;
      progress.httpStatus = response.status;
      if (!RETRYABLE_STATUSES.has(response.status)) return response;
      await sleep(retryDelay(response, ++retries), job.signal);
    }
  }

  async function fetchOverHttp(job: Job, state: FetchState | null): Promise<Result> {
    const { source, progress } = job;
    const conditional = conditionalHeaders(state);
    const headers = { accept: ACCEPT_HEADER[source.format], 'accept-encoding': 'gzip, deflate, br', ...conditional };
    let url = source.url;
    const chain = [url];
    for (;;) {
      const target = new URL(url);
      const gate = passGate(job, url, target); // every hop: the first request and each redirect
      if (gate) await gate;
      const response = await getWithRetries(url, target, headers, job, progress);
      const { status } = response;
      const location = response.headers.location;
      if (REDIRECT_STATUSES.has(status) && location) {
        const next = new URL(location, url).href;
        if (chain.includes(next)) {
          throw new FetchFailure('redirect-loop', `redirect loop: ${[...chain, next].join(' -> ')}`, false, status);
        }
        chain.push(next);
        if (chain.length - 1 > opts.maxRedirects) {
          throw new FetchFailure('too-many-redirects', `more than ${opts.maxRedirects} redirects from ${source.url}`, false, status);
        }
        url = next;
        continue;
      }
      // Only an answer to validators sent: a 304 to a plain GET says nothing about a page never read.
      if (status === 304 && state && Object.keys(conditional).length > 0) {
        return {
          status: 'unchanged',
          etag: response.headers.etag ?? state.etag,
          last_modified: response.headers['last-modified'] ?? state.last_modified,
        };
      }
      if (!response.body) throw new FetchFailure('http', `HTTP ${status} (${url})`, false, status);
      const contentType = response.headers['content-type'] ?? null;
      const page: Page = {
        url,
        status,
        contentType,
        text: decodeBody(response.body, contentType, source.format).text,
        etag: response.headers.etag ?? null,
        lastModified: response.headers['last-modified'] ?? null,
      };
      return toResult(source, state, page);
    }
  }

  /**
   * Every request a rendered page makes, the page itself included, goes through the same gate
   * as a plain fetch: robots.txt, the host's concurrency limits, timeouts, retries and the size
   * cap. The host's minimum delay spaces page visits: the page's own document waits for it, its
   * scripts and data do not (a page loading twenty chunks would otherwise take twenty delays).
   * Only GETs are fetched here; other methods (a form post, a GraphQL query) are let through after
   * robots.txt and a slot on the host, without retries, since repeating them may not be safe.
   */
  function browserRequestHandler(job: Job): BrowserRequestHandler {
    return async (request) => {
      const target = new URL(request.url);
      await passGate(job, request.url, target);
      const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
      let response: HttpResponse;
      if (request.method !== 'GET') {
        // Sent once, by us (so through the same address check as the rest), never by the browser itself.
        const how: Send = { allowPrivate: allowsPrivate(job.source, target), signal: job.signal, spaced: false, method: request.method, body: request.body, onStart: job.startClock };
        response = await get(request.url, target.host, headers, how);
      } else {
        const counters = request.isPage ? job.progress : { attempts: 0, bytes: 0, httpStatus: null };
        response = await getWithRetries(request.url, target, { ...headers, 'accept-encoding': 'gzip, deflate, br' }, job, counters, request.isPage);
      }
      const replyHeaders = Object.fromEntries(Object.entries(response.headers).filter(([name]) => !DECODED_AWAY.has(name)));
      return { status: response.status, headers: replyHeaders, body: response.body ?? Buffer.alloc(0) };
    };
  }

  async function fetchInBrowser(job: Job, state: FetchState | null): Promise<Result> {
    const { source, progress } = job;
    await passGate(job, source.url, new URL(source.url));
    renderer ??= createBrowserRenderer({
      executablePath: chromiumPath(opts.chromiumPath),
      userAgent: opts.userAgent,
      timeoutMs: opts.browserTimeoutMs,
    });
    const rendered = await renderer.render(source.url, browserRequestHandler(job), job.signal);
    progress.httpStatus = rendered.status;
    if (rendered.status < 200 || rendered.status >= 300) {
      throw new FetchFailure('http', `HTTP ${rendered.status} (${rendered.url})`, false, rendered.status);
    }
    if (Buffer.byteLength(rendered.html) > opts.maxBodyBytes) {
      throw new FetchFailure('too-large', `rendered page exceeds the ${opts.maxBodyBytes}-byte limit (${rendered.url})`);
    }
    const page: Page = { ...rendered, text: rendered.html, etag: null, lastModified: null };
    return toResult(source, state, page);
  }

  function toResult(source: Source, state: FetchState | null, page: Page): Result {
    const problem = contentTypeProblem(page.contentType, source.format, page.text);
    if (problem) throw new FetchFailure('content-type', `${problem} (${page.url})`, false, page.status);
    const sha256 = sha256Hex(page.text);
    const validators = { etag: page.etag, last_modified: page.lastModified };
    if (state?.sha256 === sha256) return { status: 'unchanged', ...validators };
    const snapshot: Snapshot = {
      source_id: source.id,
      sha256,
      observed_at: new Date().toISOString(),
      url: page.url,
      format: source.format,
      content_type: page.contentType,
      body: page.text,
    };
    return { status: 'fetched', snapshot, ...validators };
  }

  async function fetchSource(source: Source, state: FetchState | null): Promise<FetchOutcome> {
    const started = performance.now();
    const progress: Progress = { attempts: 0, bytes: 0, httpStatus: null };
    startSyncClock();
    // The source's deadline covers every attempt, retry, redirect and wait from its first request
    // on (not its wait for a first slot, which only the sync's deadline bounds).
    const cutoff = new Cutoff();
    if (syncController.signal.aborted) cutoff.abort(syncController.signal.reason);
    else sourcesInFlight.add(cutoff);
    let clock = null as DeadlineClock | null; // set in startClock, a closure TS cannot follow
    const job: Job = {
      source,
      progress,
      signal: cutoff,
      startClock() {
        if (clock || cutoff.aborted) return;
        clock = sourceDeadlines.start(() =>
          cutoff.abort(new FetchFailure('deadline', `not read within the source's deadline of ${seconds(opts.sourceDeadlineMs)} over all attempts`)),
        );
      },
    };
    const counters = () => ({
      source_id: source.id,
      http_status: progress.httpStatus,
      attempts: progress.attempts,
      ms: Math.round(performance.now() - started),
      bytes: progress.bytes,
    });
    try {
      const result = source.render === 'browser' ? await fetchInBrowser(job, state) : await fetchOverHttp(job, state);
      return { ...counters(), ...result };
    } catch (error) {
      let failure = classifyError(error, source.url);
      if (cutoff.aborted) {
        // Whatever the cut-off request threw, the cause is the deadline; the status it had seen stays.
        const deadline = classifyError(cutoff.reason, source.url);
        failure = new FetchFailure('deadline', `${deadline.message}; ${progress.attempts} attempt(s) made (${source.url})`, false, failure.httpStatus);
      }
      return {
        ...counters(),
        status: 'failed',
        // The last good validators stay valid: a failed fetch must not make the next one unconditional.
        etag: state?.etag ?? null,
        last_modified: state?.last_modified ?? null,
        http_status: failure.httpStatus ?? progress.httpStatus,
        error: { class: failure.errorClass, message: failure.message },
      };
    } finally {
      clock?.stop();
      sourcesInFlight.delete(cutoff);
    }
  }

  function fetchOnDemand(sources: Source[], states: Map<string, FetchState>): (index: number) => Promise<FetchOutcome> {
    let done = 0;
    let failed = 0;
    return async (index) => {
      const source = sources[index];
      const outcome = await fetchSource(source, states.get(source.id) ?? null);
      done++;
      if (outcome.status === 'failed') failed++;
      try {
        opts.onProgress?.({ done, total: sources.length, failed, outcome });
      } catch {
        // A broken progress display must not cost us the fetch results.
      }
      return outcome;
    };
  }

  return {
    fetchSource,
    fetchOnDemand,
    fetchAll(sources, states) {
      const fetchAt = fetchOnDemand(sources, states);
      return Promise.all(sources.map((_, i) => fetchAt(i)));
    },
    async close() {
      if (syncClock) clearTimeout(syncClock);
      sourceDeadlines.close();
      await Promise.all([...[...agents.values()].map((agent) => agent.close()), renderer?.close()]);
    },
  };
}
