import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Cutoff } from '../../src/fetch/cutoff.ts';
import { createDeadlineQueue } from '../../src/fetch/deadlines.ts';
import { createRequestScheduler } from '../../src/fetch/scheduler.ts';
import {
  createFetcher,
  createProgressReporter,
  parseFetcherOptions,
  readSnapshotFile,
  sha256Hex,
  writeSnapshotFile,
  type FetchOutcome,
} from '../../src/fetch/index.ts';
import { backoffMs, parseRetryAfter } from '../../src/fetch/retry.ts';
import { parseRobots } from '../../src/fetch/robots.ts';
import type { Snapshot } from '../../src/schema/snapshot.ts';

const UA = 'model-ledger/0.1 (+https://example.org/model-ledger)';

describe('robots.txt rules', () => {
  const robots = `
# comments are ignored
User-agent: *
Disallow: /
Allow: /pricing
Allow: /docs/*.html$

User-agent: other-bot
User-agent: model-ledger
Disallow: /private/
Allow: /private/public
Crawl-delay: 2
`;
  const ours = parseRobots(robots, UA);
  const someoneElse = parseRobots(robots, 'curious-bot/1.0 (+https://example.org)');

  it('uses the group that names our product token, not the * group', () => {
    expect(ours.isAllowed('/anything')).toBe(true);
    expect(ours.isAllowed('/private/keys')).toBe(false);
    expect(ours.crawlDelayMs).toBe(2000);
  });

  it('lets the longest matching rule win', () => {
    expect(ours.isAllowed('/private/public/prices')).toBe(true);
    expect(someoneElse.isAllowed('/pricing/models')).toBe(true);
    expect(someoneElse.isAllowed('/blog')).toBe(false);
  });

  it('supports * and $ patterns', () => {
    expect(someoneElse.isAllowed('/docs/models/gpt.html')).toBe(true);
    expect(someoneElse.isAllowed('/docs/models/gpt.html?tab=1')).toBe(false);
  });

  it('prefers allow on a tie and always allows robots.txt itself', () => {
    const tie = parseRobots('User-agent: *\nDisallow: /page\nAllow: /page\n', UA);
    expect(tie.isAllowed('/page')).toBe(true);
    expect(parseRobots('User-agent: *\nDisallow: /\n', UA).isAllowed('/robots.txt')).toBe(true);
  });

  it('allows everything when no group applies or the file is empty', () => {
    expect(parseRobots('User-agent: other\nDisallow: /\n', UA).isAllowed('/x')).toBe(true);
    expect(parseRobots('', UA).isAllowed('/x')).toBe(true);
  });
});

