import { afterEach, describe, expect, it } from 'vitest';
import { approveChanges, rejectChanges, resolveReviewer } from '../../src/review/decide.ts';
import { Ledger } from '../../src/store/ledger.ts';
import { reconcileAndQueue } from '../../src/pipeline/sync.ts';
import { D17, D21, SOURCES, fixture, ingest, resync } from './helpers.ts';

const pending = (ledger: Ledger) => ledger.changes.list({ status: 'pending' });
const find = (ledger: Ledger, model: string, field: string) => pending(ledger).find((c) => c.model === model && c.field === field);
const approveAll = (ledger: Ledger, at: string) =>
  approveChanges(ledger, pending(ledger).map((c) => c.id), { reviewer: 'ana', at }, SOURCES);

/** OpenRouter on 07-17, approved; then OpenRouter on 07-21 queued. */
async function twoCaptures(): Promise<Ledger> {
  const ledger = new Ledger(':memory:');
  await ingest(ledger, 'openrouter', fixture('openrouter-2026-07-17.json'), D17);
  approveAll(ledger, D17);
  await ingest(ledger, 'openrouter', fixture('openrouter-2026-07-21.json'), D21);
  return ledger;
}

describe('a decision', () => {
  it('returns each decided change as the ledger now holds it', async () => {
    const ledger = await twoCaptures();
    const [first, ...rest] = pending(ledger);
    const rejected = rejectChanges(ledger, [first.id], { reviewer: 'bo', reason: 'promo price', at: D21 });
    const approved = approveChanges(ledger, rest.map((c) => c.id), { reviewer: 'ana', note: 'checked', at: D21 }, SOURCES);
    expect(rejected).toEqual([ledger.changes.get(first.id)]);
    expect(approved).toEqual(rest.map((c) => ledger.changes.get(c.id)));
    expect(approved.length).toBeGreaterThan(0);
    expect(approved.every((c) => c.status === 'approved' && c.reviewer === 'ana' && c.note === 'checked' && c.reviewed_at === D21)).toBe(true);
  });
});

describe('a rejected change', () => {
  it('is not proposed again on later syncs of the same evidence', async () => {
    const ledger = await twoCaptures();
    const change = find(ledger, 'acme/alpha', 'input_price')!;
    expect(change).toMatchObject({ kind: 'changed', old_value: 2, new_value: 1.5 });
    rejectChanges(ledger, [change.id], { reviewer: 'ana', reason: 'promo price, not list price', at: D21 });

    await resync(ledger, 'openrouter', '2026-07-22T00:00:00.000Z');
    await ingest(ledger, 'openrouter', fixture('openrouter-2026-07-21.json'), '2026-07-23T00:00:00.000Z');
    expect(find(ledger, 'acme/alpha', 'input_price')).toBeUndefined();
    expect(ledger.changes.list().filter((c) => c.model === 'acme/alpha' && c.field === 'input_price' && c.kind === 'changed')).toHaveLength(1);
  });

  it('comes back when a new snapshot supports it, and when the value moves again', async () => {
    const ledger = await twoCaptures();
    const change = find(ledger, 'acme/alpha', 'input_price')!;
    rejectChanges(ledger, [change.id], { reviewer: 'ana', reason: 'promo price', at: D21 });

    // Same price, new snapshot (another model changed): the evidence is new, so the reviewer sees it again.
    const reshaped = JSON.parse(fixture('openrouter-2026-07-21.json'));
    reshaped.data[2].pricing.completion = '0.000003';
    await ingest(ledger, 'openrouter', JSON.stringify(reshaped), '2026-07-25T00:00:00.000Z');
    const again = find(ledger, 'acme/alpha', 'input_price')!;
    expect(again).toMatchObject({ new_value: 1.5 });
    expect(again.id).not.toBe(change.id);
    expect(again.evidence_key).not.toBe(change.evidence_key);

    rejectChanges(ledger, [again.id], { reviewer: 'ana', reason: 'still promo', at: '2026-07-25T00:00:00.000Z' });
    reshaped.data[1].pricing.prompt = '0.0000012';
    await ingest(ledger, 'openrouter', JSON.stringify(reshaped), '2026-07-27T00:00:00.000Z');
    expect(find(ledger, 'acme/alpha', 'input_price')).toMatchObject({ old_value: 2, new_value: 1.2 });
  });
});

