import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/paths.ts';

/** docs/weekly-job.sh, the job docs/cron.md schedules, run against a stand-in model-ledger. */
const JOB = join(PACKAGE_ROOT, 'docs', 'weekly-job.sh');

let dir: string;
let stub: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'weekly-job-'));
  stub = join(dir, 'model-ledger');
  // Records each call and exits with the code the test asks of that command.
  writeFileSync(stub, '#!/bin/sh\necho "$*" >> "$CALLS"\ncase $1 in sync) exit "$SYNC_EXIT" ;; export) exit "$EXPORT_EXIT" ;; esac\n');
  chmodSync(stub, 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function job(syncExit: number, env: Record<string, string> = {}, exportExit = 0) {
  const calls = join(dir, `calls-${syncExit}-${exportExit}-${Object.keys(env).length}`);
  const { MODEL_LEDGER_WEBHOOK: _, ...inherited } = process.env;
  const r = spawnSync('/bin/sh', [JOB], {
    encoding: 'utf8',
    env: { ...inherited, MODEL_LEDGER: stub, CALLS: calls, SYNC_EXIT: String(syncExit), EXPORT_EXIT: String(exportExit), ...env },
  });
  return { code: r.status, out: r.stdout, calls: existsSync(calls) ? readFileSync(calls, 'utf8').trim().split('\n') : [] };
}

describe('docs/weekly-job.sh', () => {
  it('is shipped executable, as docs/cron.md runs it', () => {
    expect(statSync(JOB).mode & 0o111).not.toBe(0);
    expect(readFileSync(join(PACKAGE_ROOT, 'docs', 'cron.md'), 'utf8')).toContain('./docs/weekly-job.sh');
  });

  it('exports after a full or partial sync and exits with sync\'s code', () => {
    const ok = job(0);
    expect(ok.code).toBe(0);
    expect(ok.calls).toEqual(['sync --quiet --summary data/sync-summary.md', 'export --out data/export --format all']);
    const partial = job(1);
    expect(partial.code).toBe(1);
    expect(partial.calls[1]).toBe('export --out data/export --format all');
    expect(partial.out).toMatch(/partial/);
  });

  it('exports nothing when no source was read or another sync holds the lock', () => {
    for (const code of [2, 75, 70]) {
      const r = job(code);
      expect(r.code).toBe(code);
      expect(r.calls).toEqual(['sync --quiet --summary data/sync-summary.md']);
    }
    expect(job(75).out).toMatch(/lock/);
  });

  it('passes the webhook only when one is set, and fails when export fails', () => {
    expect(job(0, { MODEL_LEDGER_WEBHOOK: 'http://127.0.0.1:9/hook' }).calls[0]).toBe('sync --quiet --summary data/sync-summary.md --notify http://127.0.0.1:9/hook');
    const broken = job(0, {}, 70);
    expect(broken.code).toBe(70);
    expect(broken.out).toMatch(/export failed with exit 70/);
  });
});
