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

describe('live-only sources', () => {
  it('a vendor page with no shipped capture is live only offline, not a failure; an API dump without one still fails', async () => {
    const { sources, snapshots } = twoCaptures();
    const page = { name: 'A vendor pricing page', kind: 'first-party', url: 'https://vendor.example/pricing', format: 'markdown', extractor: 'pricing', provider: 'mistral', trust: 0.95, expect: { min_models: 1, fields: ['input_price'] } };
    writeFileSync(join(sources, 'vendor-pricing.json'), JSON.stringify({ id: 'vendor-pricing', ...page }));
    writeFileSync(join(sources, 'vendor-card.json'), JSON.stringify({ ...page, id: 'vendor-card', kind: 'model-card', extractor: 'model-card' }));
    const run = (...args: string[]) => cli(['--db', join(sources, '..', 'l.sqlite'), '--sources', sources, '--snapshots', snapshots, ...args]);

    const summaryFile = join(sources, '..', 'summary.md');
    const first = await run('sync', '--offline', '--json', '--summary', summaryFile);
    expect(first.code).toBe(0);
    const summary = readFileSync(summaryFile, 'utf8');
    expect(summary).toMatch(/^1\/1 sources read/m);
    expect(summary).toMatch(/Live only \(no shipped snapshot; a live sync reads them\): vendor-card, vendor-pricing/);
    expect(summary).not.toMatch(/\| vendor-pricing \|/);
    const outcomes = Object.fromEntries(first.json().sources.map((s: any) => [s.source_id, s.outcome]));
    expect(outcomes).toEqual({ 'openai-pricing': 'updated', 'vendor-card': 'live-only', 'vendor-pricing': 'live-only' });
    const text = await run('sync', '--offline', '--source', 'vendor-pricing');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/live only \(no shipped snapshot; a live sync reads them\): vendor-pricing/);

    const rows = Object.fromEntries((await run('sources', '--json')).json().map((r: any) => [r.id, r]));
    expect(rows['vendor-pricing']).toMatchObject({ kind: 'first-party', live_only: true, yielded: null, drift: null, consecutive_failures: 0, last_error: null });
    expect(rows['openai-pricing']).toMatchObject({ live_only: false, drift: null });
    expect(rows['openai-pricing'].yielded.models).toBeGreaterThanOrEqual(3);
    expect(rows['openai-pricing'].yielded.figures).toBe(rows['openai-pricing'].basis.claims);
    expect((await run('sources')).stdout).toMatch(/vendor-pricing\s+first-party .*live only/);

    // Read once (a live sync or an ingest), it replays from what the ledger stored: unchanged, still live only.
    const capture = join(sources, '..', 'vendor.md');
    writeFileSync(capture, '# Pricing\n\n| Model | Input | Output |\n|---|---|---|\n| mistral-large-2411 | $2.00 | $6.00 |\n| mistral-small-2503 | $0.10 | $0.30 |\n');
    expect((await run('ingest', capture, '--source', 'vendor-pricing')).code).toBe(0);
    const after = Object.fromEntries((await run('sync', '--offline', '--json')).json().sources.map((s: any) => [s.source_id, s.outcome]));
    expect(after['vendor-pricing']).toBe('unchanged');
    const row = (await run('sources', '--json')).json().find((r: any) => r.id === 'vendor-pricing');
    expect(row).toMatchObject({ live_only: true, yielded: { models: 2, figures: 4 }, drift: null });

    // A redesigned page drifts: said per source, while the last good capture still stands.
    writeFileSync(capture, '# Pricing\n\nContact sales for a quote.\n');
    expect((await run('ingest', capture, '--source', 'vendor-pricing')).code).toBe(1);
    const drifted = (await run('sources', '--json')).json().find((r: any) => r.id === 'vendor-pricing');
    expect(drifted).toMatchObject({ yielded: { models: 2, figures: 4 }, drift: expect.stringMatching(/no figures found/) });
    expect((await run('sources')).stdout).toMatch(/vendor-pricing .*drift: .*no figures found/);

    // A structured dump whose capture is missing is a broken install, not a live-only page.
    writeFileSync(join(sources, 'dump.json'), JSON.stringify({ ...page, id: 'dump', kind: 'api', format: 'json', extractor: 'litellm', provider: undefined }));
    const broken = await run('sync', '--offline', '--source', 'dump', '--json');
    expect(broken.json().sources).toMatchObject([{ source_id: 'dump', outcome: 'failed' }]);
    expect(broken.code).toBe(2);
  });
});

describe('a host\'s own page', () => {
  it('claims its route for every figure, so the host\'s price never stands as the model\'s base price', async () => {
    const { sources, snapshots } = twoCaptures();
    writeFileSync(
      join(sources, 'host-pricing.json'),
      JSON.stringify({ id: 'host-pricing', name: 'A host', kind: 'first-party', url: 'https://host.example/pricing', format: 'markdown', extractor: 'pricing', route: 'groq', trust: 0.9, expect: { min_models: 1, fields: ['input_price'] } }),
    );
    const run = (...args: string[]) => cli(['--db', join(sources, '..', 'l.sqlite'), '--sources', sources, '--snapshots', snapshots, ...args]);
    const capture = join(sources, '..', 'host.md');
    writeFileSync(capture, '# Pricing\n\n| Model | Input | Output |\n|---|---|---|\n| gpt-4.1-mini | $0.05 | $0.08 |\n');
    expect((await run('sync', '--offline')).code).toBe(0);
    expect((await run('ingest', capture, '--source', 'host-pricing')).code).toBe(0);
    const facts = (await run('explain', 'openai/gpt-4.1-mini', 'input_price', '--json')).json();
    const byCondition = Object.fromEntries(facts.map((f: any) => [f.condition, f.value]));
    expect(byCondition).toMatchObject({ '': 0.4, 'route:groq': 0.05 });
    expect(facts.find((f: any) => f.condition === '').claims.every((c: any) => c.source_id === 'openai-pricing')).toBe(true);
  });
});
