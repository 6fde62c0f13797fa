import { describe, expect, it } from 'vitest';
import { loadChangeEvidence } from '../../src/review/evidence.ts';
import { approveChanges } from '../../src/review/decide.ts';
import { D17, D21, SOURCES, fixture, ingest, reviewLedger } from './helpers.ts';
import { Ledger } from '../../src/store/ledger.ts';

const D28 = '2026-07-28T00:00:00.000Z';
const D30 = '2026-07-30T00:00:00.000Z';
const approveAll = (ledger: Ledger, at: string) => approveChanges(ledger, ledger.changes.list({ status: 'pending' }).map((c) => c.id), { reviewer: 'ana', at }, SOURCES);
const changed = (lines: Array<{ kind: string; text: string }>) => lines.filter((l) => l.kind !== 'context').map((l) => `${l.kind === 'added' ? '+' : '-'}${l.text.trim()}`);

describe('loadChangeEvidence', () => {
  it('diffs the model entry of the snapshot behind the approved value against the new one', async () => {
    const ledger = await reviewLedger();
    const change = ledger.changes.list({ status: 'pending' }).find((c) => c.model === 'acme/beta' && c.field === 'output_price')!;
    const [openrouter] = loadChangeEvidence(ledger, change, SOURCES).sources;
    expect(openrouter).toMatchObject({ source_id: 'openrouter', source_url: SOURCES[0].url, note: null });
    expect(openrouter.previous?.observed_at).toBe(D17);
    expect(openrouter.snapshot?.observed_at).toBe(D21);
    // beta sits at /data/1 before and /data/2 after: the entries are found by each side's own locator
    expect(openrouter.previous?.locator).toBe('/data/1/pricing/completion');
    expect(openrouter.snapshot?.locator).toBe('/data/2/pricing/completion');
    expect(changed(openrouter.diff!.hunks.flatMap((h) => h.lines))).toEqual(['-"completion": "0.000002"', '+"completion": "0.0000025"']);
    expect(openrouter.diff!.unified).toContain('openrouter@2026-07-17');
  });

  it('says when a source has nothing earlier to compare with', async () => {
    const ledger = await reviewLedger();
    const change = ledger.changes.list({ status: 'pending' }).find((c) => c.model === 'acme/alpha' && c.field === 'input_price')!;
    const litellm = loadChangeEvidence(ledger, change, SOURCES).sources.find((s) => s.source_id === 'litellm')!;
    expect(litellm.note).toMatch(/no earlier snapshot/);
    expect(litellm.diff).toBeNull();
    expect(litellm.region?.text).toContain('"input_cost_per_token": 0.000003');
  });

  it('shows a model that is no longer listed as removed lines', async () => {
    const ledger = new Ledger(':memory:');
    await ingest(ledger, 'openrouter', fixture('openrouter-2026-07-17.json'), D17);
    approveAll(ledger, D17);
    await ingest(ledger, 'openrouter', fixture('openrouter-2026-07-21.json'), D21);
    // "No longer seen" needs a second capture without the model, not the same one re-read.
    await ingest(ledger, 'openrouter', fixture('openrouter-2026-07-21.json').replace('"Acme: Gamma"', '"Acme: Gamma (new)"'), D28);
    const removed = ledger.changes.list({ status: 'pending' }).find((c) => c.model === 'acme/delta' && c.field === 'input_price')!;
    expect(removed.kind).toBe('removed');
    const [openrouter] = loadChangeEvidence(ledger, removed, SOURCES).sources;
    expect(openrouter.claim).toBeNull();
    expect(openrouter.note).toMatch(/not in the newer snapshot/);
    const lines = openrouter.diff!.hunks.flatMap((h) => h.lines);
    expect(lines.every((l) => l.kind === 'removed')).toBe(true);
    expect(lines.map((l) => l.text).join('\n')).toContain('"id": "acme/delta"');
  });

  it('compares against the source\'s capture before the move, not an older approved snapshot', async () => {
    // beta's input price holds from 07-17 while its output price and context move on 07-21 (approved);
    // on 07-28 only the input price moves, and 07-30 changes another model while that waits.
    const ledger = new Ledger(':memory:');
    await ingest(ledger, 'openrouter', fixture('openrouter-2026-07-17.json'), D17);
    approveAll(ledger, D17);
    await ingest(ledger, 'openrouter', fixture('openrouter-2026-07-21.json'), D21);
    approveAll(ledger, D21);
    const moved = fixture('openrouter-2026-07-21.json').replace('"prompt": "0.0000005"', '"prompt": "0.0000007"');
    expect(moved).not.toBe(fixture('openrouter-2026-07-21.json'));
    await ingest(ledger, 'openrouter', moved, D28);
    const pending = () => ledger.changes.list({ status: 'pending' }).find((c) => c.model === 'acme/beta' && c.field === 'input_price')!;
    for (const [observed, when] of [[D28, 'just read'], [D30, 'still pending a sync later']] as const) {
      if (observed === D30) await ingest(ledger, 'openrouter', moved.replace('"Acme: Gamma"', '"Acme: Gamma (new)"'), D30);
      const [openrouter] = loadChangeEvidence(ledger, pending(), SOURCES).sources;
      expect(openrouter.snapshot?.observed_at, when).toBe(observed);
      expect(openrouter.previous?.observed_at, when).toBe(D21);
      expect(openrouter.note, when).toBeNull();
      expect(changed(openrouter.diff!.hunks.flatMap((h) => h.lines)), when).toEqual(['-"prompt": "0.0000005",', '+"prompt": "0.0000007",']);
    }
  });
});
