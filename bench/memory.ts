/**
 * Memory of a cold live sync (issue 14): the package's own `sync()` (dist/, as users import it) on
 * 1,000 and on 5,000 declared sources, each pricing page ~30 KB served on 127.0.0.1 by a server in
 * its own process, each sync in a child process of its own so that its peak RSS is its own.
 * A sync's memory should be bounded by its concurrency, not by the number of sources:
 * `rss_5000_over_1000` (target <= 1.5) is the 5,000-page peak over the 1,000-page one.
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SIZES = [1_000, 5_000] as const;
const CONCURRENCY = 16;
const USER_AGENT = 'model-ledger-bench/0.1 (+https://github.com/model-ledger/model-ledger)';

/**
 * Plain JS for `node -e`: page i (any i) is a ~30 KB pricing page of 24 models whose prices
 * depend on i, padded with markup as real pages are; robots.txt allows everything.
 */
const SERVER_SOURCE = String.raw`
const http = require('node:http');
const pad = (i) => '<div class="px-2 py-2 text-sm font-medium text-gray-700 dark:text-gray-300 hover:bg-gray-50">' + 'lorem ipsum dolor sit amet '.repeat(8) + i + '</div>';
function page(i) {
  let rows = '';
  for (let r = 0; r < 24; r++) rows += '<tr><td>Bench Model ' + r + '</td><td>$' + (0.1 + ((r * 7 + i) % 300) / 20).toFixed(2) + '</td><td>$' + (0.4 + ((r * 11 + i) % 300) / 10).toFixed(2) + '</td><td>' + [128, 200, 256][r % 3] + 'K</td></tr>';
  return '<!doctype html><html><head><meta charset="utf-8"><title>API pricing ' + i + '</title></head><body><h1>API pricing</h1><p>Prices per 1M tokens.</p>' +
    '<table><thead><tr><th>Model</th><th>Input price</th><th>Output price</th><th>Context window</th></tr></thead><tbody>' + rows + '</tbody></table>' +
    Array.from({ length: 100 }, (_, k) => pad(i + k)).join('') + '</body></html>';
}
const server = http.createServer((req, res) => {
  if (req.url === '/robots.txt') return res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nAllow: /\n');
  const m = /^\/pricing\/(\d+)$/.exec(req.url);
  if (!m) return res.writeHead(404).end();
  const body = Buffer.from(page(Number(m[1])));
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length }).end(body);
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n'));
`;

/** The server's first line of output is its port; it dies with this process's `stop`. */
async function startServer(): Promise<{ origin: string; stop: () => void }> {
  const child = spawn(process.execPath, ['-e', SERVER_SOURCE], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  return { origin: `http://127.0.0.1:${JSON.parse(line).port}`, stop: () => child.kill() };
}

/** One cold live sync of `pages` sources into a new ledger in `dir`; runs in the child process. */
async function coldSync(pages: number, origin: string, dir: string): Promise<Record<string, number>> {
  const { sync } = (await import(pathToFileURL(path.join(import.meta.dirname, '..', 'dist', 'index.js')).href)) as typeof import('../src/index.ts');
  const sourcesDir = path.join(dir, 'sources');
  mkdirSync(sourcesDir, { recursive: true });
  for (let i = 0; i < pages; i++) {
    const id = `bench-${String(i).padStart(5, '0')}`;
    writeFileSync(path.join(sourcesDir, `${id}.json`), JSON.stringify({ id, name: id, kind: 'aggregator', url: `${origin}/pricing/${i}`, format: 'html', extractor: 'aggregator', trust: 0.5 }));
  }
  const started = performance.now();
  const summary = await sync({
    db: path.join(dir, 'ledger.sqlite'),
    sourcesDir,
    offline: false,
    fetch: { allowPrivateNetwork: true, userAgent: USER_AGENT, globalConcurrency: CONCURRENCY, perHostConcurrency: CONCURRENCY, perHostDelayMs: 0 },
  });
  return {
    ms: Math.round(performance.now() - started),
    updated: summary.sources.filter((s) => s.outcome === 'updated').length,
    claims: summary.claims,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
  };
}

function coldSyncInChild(pages: number, origin: string, dir: string): Record<string, number> {
  const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--phase', String(pages), origin, dir], { encoding: 'utf8', maxBuffer: 1 << 22 });
  if (child.status !== 0) throw new Error(`memory bench sync of ${pages} pages failed (exit ${child.status}):\n${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!);
}

export async function run(): Promise<Record<string, number>> {
  // Measure the package as built from the current sources, not a stale dist/.
  const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: path.join(import.meta.dirname, '..'), stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) throw new Error('npm run build failed');
  const server = await startServer();
  const work = mkdtempSync(path.join(tmpdir(), 'bench-memory-'));
  try {
    const figures: Record<string, number> = {};
    for (const pages of SIZES) {
      const dir = path.join(work, String(pages));
      mkdirSync(dir);
      const result = coldSyncInChild(pages, server.origin, dir);
      if (result.updated !== pages) throw new Error(`the ${pages}-page sync updated ${result.updated} sources, not ${pages}`);
      figures[`rss_${pages}_mb`] = Math.round(result.peak_rss_mb);
      figures[`sync_${pages}_ms`] = result.ms;
      figures[`claims_${pages}`] = result.claims;
      rmSync(dir, { recursive: true, force: true });
    }
    figures.rss_5000_over_1000 = Math.round((figures.rss_5000_mb / figures.rss_1000_mb) * 100) / 100;
    return figures;
  } finally {
    server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--phase') {
  const [pages, origin, dir] = process.argv.slice(3);
  console.log(JSON.stringify(await coldSync(Number(pages), origin, dir)));
}
