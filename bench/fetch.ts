/**
 * Fetch benchmark (issue 3): 1,000 pricing-table pages of ~30–50 KB served on 127.0.0.1 by a
 * server in its own process, so serving never runs on a measured thread.
 *
 *   a      cold sync: the package's own `sync()` (dist/, as `import { sync } from 'model-ledger'`
 *          gets it), live, on 1,000 declared sources. a_read is its reading stage (fetch,
 *          snapshot, extract on worker threads, store), a_total adds reconcile and queue
 *   b      warm re-sync: `sync()` again on the same ledger; every page answers 304
 *   e      a re-sync after 10 of the 1,000 pages moved one price each (the server's /bump): what a
 *          weekly change costs next to b (no change) and a (everything new)
 *   tiny   the yardstick for b: 1,000 bare undici requests for a 304 at the same concurrency
 *   c      the floor: bare undici request per page, and a whole-page parse by the product's parser
 *          (htmlparser2 with the extractors' own options, every element built) on as many worker threads as the product's
 *          sync starts for 1,000 sources (BENCH_FETCH_WORKERS, else its rule); nothing stored
 *   d      the peer: @crawlee/cheerio CheerioCrawler, pinned concurrency, in-memory storage
 *
 * Every phase runs in its own child process, so each peak RSS is that phase's own. The machine is
 * shared, so the phases run in BENCH_FETCH_ROUNDS rounds (default 3) and each reports its fastest
 * round (its highest peak RSS), with the load average before and after.
 *
 * BENCH_FETCH_PHASES (e.g. `a,b,tiny`) runs only those phases (b re-syncs a's ledger, so it needs
 * a); a ratio is reported only when both its phases ran. BENCH_FETCH_PROFILE=DIR writes a CPU
 * profile of each phase's clocked part (not its module loading) to DIR/PHASE-ROUND.cpuprofile.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PAGES = 1_000;
/** Pages whose content phase e changes (one model's price each) before it re-syncs. */
const CHANGED = 10;
const CONCURRENCY = 16;
/** Extraction threads for the syncs; unset leaves the product's own default (one per core). */
const EXTRACT_WORKERS = process.env.BENCH_FETCH_WORKERS;
const USER_AGENT = 'model-ledger-bench/0.1 (+https://github.com/model-ledger/model-ledger)';

type Figures = Record<string, number>;

// ------------------------------------------------------------------ page server (child process)

/**
 * Plain JS for `node -e`: deterministic pages shaped like real pricing pages (markup-heavy: utility
 * classes, inline style and data script, navigation twice, a price table of 16–32 models, an FAQ),
 * strong ETags, 304 on If-None-Match, robots.txt allowing everything, and /tiny.
 */
