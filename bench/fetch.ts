/**
 * Fetch benchmark (issue 3): 1,000 pricing-table pages of ~30–50 KB served on 127.0.0.1 by a
 * server in its own process, so serving never runs on a measured thread.
 *
 *   a        cold sync: fetcher (robots, limits, sha256) -> snapshot files -> extract in worker
 *            threads with the project's extractDocument -> claims and fetch state into SQLite
 *   a_light  the same pipeline with a minimal table reader on cheerio's htmlparser2 mode instead
 *            of extractDocument (parse5 + prose scan): what the pipeline costs with a light parse
 *   b        warm re-sync: conditional requests from the stored validators, every page a 304
 *   tiny     the yardstick for b: 1,000 bare undici requests for a 304 at the same concurrency
 *   c        the floor: bare undici request + cheerio.load per body, on the main thread, nothing stored
 *   d        the peer: @crawlee/cheerio CheerioCrawler, pinned concurrency, in-memory storage
 *
 * Every phase runs in its own child process, so each peak RSS is that phase's own. The machine is
 * shared, so the phases run in BENCH_FETCH_ROUNDS rounds (default 2) and each reports its fastest
 * round (its highest peak RSS), with the load average before and after.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const PAGES = 1_000;
const CONCURRENCY = 16;
const EXTRACT_WORKERS = Number(process.env.BENCH_FETCH_WORKERS ?? 2);
const USER_AGENT = 'model-ledger-bench/0.1 (+https://github.com/model-ledger/model-ledger)';

type Figures = Record<string, number>;
type ExtractorChoice = 'project' | 'light';

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
function page(i) {
  const n = 16 + ((i * 37) % 17);
  const rows = [];
  for (let r = 0; r < n; r++) {
    const name = FAMILIES[r % FAMILIES.length] + VARIANTS[Math.floor(r / 10) % VARIANTS.length];
    const input = (0.1 + ((r * 7 + i) % 300) / 20).toFixed(2), output = (0.4 + ((r * 11 + i) % 300) / 10).toFixed(2);
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
const pages = Array.from({ length: ${PAGES} }, (_, i) => {
  const body = Buffer.from(page(i));
  return { body, etag: '"' + crypto.createHash('sha1').update(body).digest('hex') + '"' };
});
const server = http.createServer((req, res) => {
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

// ------------------------------------------------------------------ extraction worker

/** A claim as it crosses the thread boundary: a tuple clones faster than an object. */
type ClaimRow = [model: string, field: string, value: string, condition: string, locator: string, quote: string];

async function projectExtractor(): Promise<(body: string) => ClaimRow[]> {
  const { extractDocument } = await import('../src/extract/registry.ts');
  return (body) =>
    extractDocument(body, { format: 'html', extractor: 'aggregator' }).claims.map((c) => [
      c.model,
      c.field,
      String(c.value),
      c.condition,
      c.locator,
      c.quote,
    ]);
}

async function serveProjectExtraction(): Promise<void> {
  const extract = await projectExtractor();
  parentPort!.on('message', ({ id, body }: { id: number; body: string }) => {
    parentPort!.postMessage({ id, claims: extract(body) });
  });
  parentPort!.postMessage({ ready: true });
}

/**
 * The light reader is plain JavaScript on cheerio, so its workers boot without tsx; the project's
 * extractor is TypeScript, and workers do not inherit tsx's loader hooks, so those register them
 * first (each such worker then also runs a hooks thread, which costs boot time and memory).
 */
function workerSource(choice: ExtractorChoice): string {
  if (choice === 'project') {
    // The built package (dist/, what `npm ci` installs and the library exports) boots without tsx.
    if (existsSync(DIST_REGISTRY)) return `(${distWorkerMain.toString()})(${JSON.stringify(pathToFileURL(DIST_REGISTRY).href)})`;
    return `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); })`;
  }
  return `(${lightWorkerMain.toString()})()`;
}

const DIST_REGISTRY = path.join(import.meta.dirname, '..', 'dist', 'extract', 'registry.js');