describe('the review audit', () => {
  const saved = process.env.MODEL_LEDGER_REVIEWER;
  afterEach(() => {
    if (saved === undefined) delete process.env.MODEL_LEDGER_REVIEWER;
    else process.env.MODEL_LEDGER_REVIEWER = saved;
  });

  it('takes the reviewer from --reviewer, then $MODEL_LEDGER_REVIEWER, then the OS user', () => {
    process.env.MODEL_LEDGER_REVIEWER = 'env-reviewer';
    expect(resolveReviewer('cli-reviewer')).toBe('cli-reviewer');
    expect(resolveReviewer()).toBe('env-reviewer');
    delete process.env.MODEL_LEDGER_REVIEWER;
    expect(resolveReviewer()).not.toBe('env-reviewer');
    expect(resolveReviewer().length).toBeGreaterThan(0);
  });

  it('records who, when and why for every approval and rejection, and cannot be rewritten', async () => {
    const ledger = await twoCaptures();
    const before = ledger.audit.log().length;
    const price = find(ledger, 'acme/alpha', 'input_price')!;
    const beta = find(ledger, 'acme/beta', 'output_price')!;
    approveChanges(ledger, [price.id], { reviewer: 'ana', note: 'matches the vendor page', at: '2026-07-22T09:00:00.000Z' }, SOURCES);
    rejectChanges(ledger, [beta.id], { reviewer: 'bo', reason: 'typo on the aggregator', at: '2026-07-22T10:00:00.000Z' });

    const entries = ledger.audit.log().slice(before);
    expect(entries).toEqual([
      expect.objectContaining({ actor: 'ana', action: 'approve', at: '2026-07-22T09:00:00.000Z', subject: `change ${price.id}`, detail: expect.objectContaining({ note: 'matches the vendor page', new_value: 1.5 }) }),
      expect.objectContaining({ actor: 'bo', action: 'reject', at: '2026-07-22T10:00:00.000Z', subject: `change ${beta.id}`, detail: expect.objectContaining({ reason: 'typo on the aggregator' }) }),
    ]);
    expect(ledger.changes.get(beta.id)).toMatchObject({ status: 'rejected', reviewer: 'bo', note: 'typo on the aggregator' });
    expect(() => ledger.db.prepare('UPDATE audit_log SET actor = ? WHERE id = ?').run('mallory', entries[0].id)).toThrow(/append-only/);
    expect(() => rejectChanges(ledger, [find(ledger, 'acme/gamma', 'input_price')!.id], { reviewer: 'bo', reason: '  ' })).toThrow(/reason/);
  });

  it('applies nothing when one change of a batch is not pending', async () => {
    const ledger = await twoCaptures();
    const price = find(ledger, 'acme/alpha', 'input_price')!;
    const beta = find(ledger, 'acme/beta', 'output_price')!;
    rejectChanges(ledger, [beta.id], { reviewer: 'bo', reason: 'no', at: D21 });
    const audit = ledger.audit.log().length;
    expect(() => approveChanges(ledger, [price.id, beta.id], { reviewer: 'ana', at: D21 }, SOURCES)).toThrow(/rejected, not pending/);
    expect(ledger.changes.get(price.id)!.status).toBe('pending');
    expect(ledger.audit.log()).toHaveLength(audit);
  });
});