describe('retry timing', () => {
  it('reads Retry-After as seconds or as an HTTP-date', () => {
    const now = Date.parse('2025-07-01T10:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Tue, 01 Jul 2025 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Tue, 01 Jul 2025 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });

  it('leaves a Retry-After that is neither (a fraction, a negative number) to the backoff, not to a wait of 0', () => {
    const now = Date.parse('2025-07-01T10:00:00Z');
    for (const value of ['1.5', '-5', '2025-07-01']) expect(parseRetryAfter(value, now), value).toBeNull();
    expect(parseRetryAfter('Tuesday, 01-Jul-25 10:00:30 GMT', now)).toBe(30_000);
  });

  it('backs off exponentially with jitter inside [half, full] of the doubled delay', () => {
    expect([1, 2, 3].map((n) => backoffMs(n, 100, () => 0))).toEqual([50, 100, 200]);
    expect([1, 2, 3].map((n) => backoffMs(n, 100, () => 1))).toEqual([100, 200, 400]);
  });
});

describe('fetcher options', () => {
  it('fills defaults', () => {
    const options = parseFetcherOptions();
    expect(options.userAgent).toMatch(/^model-ledger\//);
    expect(options.maxRetries).toBe(3);
    expect(options.perHostDelayMs).toBeGreaterThan(0);
  });

  it('rejects bad values with a message naming the option', () => {
    expect(() => createFetcher({ perHostDelayMs: -1 })).toThrow(/perHostDelayMs/);
    expect(() => createFetcher({ globalConcurrency: 0 })).toThrow(/globalConcurrency/);
    expect(() => createFetcher({ userAgent: 'model-ledger/0.1' })).toThrow(/contact/);
    expect(() => createFetcher({ userAgent: 'Mozilla/5.0 (+https://example.org)', retries: 2 } as never)).toThrow(/retries/);
  });
});

describe('snapshot file store', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'snapshots-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const snapshot = (body: string, source_id = 'aggregator-a'): Snapshot => ({
    source_id,
    sha256: sha256Hex(body),
    observed_at: '2025-07-01T10:00:00.000Z',
    url: 'https://example.org/pricing',
    format: 'html',
    content_type: 'text/html',
    body,
  });

  it('stores identical bodies once, under <source_id>/<sha256>.<ext>', () => {
    const first = writeSnapshotFile(dir, snapshot('<p>$1.75</p>'));
    const again = writeSnapshotFile(dir, { ...snapshot('<p>$1.75</p>'), observed_at: '2025-07-08T10:00:00Z' });
    const changed = writeSnapshotFile(dir, snapshot('<p>$3.00</p>'));
    expect(first).toBe(`aggregator-a/${sha256Hex('<p>$1.75</p>')}.html`);
    expect(again).toBe(first);
    expect(changed).not.toBe(first);
    expect(readdirSync(path.join(dir, 'aggregator-a')).sort()).toEqual([path.basename(first), path.basename(changed)].sort());
    expect(readSnapshotFile(dir, first)).toBe('<p>$1.75</p>');
    expect(readdirSync(path.join(dir, 'aggregator-a')).some((f) => f.endsWith('.tmp'))).toBe(false);
  });

  it('refuses a snapshot whose body does not match its hash, and a file that was altered', () => {
    expect(() => writeSnapshotFile(dir, { ...snapshot('a'), body: 'b' })).toThrow(/does not hash/);
    const stored = writeSnapshotFile(dir, snapshot('original', 'aggregator-b'));
    writeFileSync(path.join(dir, stored), 'tampered');
    expect(() => readSnapshotFile(dir, stored)).toThrow(/corrupt/);
  });

  it('refuses paths that could escape the store', () => {
    expect(() => writeSnapshotFile(dir, snapshot('x', '../etc'))).toThrow(/unsafe source id/);
    expect(() => readSnapshotFile(dir, '../outside.html')).toThrow(/not a snapshot path/);
  });
});

describe('progress reporter', () => {
  const outcome = (source_id: string, status: FetchOutcome['status']): FetchOutcome => ({
    source_id,
    status,
    etag: null,
    last_modified: null,
    http_status: status === 'failed' ? 503 : 200,
    attempts: status === 'failed' ? 4 : 1,
    ms: 12,
    bytes: 2048,
    ...(status === 'failed' ? { error: { class: 'http' as const, message: 'HTTP 503 on all 4 attempts' } } : {}),
  });
  /** A stand-in for stderr: a terminal or not, as isTTY says. */
  const capture = (isTTY: boolean) => {
    let text = '';
    return { stream: { isTTY, write: (chunk: string) => (text += chunk) }, text: () => text };
  };

  it('prints nothing when not on a terminal', () => {
    const out = capture(false);
    const reporter = createProgressReporter({ quiet: false, stream: out.stream });
    reporter.onProgress({ done: 1, total: 2, failed: 0, outcome: outcome('a', 'fetched') });
    reporter.onProgress({ done: 2, total: 2, failed: 1, outcome: outcome('b', 'failed') });
    reporter.done();
    expect(out.text()).toBe('');
  });

  it('redraws one status line on a terminal, keeping failures above it', () => {
    const out = capture(true);
    const reporter = createProgressReporter({ quiet: false, stream: out.stream });
    reporter.onProgress({ done: 1, total: 3, failed: 1, outcome: outcome('b', 'failed') });
    reporter.onProgress({ done: 2, total: 3, failed: 1, outcome: outcome('a', 'unchanged') });
    reporter.onProgress({ done: 3, total: 3, failed: 1, outcome: outcome('c', 'fetched') });
    reporter.done();
    const text = out.text();
    expect(text).toMatch(/^\r\x1b\[2Kfailed {4}b HTTP 503 http: HTTP 503 on all 4 attempts after 4 attempts\n/);
    expect(text.split('\r\x1b[2K').filter(Boolean)).toEqual([
      expect.stringMatching(/^failed/),
      'sources 1/3, 1 failed',
      'sources 2/3, 1 failed',
      'sources 3/3, 1 failed\n',
    ]);
    expect(text).not.toContain('unchanged');
  });

  it('prints nothing when quiet, even on a terminal', () => {
    const out = capture(true);
    const reporter = createProgressReporter({ quiet: true, stream: out.stream });
    reporter.onProgress({ done: 1, total: 1, failed: 1, outcome: outcome('b', 'failed') });
    reporter.done();
    expect(out.text()).toBe('');
  });

  it('ends no line it has not drawn', () => {
    const out = capture(true);
    createProgressReporter({ quiet: false, stream: out.stream }).done();
    expect(out.text()).toBe('');
  });
});

describe('request scheduler', () => {
  // The scheduler reads performance.now() and waits with setTimeout, both of which vitest's fake
  // clock replaces: start times below are exact fake-clock readings, not measured durations.
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  const limits = { globalConcurrency: 4, perHostConcurrency: 2, perHostDelayMs: 200 };
  /** Runs `count` tasks on one host and returns when each started, in fake ms from the first call. */
  async function starts(scheduler: ReturnType<typeof createRequestScheduler>, count: number, spaced: boolean, holdMs = 0) {
    const t0 = performance.now();
    const at: number[] = [];
    const all = Promise.all(
      Array.from({ length: count }, () =>
        scheduler.run('h', async () => {
          at.push(performance.now() - t0);
          await new Promise((r) => setTimeout(r, holdMs));
        }, spaced),
      ),
    );
    await vi.runAllTimersAsync();
    await all;
    return at;
  }

  it('spaces spaced starts by the host delay; unspaced ones only wait for a free slot', async () => {
    expect(await starts(createRequestScheduler(limits), 3, true)).toEqual([0, 200, 400]);
    // Two slots at once; the third and fourth start as the first two tasks end (held 50 ms), not 200 ms on.
    expect(await starts(createRequestScheduler(limits), 4, false, 50)).toEqual([0, 0, 50, 50]);
  });

  it('holds every start, spaced or not, while the host is paused', async () => {
    for (const spaced of [false, true]) {
      const scheduler = createRequestScheduler(limits);
      scheduler.pauseHost('h', 150);
      expect(await starts(scheduler, 1, spaced)).toEqual([150]);
    }
  });

  it('drops a waiting task whose signal aborts: it never starts, rejects with the reason, and frees its place', async () => {
    const scheduler = createRequestScheduler({ globalConcurrency: 1, perHostConcurrency: 1, perHostDelayMs: 0 });
    const started: string[] = [];
    const task = (name: string, holdMs: number) => async () => {
      started.push(name);
      await new Promise((r) => setTimeout(r, holdMs));
      return name;
    };
    const cutoff = new Cutoff();
    const first = scheduler.run('h', task('first', 100), false);
    const dropped = scheduler.run('h', task('dropped', 0), false, cutoff);
    const next = scheduler.run('h', task('next', 0), false);
    const reason = new Error('deadline');
    cutoff.abort(reason);
    await expect(dropped).rejects.toBe(reason);
    await expect(scheduler.run('h', task('late', 0), false, cutoff)).rejects.toBe(reason);
    await vi.runAllTimersAsync();
    expect(await Promise.all([first, next])).toEqual(['first', 'next']);
    expect(started).toEqual(['first', 'next']);
  });
});

describe('a deadline queue', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('calls each clock not stopped at its own deadline, and never one stopped or closed', async () => {
    const deadlines = createDeadlineQueue(1000);
    const due: Array<[string, number]> = [];
    const t0 = performance.now();
    const start = (name: string) => deadlines.start(() => due.push([name, performance.now() - t0]));
    start('first');
    await vi.advanceTimersByTimeAsync(100);
    const stopped = start('stopped');
    await vi.advanceTimersByTimeAsync(100);
    start('third');
    stopped.stop();
    await vi.advanceTimersByTimeAsync(2000);
    expect(due).toEqual([
      ['first', 1000],
      ['third', 1200],
    ]);
    start('closed');
    deadlines.close();
    await vi.advanceTimersByTimeAsync(2000);
    expect(due.map(([name]) => name)).not.toContain('closed');
  });
});

describe('a cut-off', () => {
  it('calls each listener still added once, on the first abort only, with the reason set', () => {
    const cutoff = new Cutoff();
    const calls: unknown[] = [];
    const kept = () => calls.push(['kept', cutoff.reason]);
    const removed = () => calls.push('removed');
    cutoff.addEventListener('abort', kept);
    cutoff.addEventListener('abort', removed);
    cutoff.removeEventListener('abort', removed);
    expect(() => cutoff.throwIfAborted()).not.toThrow();
    cutoff.abort('first');
    cutoff.abort('second');
    cutoff.addEventListener('abort', () => calls.push('too late'));
    expect(calls).toEqual([['kept', 'first']]);
    expect(cutoff.aborted).toBe(true);
    expect(() => cutoff.throwIfAborted()).toThrow('first');
  });
});