/** Runs inside a worker as source text: the project's extractor from the compiled dist/. */
function distWorkerMain(registryUrl: string): void {
  const { parentPort } = require('node:worker_threads') as typeof import('node:worker_threads');
  import(registryUrl).then(({ extractDocument }) => {
    parentPort!.on('message', ({ id, body }: { id: number; body: string }) => {
      const claims = extractDocument(body, { format: 'html', extractor: 'aggregator' }).claims.map((c: any) => [c.model, c.field, String(c.value), c.condition, c.locator, c.quote]);
      parentPort!.postMessage({ id, claims });
    });
    parentPort!.postMessage({ ready: true });
  });
}

/** Runs inside a worker as source text: no imports from this module, only cheerio. */
function lightWorkerMain(): void {
  const { parentPort } = require('node:worker_threads') as typeof import('node:worker_threads');
  const cheerio = require('cheerio') as typeof import('cheerio');
  const fields = ['input_price', 'output_price', 'context_window'];
  parentPort!.on('message', ({ id, body }: { id: number; body: string }) => {
    // htmlparser2 (cheerio's `xml: { xmlMode: false }`) parses several times faster than parse5.
    const $ = cheerio.load(body, { xml: { xmlMode: false, decodeEntities: true } });
    const claims: string[][] = [];
    $('table tbody tr').each((r, tr) => {
      const cells = $(tr).children('td');
      const model = cells.first().text().trim();
      cells.slice(1).each((c, td) => {
        const text = $(td).text().trim();
        claims.push([model, fields[c] ?? `col${c + 1}`, text, '', `table[0] row[${r + 1}] col[${c + 2}]`, text]);
      });
    });
    parentPort!.postMessage({ id, claims });
  });
  parentPort!.postMessage({ ready: true });
}

/** Workers fed by least load, so both cores stay busy. */
function createExtractPool(choice: ExtractorChoice, size: number) {
  const workers = Array.from({ length: size }, () => new Worker(workerSource(choice), { eval: true, workerData: { role: 'extract' } }));
  const pending = new Map<number, (claims: ClaimRow[]) => void>();
  const load = workers.map(() => 0);
  const ready = Promise.all(
    workers.map(
      (worker, w) =>
        new Promise<void>((resolve, reject) => {
          worker.on('error', reject);
          worker.on('message', (message: { ready?: true; id: number; claims: ClaimRow[] }) => {
            if (message.ready) return resolve();
            load[w]--;
            pending.get(message.id)!(message.claims);
            pending.delete(message.id);
          });
        }),
    ),
  );
  let nextId = 0;
  return {
    ready,
    extract(body: string): Promise<ClaimRow[]> {
      const id = nextId++;
      const w = load.indexOf(Math.min(...load));
      load[w]++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        workers[w].postMessage({ id, body });
      });
    },
    close: () => Promise.all(workers.map((w) => w.terminate())),
  };
}

// ------------------------------------------------------------------ phases (each in a child process)

/** Wall and CPU time (all threads of this process) of the measured part of a phase. */
function startClock() {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(cpu);
    return { ms: performance.now() - wall, cpu_ms: (used.user + used.system) / 1000 };
  };
}

async function openStore(dbPath: string) {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`
    CREATE TABLE IF NOT EXISTS fetch_state (source_id TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, sha256 TEXT,
      last_status TEXT, last_checked TEXT);
    CREATE TABLE IF NOT EXISTS snapshots (source_id TEXT, sha256 TEXT, observed_at TEXT, url TEXT, file TEXT,
      PRIMARY KEY (source_id, sha256));
    CREATE TABLE IF NOT EXISTS claims (source_id TEXT, snapshot_sha256 TEXT, model TEXT, field TEXT, value TEXT,
      condition TEXT, locator TEXT, quote TEXT);
  `);
  return db;
}

async function benchSources(origin: string) {
  const { SourceSchema } = await import('../src/schema/source.ts');
  return Array.from({ length: PAGES }, (_, i) =>
    SourceSchema.parse({
      id: `bench-${i}`,
      name: `Bench page ${i}`,
      kind: 'aggregator',
      url: pageUrl(origin, i),
      format: 'html',
      extractor: 'aggregator',
      trust: 0.5,
    }),
  );
}