describe('backfill', () => {
  const value = (ledger: Ledger, at: string, model: string, field: string) =>
    ledger.history.publishedAt(at).find((h) => h.model === model && h.field === field)?.value;

  it('queues an older capture\'s figures keyed to its date; approving them inserts history before the current values', async () => {
    const ledger = new Ledger(':memory:');
    await ingest(ledger, 'openrouter', fixture('openrouter-2026-07-21.json'), D21);
    approveAll(ledger, D21);
    expect(pending(ledger)).toHaveLength(0);

    const summary = await ingest(ledger, 'openrouter', fixture('openrouter-2026-07-17.json'), D17, '2026-07-30T00:00:00.000Z');
    expect(summary.sources[0].outcome).toBe('backfilled');
    // acme/delta is only in the older capture: nothing later bounds it, so it is reported, not proposed
    expect(summary.sources[0].notes.join(' ')).toMatch(/backfill: \d+ figure\(s\) seen only in this older capture/);
    expect(ledger.captures.current('openrouter')!.observed_at).toBe(D21);

    const queued = pending(ledger);
    expect(queued.length).toBeGreaterThan(0);
    expect(queued.every((c) => c.observed_at === D17)).toBe(true);
    expect(queued.some((c) => c.model === 'acme/delta')).toBe(false);
    expect(queued.some((c) => c.model === 'acme/gamma')).toBe(false);
    expect(find(ledger, 'acme/alpha', 'input_price')).toMatchObject({ kind: 'added', new_value: 2 });

    // A later sync of the current basis neither supersedes the backfill nor re-queues it.
    await resync(ledger, 'openrouter', '2026-07-31T00:00:00.000Z');
    expect(pending(ledger).map((c) => c.id)).toEqual(queued.map((c) => c.id));

    approveAll(ledger, '2026-08-01T00:00:00.000Z');
    const timeline = ledger.history.list({ model: 'acme/alpha', field: 'input_price' });
    expect(timeline.map((h) => [h.value, h.valid_from, h.valid_to])).toEqual([
      [2, D17, D21],
      [1.5, D21, null],
    ]);
    expect(value(ledger, '2026-07-18', 'acme/alpha', 'input_price')).toBe(2);
    expect(value(ledger, '2026-07-22', 'acme/alpha', 'input_price')).toBe(1.5);
    expect(value(ledger, '2026-07-18', 'acme/img-srcx-onerroralert1', 'context_window')).toBe(32000);
    expect(value(ledger, '2026-07-16', 'acme/alpha', 'input_price')).toBeUndefined();
    // the published dataset still holds the current values
    expect(ledger.history.published().find((h) => h.model === 'acme/alpha' && h.field === 'input_price')?.value).toBe(1.5);

    // ingesting the same old capture again proposes nothing new
    await ingest(ledger, 'openrouter', fixture('openrouter-2026-07-17.json'), D17, '2026-08-02T00:00:00.000Z');
    expect(pending(ledger)).toHaveLength(0);
  });

  it('records an older capture identical to the basis as a backfill: the figures held since then', async () => {
    const ledger = new Ledger(':memory:');
    const page = fixture('openrouter-2026-07-21.json');
    await ingest(ledger, 'openrouter', page, D21);
    approveAll(ledger, D21);
    expect(ledger.claims.asOf('2026-07-18T00:00:00.000Z')).toHaveLength(0);

    const summary = await ingest(ledger, 'openrouter', page, D17, '2026-07-30T00:00:00.000Z');
    expect(summary.sources[0].outcome).toBe('backfilled');
    expect(ledger.captures.current('openrouter')!.observed_at).toBe(D21);
    expect(ledger.claims.asOf('2026-07-18T00:00:00.000Z')).toHaveLength(ledger.claims.current().length);
    approveAll(ledger, '2026-08-01T00:00:00.000Z');
    expect(ledger.history.list({ model: 'acme/alpha', field: 'input_price' }).map((h) => [h.value, h.valid_from, h.valid_to])).toEqual([[1.5, D17, null]]);
    // Seen again at or after the basis, the same body is no capture of its own.
    expect((await ingest(ledger, 'openrouter', page, '2026-08-02T00:00:00.000Z')).sources[0].outcome).toBe('unchanged');
  });

  it('re-ingesting a pending backfill refreshes it instead of queueing it twice', async () => {
    const ledger = new Ledger(':memory:');
    await ingest(ledger, 'openrouter', fixture('openrouter-2026-07-21.json'), D21);
    approveAll(ledger, D21);
    await ingest(ledger, 'openrouter', fixture('openrouter-2026-07-17.json'), D17);
    const first = pending(ledger).map((c) => c.id);
    const summary = await ingest(ledger, 'openrouter', fixture('openrouter-2026-07-17.json'), D17);
    expect(summary.changes.queued).toBe(0);
    expect(pending(ledger).map((c) => c.id)).toEqual(first);
  });
});

describe('a source whose file was removed', () => {
  it('no longer weighs in: its last capture votes on nothing', async () => {
    const ledger = new Ledger(':memory:');
    const first = await ingest(ledger, 'openrouter', fixture('openrouter-2026-07-21.json'), D21);
    expect(first.facts).toBeGreaterThan(0);
    // Its claims voted on as an unknown source's, at a prior above the one its file gave it.
    const after = reconcileAndQueue(ledger, { sources: SOURCES.filter((s) => s.id !== 'openrouter'), now: () => D21 }, []);
    expect(after.facts).toBe(0);
    expect(ledger.facts.list()).toEqual([]);
  });
});
