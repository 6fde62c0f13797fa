import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.ts';
import { DEMO_SNAPSHOTS } from '../helpers/cli.ts';
import { readManifest } from '../../src/pipeline/manifest.ts';

/** "No longer seen" needs the model missing from successive captures, not the same capture read twice. */
describe('no longer seen', () => {
  it('is proposed only after a second capture confirms the absence', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ml-removal-'));
    const run = (...args: string[]) => cli(['--db', join(dir, 'l.sqlite'), ...args]);
    await run('sync', '--offline', '--quiet');
    await run('approve', '--all', '--reviewer', 'ana');

    const entry = readManifest(DEMO_SNAPSHOTS).find((e) => e.source_id === 'openrouter')!;
    const page = JSON.parse(readFileSync(join(DEMO_SNAPSHOTS, entry.file), 'utf8'));
    page.data = page.data.filter((m: any) => m.id !== 'qwen/qwen3.5-9b');
    const without = join(dir, 'without-qwen.json');
    writeFileSync(without, JSON.stringify(page));
    await run('ingest', without, '--source', 'openrouter', '--observed-at', '2026-08-01', '--quiet');
    const removed = async () => (await run('changes', '--json')).json().filter((c: any) => c.kind === 'removed');
    expect(await removed()).toEqual([]);

    // Replaying the same capture is not a second look.
    await run('sync', '--offline', '--quiet');
    expect(await removed()).toEqual([]);

    // A new capture that still lacks the model is.
    writeFileSync(without, JSON.stringify({ ...page, fetched: 'again' }));
    await run('ingest', without, '--source', 'openrouter', '--observed-at', '2026-08-08', '--quiet');
    const proposals = await removed();
    expect(proposals.length).toBeGreaterThan(0);
    expect(new Set(proposals.map((c: any) => c.model))).toEqual(new Set(['qwen/qwen3.5-9b']));
  });

  it('is not proposed for a figure the source still states, as an anomaly ($0): its approved value stays', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ml-removal-zero-'));
    const run = (...args: string[]) => cli(['--db', join(dir, 'l.sqlite'), ...args]);
    await run('sync', '--offline', '--quiet');
    await run('approve', '--all', '--reviewer', 'ana');
    const entry = readManifest(DEMO_SNAPSHOTS).find((e) => e.source_id === 'openrouter')!;
    const page = JSON.parse(readFileSync(join(DEMO_SNAPSHOTS, entry.file), 'utf8'));
    const qwen = page.data.find((m: any) => m.id === 'qwen/qwen3.5-9b');
    qwen.pricing.prompt = '0';
    const zero = join(dir, 'qwen-at-zero.json');
    for (const [at, again] of [['2026-08-01', ''], ['2026-08-08', 'again']]) {
      writeFileSync(zero, JSON.stringify({ ...page, fetched: again }));
      expect((await run('ingest', zero, '--source', 'openrouter', '--observed-at', at, '--quiet')).code).toBeLessThan(2);
    }
    const changes = (await run('changes', '--json')).json().filter((c: any) => c.model === 'qwen/qwen3.5-9b' && c.field === 'input_price');
    expect(changes).toEqual([]);
    const history = (await run('history', 'qwen/qwen3.5-9b', 'input_price', '--json')).json();
    expect(history.at(-1)).toMatchObject({ valid_to: null });
    expect(history.at(-1).value).toBeGreaterThan(0);
  });
});
