import type { Claim, ClaimValue, ExtractedClaim } from '../schema/claim.ts';
import type { FieldName } from '../schema/fields.ts';
import type { Snapshot } from '../schema/snapshot.ts';
import type { LedgerDb } from './db.ts';
import { CLAIM_COLUMNS, json, toClaim, type Row } from './rows.ts';

/**
 * Every extracted figure, stored once per run of captures that repeat it: a row holds a claim from
 * the capture that first said it (capture_id) through the last of its source's captures in a row
 * that said it again (last_capture_id). A weekly capture of a 2,900-model dump where three prices
 * moved stores three rows, not twenty thousand. A capture's claims are the rows of its source whose
 * run spans it, read with the capture's own snapshot hash and time.
 */
export class ClaimStore {
  constructor(private readonly db: LedgerDb) {}

  /**
   * Records the claims of capture `captureId`; those that repeat one of the source's previous
   * capture's (`previousId`, its capture just before this one) extend that claim's row instead.
   */
  insert(captureId: number, snapshot: Pick<Snapshot, 'source_id'>, claims: readonly ExtractedClaim[], previousId: number | null = null): void {
    const alive = new Map<string, number[]>();
    if (previousId !== null) {
      for (const r of this.db.sql('SELECT rowid AS id, * FROM claims WHERE source_id = ? AND last_capture_id = ?').all(snapshot.source_id, previousId) as Row[]) {
        const key = contentKey(r.model as string, r.model_name as string, r.field as string, r.condition as string, r.value as string, r.unit as string | null, r.locator as string, r.quote as string, r.confidence as number, r.anomaly as string | null);
        const ids = alive.get(key);
        if (ids) ids.push(r.id as number);
        else alive.set(key, [r.id as number]);
      }
    }
    const extend = this.db.sql('UPDATE claims SET last_capture_id = ? WHERE rowid = ?');
    const insert = this.db.sql(
      `INSERT INTO claims (capture_id, last_capture_id, source_id, model, model_name, field, condition,
         value, unit, locator, quote, confidence, anomaly) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const c of claims) {
      const value = json(c.value);
      // A source's first capture repeats nothing: its claims need no key.
      const repeated = alive.size === 0 ? undefined : alive.get(contentKey(c.model, c.model_name, c.field, c.condition, value, c.unit ?? null, c.locator, c.quote, c.confidence, c.anomaly ?? null))?.pop();
      if (repeated !== undefined) {
        extend.run(captureId, repeated);
        continue;
      }
      insert.run(captureId, captureId, snapshot.source_id, c.model, c.model_name, c.field, c.condition, value, c.unit, c.locator, c.quote, c.confidence, c.anomaly ?? null);
    }
  }

  ofCapture(captureId: number): Claim[] {
    return this.claimRows(`SELECT ${CLAIM_COLUMNS} FROM captures k CROSS JOIN claims c ON ${SPANS} WHERE k.id = ? ORDER BY c.rowid`, captureId).map(toClaim);
  }

  /** How many models and figures a capture yielded, counted in SQL rather than by reading its claims. */
  yieldOf(captureId: number): { models: number; figures: number } {
    return this.db
      .sql(`SELECT COUNT(DISTINCT c.model) AS models, COUNT(*) AS figures FROM captures k CROSS JOIN claims c ON ${SPANS} WHERE k.id = ?`)
      .get(captureId) as { models: number; figures: number };
  }

  /** One model's claims in one capture, without reading a large capture whole. */
  ofCaptureForModel(captureId: number, model: string): Claim[] {
    return this.claimRows(`SELECT ${CLAIM_COLUMNS} FROM captures k CROSS JOIN claims c ON ${SPANS} AND c.model = ? WHERE k.id = ? ORDER BY c.rowid`, model, captureId).map(toClaim);
  }

  /** The claims the world stood behind at `at`: each source's newest good capture observed by then. */
  asOf(at: string): Claim[] {
    return this.claimRows(
      `SELECT ${CLAIM_COLUMNS} FROM (
         SELECT (SELECT id FROM captures b WHERE b.source_id = s.source_id AND b.outcome = 'extracted'
           AND b.observed_at <= ? ORDER BY b.observed_at DESC, b.id DESC LIMIT 1) AS capture_id
         FROM (SELECT DISTINCT source_id FROM captures) s
       ) basis CROSS JOIN captures k ON k.id = basis.capture_id CROSS JOIN claims c ON ${SPANS} ORDER BY c.rowid`,
      at,
    ).map(toClaim);
  }

  /** The claims every source currently stands behind: those of each source's last good capture, in the order they were stored. */
  current(): Claim[] {
    const claims: Claim[] = [];
    const rowids: number[] = [];
    let inOrder = true;
    // Many claims share a model, a field, a locator or a value: one string each, not one per claim.
    const shared = new Map<Row[string], Row[string]>();
    const share = <T extends Row[string]>(v: T): T => {
      const known = shared.get(v);
      if (known === undefined) shared.set(v, v);
      return (known ?? v) as T;
    };
    const values = new Map<string, ClaimValue>();
    // Each basis capture's claims by index (the capture's source and run), one capture after the
    // other: its source, hash and time are read once, not with each of its claims. They come grouped
    // by source and are put back in stored order below: an ORDER BY would have SQLite sort every
    // column of every claim in a temporary b-tree, which took as long as reading them.
    const bases = this.db.sql('SELECT k.id, k.source_id, k.sha256, k.observed_at FROM source_state s CROSS JOIN captures k ON k.id = s.current_capture_id').raw(true).all() as Array<[number, string, string, string]>;
    const ofBasis = this.db.sql(`SELECT ${BASIS_CLAIM_COLUMNS} FROM claims c WHERE c.source_id = ? AND c.last_capture_id >= ? AND c.capture_id <= ?`).raw(true);
    for (const [id, source, hash, at] of bases) {
      const [source_id, snapshot_hash, observed_at] = [share(source), share(hash), share(at)];
      let model = '';
      let modelName = '';
      // Row by row: the rows of a large ledger and their claims are never in memory together.
      for (const row of ofBasis.iterate(source, id, id) as IterableIterator<Row[string][]>) {
        // A model's claims come together: its id and name are the previous claim's, compared before looked up.
        if (row[0] !== model) model = share(row[0] as string);
        if (row[1] !== modelName) modelName = share(row[1] as string);
        const text = row[4] as string;
        let value = values.get(text);
        if (value === undefined) values.set(text, (value = JSON.parse(text) as ClaimValue));
        const anomaly = row[9] as string | null;
        claims.push({
          model,
          model_name: modelName,
          field: share(row[2] as FieldName),
          value,
          unit: row[5] === null ? null : share(row[5] as string),
          condition: share(row[3] as string),
          locator: share(row[6] as string),
          quote: share(row[7] as string),
          confidence: share(row[8] as number),
          ...(anomaly ? { anomaly } : {}),
          source_id,
          snapshot_hash,
          observed_at,
        });
        const rowid = row[10] as number;
        if (rowids.length > 0 && rowid < rowids[rowids.length - 1]) inOrder = false;
        rowids.push(rowid);
      }
    }
    if (inOrder) return claims;
    return claims.map((_, i) => i).sort((a, b) => rowids[a] - rowids[b]).map((i) => claims[i]);
  }

  /** The rows of a claim query, each the values of CLAIM_COLUMNS in order. */
  private claimRows(sql: string, ...params: unknown[]): Row[string][][] {
    return this.db.sql(sql).raw(true).all(...params) as Row[string][][];
  }
}

/** What current() reads of each claim, beside its capture's source, hash and time. */
const BASIS_CLAIM_COLUMNS = 'c.model, c.model_name, c.field, c.condition, c.value, c.unit, c.locator, c.quote, c.confidence, c.anomaly, c.rowid';
/** The rows of capture k's source whose run of captures spans k. */
const SPANS = 'c.source_id = k.source_id AND c.last_capture_id >= k.id AND c.capture_id <= k.id';

/** What a claim says, where and how it was read: two claims with the same key are one figure. */
function contentKey(model: string, modelName: string, field: string, condition: string, value: string, unit: string | null, locator: string, quote: string, confidence: number, anomaly: string | null): string {
  return JSON.stringify([model, modelName, field, condition, value, unit, locator, quote, confidence, anomaly]);
}
