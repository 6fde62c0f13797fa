import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_SNAPSHOTS, DEMO_SOURCES, cliProcess } from '../helpers/cli.ts';
import { PACKAGE_ROOT } from '../../src/paths.ts';
import { readManifest, sha256Hex } from '../../src/pipeline/manifest.ts';

/**
 * The weekly flow's script end to end (scripts/weekly.sh, not the GitHub parts): rebuild the
 * ledger from the journal, sync, export, triaged summary; a reviewer decides against a ledger
 * rebuilt on their own machine and pushes the journal; the next run starts from that alone.
 */
describe('scripts/weekly.sh', () => {
  const root = mkdtempSync(join(tmpdir(), 'ml-weekly-'));
  const data = join(root, 'data');
  const snapshots = join(root, 'snapshots');
  cpSync(DEMO_SNAPSHOTS, snapshots, { recursive: true });
  const env = { MODEL_LEDGER_SOURCES: DEMO_SOURCES, MODEL_LEDGER_SNAPSHOTS: snapshots, SYNC_ARGS: '--offline', MODEL_LEDGER_REVIEWER: 'ci' };
  const weekly = () => spawnSync('sh', [join(PACKAGE_ROOT, 'scripts', 'weekly.sh'), data], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
  const journal = join(data, 'decisions.ndjson');

  it('runs week after week from the journal alone, the policy taking the routine and the summary leading with what needs a human', () => {
    const first = weekly();
    expect(first.status, first.stderr).toBe(0);
    expect(readFileSync(join(data, 'sync-summary.md'), 'utf8')).toMatch(/\| new models \| 194 \|/);
    expect(JSON.parse(readFileSync(join(data, 'export', 'dataset.json'), 'utf8')).models.every((m: any) => m.values.length === 0)).toBe(true);

    // A reviewer, on a fresh clone of the pull request: rebuild the ledger, approve, push the journal.
    const local = join(root, 'reviewer.sqlite');
    const reviewer = (...args: string[]) => cliProcess(['--db', local, '--journal', journal, ...args], env);
    expect(reviewer('rebuild').code).toBe(0);
    expect(reviewer('approve', '--all', '--reviewer', 'ana').code).toBe(0);
    expect(reviewer('export', '--out', join(root, 'reviewer-export')).code).toBe(0);
    writeFileSync(join(data, 'review-policy.yaml'), 'rules:\n  - rule: small-move\n    max_move_pct: 2\n    min_sources: 1\n');

    // The cache is gone (a new runner): nothing but the committed files remain.
    rmSync(join(data, 'ledger.sqlite'));
    // A week later a source publishes a new capture: a small move and a large one.
    const entry = readManifest(snapshots).find((e) => e.source_id === 'aggregator-versus')!;
    const body = readFileSync(join(snapshots, entry.file), 'utf8').replaceAll('$2.50', '$2.52').replaceAll('$10/', '$13/');
    const sha = sha256Hex(body);
    writeFileSync(join(snapshots, 'aggregator-versus', `${sha}.txt`), body);
    const manifest = JSON.parse(readFileSync(join(snapshots, 'manifest.json'), 'utf8'));
    manifest.push({ ...entry, sha256: sha, file: `aggregator-versus/${sha}.txt`, observed_at: '2026-06-01T00:00:00.000Z' });
    writeFileSync(join(snapshots, 'manifest.json'), JSON.stringify(manifest, null, 2));

    const second = weekly();
    expect(second.status, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/rebuilt the ledger/);
    const summary = readFileSync(join(data, 'sync-summary.md'), 'utf8');
    expect(summary).toMatch(/## Approved by policy\n\n\| rule \| changes \|\n\|---\|---\|\n\| small-move \| 1 \|/);
    expect(summary).toMatch(/\| large price moves \| 1 \|/);
    expect(summary).toMatch(/### large price moves \(1\)\n\n\| # \| model \| field \| change \|\n\|---\|---\|---\|---\|\n\| \d+ \| openai\/gpt-4o-audio \| output_price \| 10 → 13 \|/);
    // The reviewer's approvals and the policy's both reached the export.
    const audio = JSON.parse(readFileSync(join(data, 'export', 'dataset.json'), 'utf8')).models.find((m: any) => m.id === 'openai/gpt-4o-audio');
    expect(audio.values.find((v: any) => v.field === 'input_price' && v.condition === '').value).toBe(2.52);
    expect(audio.values.find((v: any) => v.field === 'output_price' && v.condition === '').value).toBe(10);
    const lines = readFileSync(journal, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.action === 'sync')).toHaveLength(2);
    expect(lines.filter((l) => l.by === 'ana').length).toBe(194);
    expect(lines.filter((l) => l.rule === 'small-move').length).toBe(1);
    expect(existsSync(join(data, 'ledger.sqlite'))).toBe(true);
  }, 180_000);

  it('is shipped executable, as docs/cron.md and the workflow run it', () => {
    expect(statSync(join(PACKAGE_ROOT, 'scripts', 'weekly.sh')).mode & 0o111).not.toBe(0);
    expect(readFileSync(join(PACKAGE_ROOT, 'docs', 'cron.md'), 'utf8')).toContain('scripts/weekly.sh data');
    expect(readFileSync(join(PACKAGE_ROOT, 'docs', 'github-actions-weekly-sync.yml'), 'utf8')).toContain('scripts/weekly.sh data');
  });

  it('stops with exit 65 on a journal that does not parse, before syncing', () => {
    writeFileSync(journal, readFileSync(journal, 'utf8') + '{"broken\n');
    const r = weekly();
    expect(r.status).toBe(65);
    expect(r.stderr).toMatch(/decisions\.ndjson:\d+: not a JSON line/);
  }, 60_000);
});
