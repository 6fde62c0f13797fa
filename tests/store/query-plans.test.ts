import { describe, expect, it, vi } from 'vitest';
import { LedgerDb } from '../../src/store/db.ts';
import { Ledger } from '../../src/store/ledger.ts';

/**
 * The claims table holds every figure of every capture: at real size (the full default, a year of
 * weekly syncs) a lookup that scans it, or walks all of one source's claims to find one model's,
 * turns a 0.2 s desk page into 10 s. These pin the plans SQLite picks for the claim lookups.
 */
function plansOf(ledger: Ledger, read: () => unknown): string[] {
  const texts: string[] = [];
  const original = LedgerDb.prototype.sql;
  const spy = vi.spyOn(LedgerDb.prototype, 'sql').mockImplementation(function (this: LedgerDb, text: string) {
    texts.push(text);
    return original.call(this, text);
  });
  try {
    read();
  } finally {
    spy.mockRestore();
  }
  return texts.map((text) => {
    const params = Array.from({ length: (text.match(/\?/g) ?? []).length }, () => 1);
    const rows = ledger.db.prepare(`EXPLAIN QUERY PLAN ${text}`).all(...params) as Array<{ detail: string }>;
    return rows.map((r) => r.detail).join('\n');
  });
}

describe('claim lookups read by index', () => {
  const ledger = new Ledger(':memory:');

  it("finds one model's claims in a capture by source and model, not by reading the source's claims", () => {
    const [plan] = plansOf(ledger, () => ledger.claims.ofCaptureForModel(1, 'openai/gpt-5.2'));
    expect(plan).toMatch(/SEARCH c USING INDEX claims_source_model \(source_id=\? AND model=\? AND last_capture_id>\?\)/);
  });

  it("finds the previous capture's claims of a source by its run, when a capture is stored", () => {
    const [plan] = plansOf(ledger, () => ledger.claims.insert(2, { source_id: 'vendor-a' }, [], 1));
    expect(plan).toMatch(/SEARCH claims USING INDEX claims_source_run \(source_id=\? AND last_capture_id=\?\)/);
  });

  it('reads the claims of a capture, its yield and every current claim without scanning the claims table', () => {
    const plans = plansOf(ledger, () => {
      ledger.claims.ofCapture(1);
      ledger.claims.yieldOf(1);
      ledger.claims.current();
    });
    // current() reads the basis captures first, then each one's claims.
    const ofClaims = plans.filter((plan) => /\b(c|claims)\b/.test(plan));
    expect(ofClaims).toHaveLength(3);
    for (const plan of ofClaims) {
      expect(plan).toMatch(/SEARCH c USING (COVERING )?INDEX claims_source_/);
      expect(plan).not.toMatch(/SCAN (c|claims)\b/);
    }
  });

  it("finds the approved values and open changes of an incremental run's keys by key, not among every open row", () => {
    const keys = new Set(['openai/gpt-5.2\u0000input_price\u0000']);
    const [published] = plansOf(ledger, () => ledger.history.publishedValues(keys));
    expect(published).toMatch(/SEARCH history USING INDEX history_key \(model=\? AND field=\? AND condition=\?\)/);
    const [open] = plansOf(ledger, () => ledger.changes.open(keys));
    expect(open).toMatch(/SEARCH c USING INDEX changes_key \(model=\? AND field=\? AND condition=\?\)/);
  });
});
