import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { brotliDecompressSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sync } from '../../src/index.ts';
import { createExtractionPool } from '../../src/pipeline/extract-pool.ts';
import { startWorker, workerExecArgv } from '../../src/worker-flags.ts';
import { extractSnapshot } from '../../src/extract/registry.ts';
import { Ledger } from '../../src/store/ledger.ts';
import { runPipeline } from '../../src/pipeline/sync.ts';
import { SourceSchema } from '../../src/schema/source.ts';
import { sha256Hex } from '../../src/fetch/snapshot-store.ts';

/** What a sync stored, without the ids and times that differ between runs. */
function stored(db: string) {
  const ledger = new Ledger(db);
  try {
    return {
      claims: ledger.claims.current().map(({ source_id, model, field, condition, value, locator, quote }) => ({ source_id, model, field, condition, value, locator, quote })),
      facts: ledger.facts.list().map(({ model, field, condition, value, status, confidence }) => ({ model, field, condition, value, status, confidence })),
      models: ledger.models.list(),
    };
  } finally {
    ledger.close();
  }
}

describe('extraction on worker threads', () => {
  it('stores exactly what main-thread extraction stores, for every shipped source', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ml-workers-'));
    const inline = await sync({ db: join(dir, 'inline.sqlite'), offline: true, extractWorkers: 0 });
    const threaded = await sync({ db: join(dir, 'threaded.sqlite'), offline: true, extractWorkers: 2 });
    expect(threaded.sources.map((s) => [s.source_id, s.outcome, s.claims])).toEqual(inline.sources.map((s) => [s.source_id, s.outcome, s.claims]));
    expect(inline.claims).toBeGreaterThan(50);
    expect(stored(join(dir, 'threaded.sqlite'))).toEqual(stored(join(dir, 'inline.sqlite')));
    expect(threaded.sources.flatMap((s) => s.notes).filter((n) => n.includes('main thread'))).toEqual([]); // the workers ran
    // The workers also compressed each body for the ledger: each stored body reads back to its hash.
    const ledger = new Ledger(join(dir, 'threaded.sqlite'));
    try {
      const read = threaded.sources.filter((s) => s.snapshot);
      expect(read.length).toBeGreaterThan(5);
      for (const s of read) expect(sha256Hex(ledger.captures.snapshotBody(s.snapshot!)!)).toBe(s.snapshot);
    } finally {
      ledger.close();
    }
  });

  it('starts a compiled worker without the host preloads and loader hooks, and any worker without --input-type', () => {
    const host = ['--import', 'tsx', '--enable-source-maps', '--require=./trace.cjs', '-r', 'dotenv/config', '--input-type=module', '--loader', 'ts-node/esm', '--stack-trace-limit=50'];
    expect(workerExecArgv(host, true)).toEqual(['--enable-source-maps', '--stack-trace-limit=50']);
    // A TypeScript worker registers tsx itself; the host's other flags it keeps as they are.
    expect(workerExecArgv(host, false)).toEqual(host.filter((flag) => flag !== '--input-type=module'));
  });

  it('starts a worker for a host run with flags Node refuses in a worker (V8 and process-wide ones), without those flags', async () => {
    const host = ['--expose-gc', '--no-warnings', '--max-old-space-size=512', '--enable-source-maps'];
    const worker = startWorker("require('node:worker_threads').parentPort.postMessage(process.execArgv)", { eval: true }, { compiled: true, hostArgv: host });
    const [execArgv] = (await once(worker, 'message')) as [string[]];
    await worker.terminate();
    expect(execArgv).toEqual(['--no-warnings', '--enable-source-maps']);
  });

  it('extracts on the main thread, and says so, when no worker can start', async () => {
    // A heap far too small for the extractors to load: every worker dies of it on start-up.
    const pool = createExtractionPool({ workers: 2, maxHeapMb: 1 });
    const source = SourceSchema.parse({ id: 's', name: 's', kind: 'api', url: 'https://example.test/models', format: 'json', extractor: 'openrouter', trust: 0.5 });
    const body = readFileSync(join(import.meta.dirname, '../fixtures/pipeline/openrouter-small.json'), 'utf8');
    const job = { body, format: 'json' as const, source };
    try {
      const results = (await Promise.all([pool.extract(job), pool.extract(job), pool.extract(job)])).map((e) => e.result);
      const expected = extractSnapshot(job);
      expect(expected.claims.length).toBeGreaterThan(5);
      for (const result of results) {
        expect(result.claims).toEqual(expected.claims);
        expect(result.notes.at(-1)).toMatch(/^extracted on the main thread: extraction worker/);
      }
    } finally {
      await pool.close();
    }
  });

  it('hands the journal keeper each body compressed as the ledger stores it, extracted on workers or here', async () => {
    const fixture = readFileSync(join(import.meta.dirname, '../fixtures/pipeline/openrouter-small.json'), 'utf8');
    const sources = [0, 1, 2].map((i) => SourceSchema.parse({ id: `s${i}`, name: `s${i}`, kind: 'api', url: `https://example.test/${i}`, format: 'json', extractor: 'openrouter', trust: 0.5 }));
    const bodyOf = (i: number) => fixture + ' '.repeat(i); // three captures, three hashes
    for (const extractWorkers of [2, 0]) {
      const ledger = new Ledger(join(mkdtempSync(join(tmpdir(), 'ml-keep-')), 'ledger.sqlite'));
      const kept = new Map<string, Uint8Array>();
      try {
        await runPipeline(ledger, { sources, extractWorkers, keepBody: (id, _sha, compressed) => kept.set(id, compressed) }, sources, async (source) => {
          const body = bodyOf(sources.indexOf(source));
          return { status: 'snapshot', origin: 'ingest', snapshot: { source_id: source.id, sha256: sha256Hex(body), observed_at: '2026-12-01T00:00:00.000Z', url: source.url, format: 'json', content_type: null, body } };
        });
        expect([...kept.keys()].sort()).toEqual(['s0', 's1', 's2']);
        sources.forEach((s, i) => expect(brotliDecompressSync(kept.get(s.id)!).toString('utf8')).toBe(bodyOf(i)));
      } finally {
        ledger.close();
      }
    }
  });
});