const SERVER_SOURCE = String.raw`
const http = require('node:http');
const crypto = require('node:crypto');
const FAMILIES = ['GPT-5.2', 'GPT-4.1', 'Claude Sonnet 4.5', 'Claude Haiku 4.5', 'Gemini 2.5 Pro', 'Gemini 2.5 Flash', 'Llama 3.3 70B', 'Mistral Large', 'DeepSeek V3.2', 'Qwen3 235B'];
const VARIANTS = ['', ' Mini', ' Pro', ' Turbo'];
const WORDS = 'the model suits long documents and agentic coding with tool use while latency stays low for chat workloads batch jobs and retrieval across regions'.split(' ');
const prose = (seed, n) => { let s = ''; for (let k = 0; k < n; k++) s += WORDS[(seed * 7 + k * 13) % WORDS.length] + (k % 17 === 16 ? '. ' : ' '); return s; };
const cls = (seed) => 'class="px-' + (seed % 7) + ' py-2 text-sm font-medium text-gray-' + (100 * (seed % 9 + 1)) + ' dark:text-gray-300 hover:bg-gray-50 transition-colors duration-150 ease-in-out"';
let edition = 0;
function page(i) {
  const n = 16 + ((i * 37) % 17);
  const rows = [];
  for (let r = 0; r < n; r++) {
    const name = FAMILIES[r % FAMILIES.length] + VARIANTS[Math.floor(r / 10) % VARIANTS.length];
    // The first ${CHANGED} pages move their first model's input price with each /bump.
    const moved = i < ${CHANGED} && r === 0 ? edition : 0;
    const input = (0.1 + ((r * 7 + i + moved) % 300) / 20).toFixed(2), output = (0.4 + ((r * 11 + i) % 300) / 10).toFixed(2);
    rows.push('<tr ' + cls(r) + ' data-model-id="m-' + r + '"><td ' + cls(r + 1) + '><a ' + cls(r + 2) + ' href="/models/' + r + '">' + name + '</a></td><td ' + cls(r + 3) + '>$' + input + '</td><td ' + cls(r + 4) + '>$' + output + '</td><td ' + cls(r + 5) + '>' + [128, 200, 256, 400, 1000][r % 5] + 'K</td></tr>');
  }
  const faq = Array.from({ length: 8 }, (_, k) => '<details ' + cls(k) + '><summary ' + cls(k + 1) + '>Question ' + (k + 1) + ' about billing</summary><p ' + cls(k + 2) + '>' + prose(i + k, 50) + '</p></details>').join('\n');
  const nav = Array.from({ length: 16 }, (_, k) => '<li ' + cls(k) + '><a ' + cls(k + 1) + ' href="/docs/section-' + k + '">Section ' + k + '</a></li>').join('');
  const style = '<style>' + Array.from({ length: 60 }, (_, k) => '.c' + k + '{margin:' + k + 'px;padding:' + (k % 5) + 'px;color:#' + (k * 4099 % 0xffffff).toString(16).padStart(6, '0') + '}').join('\n') + '</style>';
  const script = '<script>window.__DATA__=' + JSON.stringify({ build: i, flags: Array.from({ length: 80 }, (_, k) => 'feature_flag_' + k) }) + ';</script>';
  return '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>API pricing, edition ' + i + ' | Bench Cloud</title>' + style + script + '</head><body ' + cls(i) + '>' +
    '<header ' + cls(1) + '><nav ' + cls(2) + '><ul ' + cls(3) + '>' + nav + '</ul></nav></header><main ' + cls(4) + '><h1 ' + cls(5) + '>API pricing</h1><p ' + cls(6) + '>Prices per 1M tokens. ' + prose(i, 40) + '</p>' +
    '<table ' + cls(7) + '><thead><tr><th>Model</th><th>Input price</th><th>Output price</th><th>Context window</th></tr></thead><tbody>' + rows.join('\n') + '</tbody></table>' +
    '<h2 ' + cls(8) + '>Frequently asked questions</h2>' + faq + '</main><footer ' + cls(9) + '><ul>' + nav + '</ul><p>' + prose(i, 40) + '</p></footer></body></html>';
}
const served = (i) => {
  const body = Buffer.from(page(i));
  return { body, etag: '"' + crypto.createHash('sha1').update(body).digest('hex') + '"' };
};
const pages = Array.from({ length: ${PAGES} }, (_, i) => served(i));
const server = http.createServer((req, res) => {
  if (req.url === '/bump') {
    edition++;
    for (let i = 0; i < ${CHANGED}; i++) pages[i] = served(i);
    return res.writeHead(204).end();
  }
  if (req.url === '/robots.txt') return res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nAllow: /\n');
  if (req.url === '/tiny') return res.writeHead(304, { etag: '"tiny"' }).end();
  const m = /^\/pricing\/(\d+)$/.exec(req.url);
  const p = m && pages[Number(m[1])];
  if (!p) return res.writeHead(404).end();
  if (req.headers['if-none-match'] === p.etag) return res.writeHead(304, { etag: p.etag }).end();
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': p.body.length, etag: p.etag }).end(p.body);
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => {
  const sizes = pages.map((p) => p.body.length);
  process.stdout.write(JSON.stringify({ port: server.address().port, min_kb: Math.min(...sizes) / 1024, max_kb: Math.max(...sizes) / 1024, avg_kb: sizes.reduce((a, b) => a + b, 0) / sizes.length / 1024 }) + '\n');
});
`;

