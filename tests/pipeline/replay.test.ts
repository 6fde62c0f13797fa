import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/pipeline/manifest.ts';
import { cli, DEMO_SNAPSHOTS, DEMO_SOURCES } from '../helpers/cli.ts';

/** A snapshots dir holding the demo pricing page twice: as shipped, and a later capture with a price move. */
function twoCaptures(): { sources: string; snapshots: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ml-replay-'));
  const sources = join(dir, 'sources');
  mkdirSync(sources);
  cpSync(join(DEMO_SOURCES, 'openai-pricing.json'), join(sources, 'openai-pricing.json'));
  const snapshots = join(dir, 'snapshots');
  mkdirSync(join(snapshots, 'p'), { recursive: true });
  const manifest = JSON.parse(readFileSync(join(DEMO_SNAPSHOTS, 'manifest.json'), 'utf8')).filter((e: any) => e.source_id === 'openai-pricing');
  const first = readFileSync(join(DEMO_SNAPSHOTS, manifest[0].file), 'utf8');
  const second = first.replace('|gpt-4.1-mini|$0.40|$0.10|$1.60|', '|gpt-4.1-mini|$0.35|$0.10|$1.60|');
  const entries = [
    [first, '2026-05-01'],
    [second, '2026-06-01'],
  ].map(([body, date]) => {
    const sha256 = sha256Hex(body);
    writeFileSync(join(snapshots, 'p', `${sha256}.md`), body);
    return { source_id: 'openai-pricing', observed_at: `${date}T00:00:00.000Z`, sha256, file: `p/${sha256}.md`, content_type: 'text/markdown' };
  });
  writeFileSync(join(snapshots, 'manifest.json'), JSON.stringify(entries.reverse()));
  return { sources, snapshots };
}

describe('offline replay', () => {
  it('walks the shipped history: each offline sync reads the next capture after the one the ledger holds', async () => {
    const { sources, snapshots } = twoCaptures();
    const run = (...args: string[]) => cli(['--db', join(sources, '..', 'l.sqlite'), '--sources', sources, '--snapshots', snapshots, ...args]);
    const price = async () => (await run('explain', 'openai/gpt-4.1-mini', 'input_price', '--json')).json().value;

    expect((await run('sync', '--offline', '--json')).json().sources[0]).toMatchObject({ outcome: 'updated' });
    expect(await price()).toBe(0.4);
    expect((await run('approve', '--all')).code).toBe(0);

    expect((await run('sync', '--offline', '--json')).json().sources[0]).toMatchObject({ outcome: 'updated' });
    expect(await price()).toBe(0.35);
    const moved = (await run('changes', '--json')).json().filter((c: any) => c.model === 'openai/gpt-4.1-mini' && c.field === 'input_price');
    expect(moved).toMatchObject([{ kind: 'changed', old_value: 0.4, new_value: 0.35, observed_at: '2026-06-01T00:00:00.000Z' }]);

    expect((await run('sync', '--offline', '--json')).json().sources[0]).toMatchObject({ outcome: 'unchanged' });
  });
});
