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
    return (this.db.sql('SELECT * FROM claims WHERE capture_id = ? ORDER BY rowid').all(captureId) as Row[]).map(toClaim);
  }

  /** One model's claims in one capture, without reading a large capture whole. */
  ofCaptureForModel(captureId: number, model: string): Claim[] {
    return (this.db.sql('SELECT * FROM claims WHERE model = ? AND capture_id = ? ORDER BY rowid').all(model, captureId) as Row[]).map(toClaim);
  }

  /** The claims the world stood behind at `at`: each source's newest good capture observed by then. */
  asOf(at: string): Claim[] {
    return (
      this.db
        .sql(
          `SELECT c.* FROM claims c JOIN (
             SELECT source_id, (SELECT id FROM captures k WHERE k.source_id = s.source_id AND k.outcome = 'extracted'
               AND k.observed_at <= ? ORDER BY k.observed_at DESC, k.id DESC LIMIT 1) AS capture_id
             FROM (SELECT DISTINCT source_id FROM captures) s
           ) basis ON c.capture_id = basis.capture_id ORDER BY c.rowid`,
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
          `SELECT c.* FROM source_state s CROSS JOIN claims c ON c.capture_id = s.current_capture_id ORDER BY c.rowid`,
        )
        .all() as Row[]
    ).map(toClaim);
  }
}
