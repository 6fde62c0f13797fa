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
});