interface ServerInfo {
  child: ChildProcess;
  origin: string;
  min_kb: number;
  max_kb: number;
  avg_kb: number;
}

export function startPageServer(): Promise<ServerInfo> {
  const child = spawn(process.execPath, ['-e', SERVER_SOURCE], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`bench page server exited (${code})`)));
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      if (!out.includes('\n')) return;
      const info = JSON.parse(out.split('\n')[0]);
      resolve({ child, origin: `http://127.0.0.1:${info.port}`, ...info });
    });
  });
}

const pageUrl = (origin: string, i: number) => `${origin}/pricing/${i}`;

// ------------------------------------------------------------------ phases (each in a child process)

/** Where this phase's clocked part is profiled to (set in the phase's child process), if anywhere. */
const PROFILE_FILE = process.env.BENCH_FETCH_PROFILE_FILE;

/**
 * Starts the main thread's CPU profiler (only the clocked part is profiled: loading the package
 * before the clock is not what a phase is judged by); the returned function writes the profile.
 */
async function startProfile(file: string): Promise<() => Promise<void>> {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}

/** Wall and CPU time (all threads of this process) of the measured part of a phase. */
async function startClock() {
  const stopProfile = PROFILE_FILE ? await startProfile(PROFILE_FILE) : null;
  const wall = performance.now();
  const cpu = process.cpuUsage();
  return async () => {
    const used = process.cpuUsage(cpu);
    const clock = { ms: performance.now() - wall, cpu_ms: (used.user + used.system) / 1000 };
    await stopProfile?.();
    return clock;
  };
}

/** The package as its users import it: the compiled dist/ that `npm ci` builds. */
async function packageSync(): Promise<typeof import('../src/index.ts').sync> {
  const { sync } = await import(pathToFileURL(path.join(import.meta.dirname, '..', 'dist', 'index.js')).href);
  return sync;
}

function writeBenchSources(origin: string, dir: string): string {
  const sourcesDir = path.join(dir, 'sources');
  mkdirSync(sourcesDir, { recursive: true });
  for (let i = 0; i < PAGES; i++) {
    const id = `bench-${String(i).padStart(4, '0')}`;
    writeFileSync(path.join(sourcesDir, `${id}.json`), JSON.stringify({ id, name: id, kind: 'aggregator', url: pageUrl(origin, i), format: 'html', extractor: 'aggregator', trust: 0.5 }));
  }
  return sourcesDir;
}

/**
 * One live `sync()` of the 1,000 sources into the ledger in `dir`: cold when the ledger is new,
 * warm (every page a 304 against the stored validators) when a previous phase left it there.
 */
async function productSync(origin: string, dir: string): Promise<Figures> {
  const sync = await packageSync();
  const sourcesDir = existsSync(path.join(dir, 'sources')) ? path.join(dir, 'sources') : writeBenchSources(origin, dir);
  const stop = await startClock();
  const summary = await sync({
    db: path.join(dir, 'ledger.sqlite'),
    sourcesDir,
    offline: false,
    fetch: { allowPrivateNetwork: true, userAgent: USER_AGENT, globalConcurrency: CONCURRENCY, perHostConcurrency: CONCURRENCY, perHostDelayMs: 0 },
    ...(EXTRACT_WORKERS ? { extractWorkers: Number(EXTRACT_WORKERS) } : {}),
  });
  const count = (outcome: string) => summary.sources.filter((s) => s.outcome === outcome).length;
  return {
    ...(await stop()),
    reconciled_keys: summary.reconciled === 'incremental' ? summary.reconciled_keys! : summary.reconciled === 'skipped' ? 0 : summary.facts,
    facts: summary.facts,
    read_ms: summary.timings.read_ms,
    reconcile_ms: summary.timings.reconcile_ms,
    pages: PAGES,
    updated: count('updated'),
    unchanged: count('unchanged'),
    failed: count('failed') + count('drift'),
    claims: summary.claims,
    queued: summary.changes.queued,
    refreshed: summary.changes.refreshed,
    superseded: summary.changes.superseded,
  };
}

