import type { AbortLike } from './cutoff.ts';

/**
 * Decides when a request may start: at most `globalConcurrency` in flight overall, at most
 * `perHostConcurrency` per host, and starts to one host at least `perHostDelayMs` apart.
 * Waiting requests are queued per host, so a crowded host never holds slots another host
 * could use, and a host can be paused (Retry-After) without blocking the rest.
 */
export interface RequestScheduler {
  /**
   * Runs `task` once `host` has a free slot. `spaced: false` skips the minimum delay (a rendered
   * page's own scripts and data: the delay spaces visits to a host, and the page's visit already
   * waited for it) but still counts against the concurrency limits. A task whose `signal` aborts
   * while it waits leaves the queue unstarted, and its promise rejects with the signal's reason.
   */
  run<T>(host: string, task: () => Promise<T>, spaced?: boolean, signal?: AbortLike): Promise<T>;
  /** Start nothing on `host` for `ms`: a server asked us to back off. */
  pauseHost(host: string, ms: number): void;
  /** Raise the gap between starts on `host` (robots.txt Crawl-delay). */
  setHostDelay(host: string, delayMs: number): void;
}

interface Waiting {
  start: () => void;
  spaced: boolean;
}

interface HostState {
  queue: Waiting[];
  active: number;
  /** The earliest the next spaced start may happen (the host's minimum delay). */
  nextStartMs: number;
  /** Nothing starts before this, spaced or not: the server asked us to back off. */
  pausedUntilMs: number;
  delayMs: number;
}

export function createRequestScheduler(limits: {
  globalConcurrency: number;
  perHostConcurrency: number;
  perHostDelayMs: number;
}): RequestScheduler {
  const hosts = new Map<string, HostState>();
  let active = 0;
  let timer: NodeJS.Timeout | null = null;

  const hostState = (host: string): HostState => {
    let state = hosts.get(host);
    if (!state) {
      state = { queue: [], active: 0, nextStartMs: 0, pausedUntilMs: 0, delayMs: limits.perHostDelayMs };
      hosts.set(host, state);
    }
    return state;
  };

  function pump(): void {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    let wakeAt = Infinity;
    let started = true;
    // Round-robin over hosts, one start each per pass, so no host starves the others.
    while (started && active < limits.globalConcurrency) {
      started = false;
      const now = performance.now();
      for (const state of hosts.values()) {
        if (active >= limits.globalConcurrency) break;
        if (state.queue.length === 0 || state.active >= limits.perHostConcurrency) continue;
        const { spaced } = state.queue[0];
        const readyAt = spaced ? Math.max(state.nextStartMs, state.pausedUntilMs) : state.pausedUntilMs;
        if (readyAt > now) {
          wakeAt = Math.min(wakeAt, readyAt);
          continue;
        }
        state.active++;
        active++;
        if (spaced) state.nextStartMs = now + state.delayMs;
        state.queue.shift()!.start();
        started = true;
      }
    }
    if (wakeAt !== Infinity && active < limits.globalConcurrency) {
      timer = setTimeout(pump, Math.max(1, Math.ceil(wakeAt - performance.now())));
    }
  }

  return {
    run<T>(host: string, task: () => Promise<T>, spaced = true, signal?: AbortLike): Promise<T> {
      const state = hostState(host);
      return new Promise<T>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const release = () => {
          state.active--;
          active--;
          pump();
        };
        const waiting: Waiting = {
          spaced,
          start: () => {
            signal?.removeEventListener('abort', onAbort);
            task().then(
              (value) => {
                release();
                resolve(value);
              },
              (error: unknown) => {
                release();
                reject(error);
              },
            );
          },
        };
        const onAbort = () => {
          const i = state.queue.indexOf(waiting);
          if (i >= 0) state.queue.splice(i, 1);
          reject(signal!.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        state.queue.push(waiting);
        pump();
      });
    },
    pauseHost(host, ms) {
      const state = hostState(host);
      state.pausedUntilMs = Math.max(state.pausedUntilMs, performance.now() + ms);
    },
    setHostDelay(host, delayMs) {
      const state = hostState(host);
      state.delayMs = Math.max(state.delayMs, delayMs);
    },
  };
}