const fetcherOptions = {
  userAgent: USER_AGENT,
  globalConcurrency: CONCURRENCY,
  perHostConcurrency: CONCURRENCY,
  perHostDelayMs: 0, // one loopback "host" stands in for many real ones
};

/** Cold sync: everything a real first sync does with each page, extraction off the main thread. */
async function coldSync(origin: string, dir: string, choice: ExtractorChoice): Promise<Figures> {
  const { createFetcher, writeSnapshotFile } = await import('../src/fetch/index.ts');
  const sources = await benchSources(origin);
  const started = performance.now();
  const stop = startClock();
  const pool = createExtractPool(choice, EXTRACT_WORKERS);
  let workerBootMs = 0;
  void pool.ready.then(() => (workerBootMs = performance.now() - started));
  const db = await openStore(path.join(dir, 'ledger.db'));
  const insertState = db.prepare('INSERT OR REPLACE INTO fetch_state VALUES (?, ?, ?, ?, ?, ?)');
  const insertSnapshot = db.prepare('INSERT OR IGNORE INTO snapshots VALUES (?, ?, ?, ?, ?)');
  const insertClaim = db.prepare('INSERT INTO claims VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  type Stored = { outcome: import('../src/fetch/index.ts').FetchOutcome; file: string | null; claims: ClaimRow[] };
  const store = db.transaction((batch: Stored[]) => {
    for (const { outcome, file, claims } of batch) {
      const s = outcome.snapshot;
      insertState.run(outcome.source_id, outcome.etag, outcome.last_modified, s?.sha256 ?? null, outcome.status, new Date().toISOString());
      if (!s) continue;
      insertSnapshot.run(s.source_id, s.sha256, s.observed_at, s.url, file);
      for (const c of claims) insertClaim.run(s.source_id, s.sha256, ...c);
    }
  });
  let batch: Stored[] = [];
  let claimCount = 0;
  const work: Promise<void>[] = [];
  const handle = async (outcome: Stored['outcome']) => {
    const s = outcome.snapshot;
    const claimsPromise = s ? pool.extract(s.body) : Promise.resolve([]);
    const file = s ? writeSnapshotFile(path.join(dir, 'snapshots'), s) : null;
    const claims = await claimsPromise;
    claimCount += claims.length;
    batch.push({ outcome, file, claims });
    if (batch.length >= 50) {
      store(batch);
      batch = [];
    }
  };
  const fetcher = createFetcher({ ...fetcherOptions, onProgress: ({ outcome }) => void work.push(handle(outcome)) });
  const outcomes = await fetcher.fetchAll(sources, new Map());
  await Promise.all(work);
  store(batch);
  const clock = stop();
  await Promise.all([fetcher.close(), pool.close()]);
  db.close();
  return {
    ...clock,
    pages: outcomes.filter((o) => o.status === 'fetched').length,
    failed: outcomes.filter((o) => o.status === 'failed').length,
    claims: claimCount,
    worker_boot_ms: workerBootMs,
  };
}

/** Warm re-sync: the validators stored by the cold sync make every page a 304. */
async function warmSync(origin: string, dir: string): Promise<Figures> {
  const { createFetcher } = await import('../src/fetch/index.ts');
  const sources = await benchSources(origin);
  const db = await openStore(path.join(dir, 'ledger.db'));
  const stop = startClock();
  const rows = db.prepare('SELECT source_id, etag, last_modified, sha256 FROM fetch_state').all() as Array<{
    source_id: string;
    etag: string | null;
    last_modified: string | null;
    sha256: string | null;
  }>;
  const states = new Map(rows.map((r) => [r.source_id, { etag: r.etag, last_modified: r.last_modified, sha256: r.sha256 }]));
  const fetcher = createFetcher(fetcherOptions);
  const outcomes = await fetcher.fetchAll(sources, states);
  const touch = db.prepare('UPDATE fetch_state SET last_status = ?, last_checked = ? WHERE source_id = ?');
  const now = new Date().toISOString();
  db.transaction(() => outcomes.forEach((o) => touch.run(o.status, now, o.source_id)))();
  const clock = stop();
  await fetcher.close();
  db.close();
  return { ...clock, pages: outcomes.filter((o) => o.status === 'unchanged').length, failed: outcomes.filter((o) => o.status === 'failed').length };
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
  const stop = startClock();
  await withConcurrency(PAGES, async () => {
    const { body } = await request(`${origin}/tiny`, { dispatcher: agent, headers: { 'user-agent': USER_AGENT } });
    await body.dump();
  });
  const clock = stop();
  await agent.close();
  return { ...clock, pages: PAGES, failed: 0 };
}

/** The floor: nothing but the request and the parse. */
async function floor(origin: string): Promise<Figures> {
  const { Agent, request } = await import('undici');
  const cheerio = await import('cheerio');
  const agent = new Agent({ connections: CONCURRENCY });
  let rows = 0;
  const stop = startClock();
  await withConcurrency(PAGES, async (i) => {
    const { body } = await request(pageUrl(origin, i), { dispatcher: agent, headers: { 'user-agent': USER_AGENT } });
    const $ = cheerio.load(await body.text());
    rows += $('tr').length;
  });
  const clock = stop();
  await agent.close();
  return { ...clock, pages: PAGES, failed: 0, rows };
}

/** The peer: CheerioCrawler at the same, pinned concurrency; storage kept in memory. */
async function crawlee(origin: string, dir: string): Promise<Figures> {
  process.chdir(dir); // anything crawlee still writes lands in the temp dir
  const { CheerioCrawler, Configuration, log, LogLevel } = await import('@crawlee/cheerio');
  log.setLevel(LogLevel.OFF);
  let rows = 0;
  let failed = 0;
  const stop = startClock();
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
  return { ...stop(), pages: PAGES - failed, failed, rows };
}

/**
 * The product itself: `sync()` from the library, live, on 1,000 declared sources, which is what a
 * weekly job runs (it also reconciles and queues changes, which (a) does not). Extraction runs on
 * the main thread, source after source, as the pipeline does today.
 */
async function productSync(origin: string, dir: string): Promise<Figures> {
  const { sync } = await import('../src/index.ts');
  const sourcesDir = path.join(dir, 'sources');
  mkdirSync(sourcesDir, { recursive: true });
  for (let i = 0; i < PAGES; i++) {
    const id = `bench-${String(i).padStart(4, '0')}`;
    writeFileSync(path.join(sourcesDir, `${id}.json`), JSON.stringify({ id, name: id, kind: 'aggregator', url: pageUrl(origin, i), format: 'html', extractor: 'aggregator', trust: 0.5 }));
  }
  const started = performance.now();
  const cpu = process.cpuUsage();
  const summary = await sync({
    db: path.join(dir, 'ledger.sqlite'),
    sourcesDir,
    offline: false,
    fetch: { userAgent: USER_AGENT, globalConcurrency: CONCURRENCY, perHostConcurrency: CONCURRENCY, perHostDelayMs: 0 },
  });
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return {
    ms,
    pages: PAGES,
    cpu_ms: (used.user + used.system) / 1000,
    failed: summary.sources.filter((s) => s.outcome === 'failed' || s.outcome === 'drift').length,
    claims: summary.claims,
  };
}

const PHASES: Record<string, (origin: string, dir: string) => Promise<Figures>> = {
  product: productSync,
  a: (origin, dir) => coldSync(origin, dir, 'project'),
  a_light: (origin, dir) => coldSync(origin, dir, 'light'),
  b: warmSync,
  tiny: tinyRequests,
  c: floor,
  d: crawlee,
};

async function runPhaseHere(name: string, origin: string, dir: string): Promise<Figures> {
  const figures = await PHASES[name](origin, dir);
  return { ...figures, peak_rss_mb: process.resourceUsage().maxRSS / 1024 };
}

function runPhaseInChild(name: string, origin: string, dir: string): Figures {
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--phase', name, origin, dir],
    { encoding: 'utf8', maxBuffer: 1 << 22 },
  );
  if (child.status !== 0) throw new Error(`bench phase ${name} failed (exit ${child.status}):\n${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!);
}

// ------------------------------------------------------------------ report

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

const ROUNDS = Number(process.env.BENCH_FETCH_ROUNDS ?? 2);

/** Per phase: the fastest round's time and figures, and the highest peak RSS of any round. */
function bestOf(rounds: Figures[]): Figures {
  const fastest = rounds.reduce((best, f) => (f.ms < best.ms ? f : best));
  return { ...fastest, peak_rss_mb: Math.max(...rounds.map((f) => f.peak_rss_mb)) };
}

export async function run(): Promise<Figures> {
  // Measure the extractor as built from the current sources, not a stale dist/.
  const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: path.join(import.meta.dirname, '..'), stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) throw new Error('npm run build failed');
  const server = await startPageServer();
  const work = mkdtempSync(path.join(tmpdir(), 'bench-fetch-'));
  const loadBefore = loadavg()[0];
  try {
    const phase = (name: string, sub: string) => {
      const dir = path.join(work, sub);
      mkdirSync(dir, { recursive: true });
      return runPhaseInChild(name, server.origin, dir);
    };
    const rounds: Record<string, Figures[]> = { a: [], a_light: [], b: [], tiny: [], c: [], d: [], product: [] };
    for (let round = 0; round < ROUNDS; round++) {
      // b re-syncs what this round's a stored; every other phase starts from nothing.
      rounds.c.push(phase('c', `c-${round}`));
      rounds.a.push(phase('a', `sync-${round}`));
      rounds.b.push(phase('b', `sync-${round}`));
      rounds.tiny.push(phase('tiny', `tiny-${round}`));
      rounds.a_light.push(phase('a_light', `light-${round}`));
      rounds.d.push(phase('d', `d-${round}`));
      rounds.product.push(phase('product', `product-${round}`));
      rmSync(path.join(work, `sync-${round}`), { recursive: true, force: true });
    }
    const best = Object.fromEntries(Object.entries(rounds).map(([name, r]) => [name, bestOf(r)]));
    const { a, a_light: aLight, b, tiny, c, d } = best;
    const figures: Figures = {
      pages: PAGES,
      concurrency: CONCURRENCY,
      extract_workers: EXTRACT_WORKERS,
      rounds: ROUNDS,
      page_kb_min: round(server.min_kb, 1),
      page_kb_max: round(server.max_kb, 1),
      page_kb_avg: round(server.avg_kb, 1),
      loadavg_1m_before: round(loadBefore),
      loadavg_1m_after: round(loadavg()[0]),
    };
    for (const [name, f] of Object.entries(best)) {
      figures[`${name}_ms`] = Math.round(f.ms);
      figures[`${name}_pages_per_s`] = round((f.pages / f.ms) * 1000, 1);
      figures[`${name}_peak_rss_mb`] = Math.round(f.peak_rss_mb);
      figures[`${name}_cpu_ms`] = Math.round(f.cpu_ms);
      figures[`${name}_failed`] = f.failed;
    }
    figures.a_worker_boot_ms = Math.round(a.worker_boot_ms);
    figures.a_light_worker_boot_ms = Math.round(aLight.worker_boot_ms);
    figures.a_claims = a.claims;
    figures.a_light_claims = aLight.claims;
    figures.b_unchanged = b.pages;
    figures.a_over_c = round(a.ms / c.ms);
    figures.a_light_over_c = round(aLight.ms / c.ms);
    figures.b_over_c = round(b.ms / c.ms);
    figures.b_over_tiny = round(b.ms / tiny.ms);
    figures.a_over_d = round(a.ms / d.ms);
    figures.a_light_over_d = round(aLight.ms / d.ms);
    figures.c_over_d = round(c.ms / d.ms);
    figures.product_claims = best.product.claims;
    figures.product_over_c = round(best.product.ms / c.ms);
    figures.product_over_d = round(best.product.ms / d.ms);
    return figures;
  } finally {
    server.child.kill();
    rmSync(work, { recursive: true, force: true });
  }
}

if (!isMainThread && workerData?.role === 'extract') {
  await serveProjectExtraction();
} else if (process.argv[2] === '--phase') {
  const [name, origin, dir] = process.argv.slice(3);
  console.log(JSON.stringify(await runPhaseHere(name, origin, dir)));
} else if (isMainThread && process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await run()));
}