async function withConcurrency(count: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
}

/** 1,000 requests answered by a bare 304: what b must not exceed by much. */
async function tinyRequests(origin: string): Promise<Figures> {
  const { Agent, request } = await import('undici');
  const agent = new Agent({ connections: CONCURRENCY });
  const stop = await startClock();
  await withConcurrency(PAGES, async () => {
    const { body } = await request(`${origin}/tiny`, { dispatcher: agent, headers: { 'user-agent': USER_AGENT } });
    await body.dump();
  });
  const clock = await stop();
  await agent.close();
  return { ...clock, pages: PAGES, failed: 0 };
}

/** A parse worker for the floor: htmlparser2 with the product's options, a row count back. */
const FLOOR_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { parseDocument, DomUtils } = require(workerData.htmlparser2);
parentPort.on('message', ({ id, body }) => parentPort.postMessage({ id, rows: DomUtils.getElementsByTagName('tr', parseDocument(body, workerData.options)).length }));
`;

/** The floor: nothing but the request and the product's own parse, on the product's threads. */
async function floor(origin: string): Promise<Figures> {
  const { Agent, request } = await import('undici');
  const { Worker } = await import('node:worker_threads');
  const { createRequire } = await import('node:module');
  const dist = (file: string) => pathToFileURL(path.join(import.meta.dirname, '..', 'dist', file)).href;
  const { HTML_PARSER_OPTIONS } = (await import(dist('extract/tables.js'))) as typeof import('../src/extract/tables.ts');
  const { extractWorkersFor } = (await import(dist('pipeline/sync.js'))) as typeof import('../src/pipeline/sync.ts');
  const { workerExecArgv } = (await import(dist('worker-flags.js'))) as typeof import('../src/worker-flags.ts');
  const threads = EXTRACT_WORKERS ? Number(EXTRACT_WORKERS) : extractWorkersFor(PAGES);
  const htmlparser2Path = createRequire(import.meta.url).resolve('htmlparser2');
  const agent = new Agent({ connections: CONCURRENCY });
  let rows = 0;
  const stop = await startClock();
  // Started inside the clock, as the product's sync starts its workers on its first page.
  const pending = new Map<number, (rows: number) => void>();
  const workers = Array.from({ length: threads }, () => {
    // Started with the flags the product's compiled workers get: without this phase's tsx loader.
    const worker = new Worker(FLOOR_WORKER, { eval: true, execArgv: workerExecArgv(process.execArgv, true), workerData: { htmlparser2: htmlparser2Path, options: HTML_PARSER_OPTIONS } });
    worker.on('message', ({ id, rows }: { id: number; rows: number }) => {
      pending.get(id)!(rows);
      pending.delete(id);
    });
    return worker;
  });
  const parse = async (i: number, body: string): Promise<number> => {
    if (!workers.length) {
      const { parseDocument, DomUtils } = await import('htmlparser2');
      return DomUtils.getElementsByTagName('tr', parseDocument(body, HTML_PARSER_OPTIONS)).length;
    }
    return new Promise((resolve) => {
      pending.set(i, resolve);
      workers[i % workers.length].postMessage({ id: i, body });
    });
  };
  await withConcurrency(PAGES, async (i) => {
    const { body } = await request(pageUrl(origin, i), { dispatcher: agent, headers: { 'user-agent': USER_AGENT } });
    const found = await parse(i, await body.text());
    rows += found; // not `rows += await …`, which would add to the count as it stood before the await
  });
  const clock = await stop();
  await Promise.all(workers.map((w) => w.terminate()));
  await agent.close();
  return { ...clock, pages: PAGES, failed: 0, rows, threads };
}

/** The peer: CheerioCrawler at the same, pinned concurrency; storage kept in memory. */
async function crawlee(origin: string, dir: string): Promise<Figures> {
  process.chdir(dir); // anything crawlee still writes lands in the temp dir
  const { CheerioCrawler, Configuration, log, LogLevel } = await import('@crawlee/cheerio');
  log.setLevel(LogLevel.OFF);
  let rows = 0;
  let failed = 0;
  const stop = await startClock();
  const crawler = new CheerioCrawler(
    {
      minConcurrency: CONCURRENCY,
      maxConcurrency: CONCURRENCY,
      maxRequestRetries: 0,
      useSessionPool: false,
      persistCookiesPerSession: false,
      requestHandler: async ({ $ }) => {
        rows += $('tr').length;
      },
      failedRequestHandler: async () => {
        failed++;
      },
    },
    new Configuration({ persistStorage: false, purgeOnStart: true }),
  );
  await crawler.run(Array.from({ length: PAGES }, (_, i) => pageUrl(origin, i)));
  return { ...(await stop()), pages: PAGES - failed, failed, rows };
}

/** Moves the CHANGED pages' prices, then re-syncs the ledger a and b left. */
async function changedSync(origin: string, dir: string): Promise<Figures> {
  const bumped = await fetch(`${origin}/bump`);
  if (bumped.status !== 204) throw new Error(`bench page server: /bump answered ${bumped.status}`);
  return productSync(origin, dir);
}

const PHASES: Record<string, (origin: string, dir: string) => Promise<Figures>> = {
  a: productSync,
  b: productSync,
  e: changedSync,
  tiny: tinyRequests,
  c: floor,
  d: crawlee,
};

async function runPhaseHere(name: string, origin: string, dir: string): Promise<Figures> {
  const figures = await PHASES[name](origin, dir);
  return { ...figures, peak_rss_mb: process.resourceUsage().maxRSS / 1024 };
}

function runPhaseInChild(name: string, origin: string, dir: string, profileFile?: string): Figures {
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--phase', name, origin, dir],
    { encoding: 'utf8', maxBuffer: 1 << 22, env: { ...process.env, ...(profileFile ? { BENCH_FETCH_PROFILE_FILE: profileFile } : {}) } },
  );
  if (child.status !== 0) throw new Error(`bench phase ${name} failed (exit ${child.status}):\n${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!);
}

