import type { Claim, ExtractedClaim } from '../schema/claim.ts';
import type { Snapshot } from '../schema/snapshot.ts';
import type { LedgerDb } from './db.ts';
import { json, toClaim, type Row } from './rows.ts';

/** Every extracted figure, kept per capture with its locator and quote. */
export class ClaimStore {
  constructor(private readonly db: LedgerDb) {}

  insert(captureId: number, snapshot: Pick<Snapshot, 'source_id' | 'sha256' | 'observed_at'>, claims: readonly ExtractedClaim[]): void {
    const insert = this.db.sql(
      `INSERT INTO claims (capture_id, source_id, snapshot_hash, observed_at, model, model_name, field, condition,
         value, unit, locator, quote, confidence, anomaly) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const c of claims) {
      insert.run(
        captureId,
        snapshot.source_id,
        snapshot.sha256,
        snapshot.observed_at,
        c.model,
        c.model_name,
        c.field,
        c.condition,
        json(c.value),
        c.unit,
        c.locator,
        c.quote,
        c.confidence,
        c.anomaly ?? null,
      );
    }
  }

  ofCapture(captureId: number): Claim[] {
    return (this.db.sql(`SELECT ${COLUMNS} FROM captures k CROSS JOIN claims c ON c.capture_id = ${STORED} WHERE k.id = ? ORDER BY c.rowid`).all(captureId) as Row[]).map(toClaim);
  }

  /** How many models and figures a capture yielded, counted in SQL rather than by reading its claims. */
  yieldOf(captureId: number): { models: number; figures: number } {
    return this.db
      .sql(`SELECT COUNT(DISTINCT c.model) AS models, COUNT(*) AS figures FROM captures k CROSS JOIN claims c ON c.capture_id = ${STORED} WHERE k.id = ?`)
      .get(captureId) as { models: number; figures: number };
  }

  /** One model's claims in one capture, without reading a large capture whole. */
  ofCaptureForModel(captureId: number, model: string): Claim[] {
    return (
      this.db.sql(`SELECT ${COLUMNS} FROM captures k CROSS JOIN claims c ON c.capture_id = ${STORED} AND c.model = ? WHERE k.id = ? ORDER BY c.rowid`).all(model, captureId) as Row[]
    ).map(toClaim);
  }

  /** The claims the world stood behind at `at`: each source's newest good capture observed by then. */
  asOf(at: string): Claim[] {
    return (
      this.db
        .sql(
          `SELECT ${COLUMNS} FROM (
             SELECT (SELECT id FROM captures b WHERE b.source_id = s.source_id AND b.outcome = 'extracted'
               AND b.observed_at <= ? ORDER BY b.observed_at DESC, b.id DESC LIMIT 1) AS capture_id
             FROM (SELECT DISTINCT source_id FROM captures) s
           ) basis CROSS JOIN captures k ON k.id = basis.capture_id CROSS JOIN claims c ON c.capture_id = ${STORED} ORDER BY c.rowid`,
        )
        .all(at) as Row[]
    ).map(toClaim);
  }

  /** The claims every source currently stands behind: those of each source's last good capture. */
  current(): Claim[] {
    return (
      this.db
        .sql(
          // CROSS JOIN keeps source_state outside: each basis capture's claims come by index, instead
          // of a scan of every claim ever stored, which grows with each sync.
          `SELECT ${COLUMNS} FROM source_state s CROSS JOIN captures k ON k.id = s.current_capture_id
           CROSS JOIN claims c ON c.capture_id = ${STORED} ORDER BY c.rowid`,
        )
        .all() as Row[]
    ).map(toClaim);
  }
}

/** Where capture k's claims are stored: its own rows, or those of the earlier capture it repeats. */
const STORED = 'COALESCE(k.claims_of, k.id)';

/** A claim as read through capture k: the stored figure, with k's snapshot and time. */
const COLUMNS = `c.source_id, c.model, c.model_name, c.field, c.condition, c.value, c.unit, c.locator, c.quote, c.confidence, c.anomaly,
  k.sha256 AS snapshot_hash, k.observed_at`;

/** Whether a stored claim says exactly what an extracted one says (its figure, where and how it was read). */
export function sameClaim(stored: Claim, extracted: ExtractedClaim): boolean {
  return (
    stored.model === extracted.model &&
    stored.model_name === extracted.model_name &&
    stored.field === extracted.field &&
    stored.condition === extracted.condition &&
    json(stored.value) === json(extracted.value) &&
    (stored.unit ?? null) === (extracted.unit ?? null) &&
    stored.locator === extracted.locator &&
    stored.quote === extracted.quote &&
    stored.confidence === extracted.confidence &&
    (stored.anomaly ?? null) === (extracted.anomaly ?? null)
  );
}
