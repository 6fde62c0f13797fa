import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/paths.ts';

/**
 * `import { sync, extract, reconcile, exportDataset } from 'model-ledger'` from plain Node:
 * the package's own name resolves through its "exports" to the built dist/ (built by `prepare`).
 */
describe('the library entry point', () => {
  it.runIf(existsSync(join(PACKAGE_ROOT, 'dist', 'index.js')) || process.env.CI)('imports by package name from plain Node and extracts claims', () => {
    const script = `
      import { sync, extract, reconcile, exportDataset } from 'model-ledger';
      const r = extract('| Spec | GPT-4.1 Mini | GPT-5.2-Codex |\\n|---|---|---|\\n| Context | 1,047,576 | 400K |\\n', { format: 'text' });
      console.log(JSON.stringify({ kinds: [typeof sync, typeof reconcile, typeof exportDataset], claims: r.claims.map((c) => [c.model, c.field, c.value]) }));
    `;
    const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: PACKAGE_ROOT, encoding: 'utf8' }));
    expect(out.kinds).toEqual(['function', 'function', 'function']);
    expect(out.claims).toEqual([
      ['openai/gpt-4.1-mini', 'context_window', 1047576],
      ['openai/gpt-5.2-codex', 'context_window', 400000],
    ]);
  });

  it.runIf(existsSync(join(PACKAGE_ROOT, 'dist', 'index.js')) || process.env.CI)('syncs with extraction on the compiled worker threads', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ml-dist-'));
    // The host preloads a module (as `--import tsx` does) that no worker may run: a worker that
    // inherited it would die at birth and the sync would fall back to the main thread.
    const preload = join(dir, 'main-thread-only.cjs');
    writeFileSync(preload, "if (!require('node:worker_threads').isMainThread) throw new Error('a host preload ran in a worker');\n");
    expectWorkersRan(syncOnWorkers(join(dir, 'ledger.sqlite'), ['--require', preload]));
  });

  it.runIf(existsSync(join(PACKAGE_ROOT, 'dist', 'index.js')) || process.env.CI)('syncs on worker threads when the host runs with flags no worker thread accepts', () => {
    // As a weekly job that gives Node a larger heap runs it: such flags made every worker, and so every source, fail.
    expectWorkersRan(syncOnWorkers(join(mkdtempSync(join(tmpdir(), 'ml-flags-')), 'ledger.sqlite'), ['--max-old-space-size=2048', '--expose-gc']));
  });
});

/** The compiled package's offline sync on one extraction worker, in a plain Node run with `hostFlags`. */
function syncOnWorkers(db: string, hostFlags: string[]): { outcomes: string[]; claims: number; fallbacks: string[] } {
  const script = `
    import { sync } from 'model-ledger';
    const s = await sync({ db: ${JSON.stringify(db)}, offline: true, extractWorkers: 1 });
    const fallbacks = s.sources.flatMap((r) => r.notes).filter((n) => n.includes('main thread'));
    console.log(JSON.stringify({ outcomes: [...new Set(s.sources.map((r) => r.outcome))], claims: s.claims, fallbacks }));
  `;
  return JSON.parse(execFileSync(process.execPath, [...hostFlags, '--input-type=module', '-e', script], { cwd: PACKAGE_ROOT, encoding: 'utf8' }));
}

function expectWorkersRan(out: ReturnType<typeof syncOnWorkers>): void {
  expect(out.outcomes).toEqual(['updated']);
  expect(out.claims).toBeGreaterThan(50);
  expect(out.fallbacks).toEqual([]); // the workers ran: none fell back to the main thread
}