// ------------------------------------------------------------------ report

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

const ROUNDS = Number(process.env.BENCH_FETCH_ROUNDS ?? 3);
const ALL_PHASES = ['c', 'a', 'b', 'e', 'tiny', 'd'];
/** The phases to run, in the order they always run in (b and e after the a they re-sync). */
const PHASES_TO_RUN = process.env.BENCH_FETCH_PHASES ? ALL_PHASES.filter((p) => process.env.BENCH_FETCH_PHASES!.split(',').includes(p)) : ALL_PHASES;
const PROFILE_DIR = process.env.BENCH_FETCH_PROFILE;

/** The time a phase is judged by: the reading stage for the syncs, the whole run otherwise. */
const measured = (f: Figures) => f.read_ms ?? f.ms;

/** Per phase: the fastest round's time and figures, and the highest peak RSS of any round. */
function bestOf(rounds: Figures[]): Figures {
  const fastest = rounds.reduce((best, f) => (measured(f) < measured(best) ? f : best));
  return { ...fastest, peak_rss_mb: Math.max(...rounds.map((f) => f.peak_rss_mb)) };
}

export async function run(): Promise<Figures> {
  // Measure the package as built from the current sources, not a stale dist/.
  const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: path.join(import.meta.dirname, '..'), stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) throw new Error('npm run build failed');
  if (PHASES_TO_RUN.some((p) => p === 'b' || p === 'e') && !PHASES_TO_RUN.includes('a')) throw new Error('BENCH_FETCH_PHASES: b and e re-sync the ledger a leaves, so they need a');
  if (PROFILE_DIR) mkdirSync(PROFILE_DIR, { recursive: true });
  const server = await startPageServer();
  const work = mkdtempSync(path.join(tmpdir(), 'bench-fetch-'));
  const loadBefore = loadavg()[0];
  try {
    const phase = (name: string, sub: string, round: number) => {
      const dir = path.join(work, sub);
      mkdirSync(dir, { recursive: true });
      return runPhaseInChild(name, server.origin, dir, PROFILE_DIR && path.join(PROFILE_DIR, `${name}-${round}.cpuprofile`));
    };
    // b and e re-sync the ledger this round's a left; every other phase starts from nothing.
    const dirOf: Record<string, string> = { c: 'c', a: 'sync', b: 'sync', e: 'sync', tiny: 'tiny', d: 'd' };
    const rounds: Record<string, Figures[]> = Object.fromEntries(PHASES_TO_RUN.map((name) => [name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of PHASES_TO_RUN) rounds[name].push(phase(name, `${dirOf[name]}-${round}`, round));
      rmSync(path.join(work, `sync-${round}`), { recursive: true, force: true });
    }
    const best = Object.fromEntries(Object.entries(rounds).map(([name, r]) => [name, bestOf(r)]));
    const { a, b, e, tiny, c, d } = best as Partial<Record<string, Figures>>;
    const figures: Figures = {
      pages: PAGES,
      concurrency: CONCURRENCY,
      rounds: ROUNDS,
      page_kb_min: round(server.min_kb, 1),
      page_kb_max: round(server.max_kb, 1),
      page_kb_avg: round(server.avg_kb, 1),
      loadavg_1m_before: round(loadBefore),
      loadavg_1m_after: round(loadavg()[0]),
    };
    for (const [name, f] of Object.entries(best)) {
      if (f.read_ms !== undefined) {
        figures[`${name}_read_ms`] = f.read_ms;
        figures[`${name}_reconcile_ms`] = f.reconcile_ms;
        figures[`${name}_total_ms`] = Math.round(f.ms);
      } else {
        figures[`${name}_ms`] = Math.round(f.ms);
      }
      figures[`${name}_pages_per_s`] = round((f.pages / measured(f)) * 1000, 1);
      figures[`${name}_peak_rss_mb`] = Math.round(f.peak_rss_mb);
      figures[`${name}_cpu_ms`] = Math.round(f.cpu_ms);
      figures[`${name}_failed`] = f.failed;
    }
    if (c) figures.c_threads = c.threads;
    if (a) {
      figures.a_claims = a.claims;
      figures.a_updated = a.updated;
    }
    if (b) figures.b_unchanged = b.unchanged;
    if (e) {
      figures.e_updated = e.updated;
      figures.e_reconciled_keys = e.reconciled_keys;
      figures.e_changes_queued = e.queued;
      figures.e_changes_refreshed = e.refreshed;
      figures.e_changes_superseded = e.superseded;
      figures.e_facts = e.facts;
    }
    // Each ratio only when both of its phases ran: a missing figure, never a made-up one.
    const ratio = (name: string, top: Figures | undefined, bottom: Figures | undefined, of: (top: Figures, bottom: Figures) => number) => {
      if (top && bottom) figures[name] = round(of(top, bottom));
    };
    ratio('a_over_c', a, c, (a, c) => a.read_ms / c.ms);
    ratio('a_over_d', a, d, (a, d) => a.read_ms / d.ms);
    ratio('a_total_over_c', a, c, (a, c) => a.ms / c.ms);
    ratio('a_total_over_d', a, d, (a, d) => a.ms / d.ms);
    ratio('b_over_tiny', b, tiny, (b, tiny) => b.read_ms / tiny.ms);
    ratio('b_total_over_tiny', b, tiny, (b, tiny) => b.ms / tiny.ms);
    ratio('b_over_c', b, c, (b, c) => b.read_ms / c.ms);
    ratio('e_total_over_b', e, b, (e, b) => e.ms / b.ms);
    ratio('e_reconcile_over_a', e, a, (e, a) => e.reconcile_ms / a.reconcile_ms);
    ratio('c_over_d', c, d, (c, d) => c.ms / d.ms);
    return figures;
  } finally {
    server.child.kill();
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--phase') {
  const [name, origin, dir] = process.argv.slice(3);
  console.log(JSON.stringify(await runPhaseHere(name, origin, dir)));
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await run()));
}
