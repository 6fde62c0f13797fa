import type { Fact } from '../schema/fact.ts';
import { keyOf, parseKey, type FieldKey } from '../schema/key.ts';
import type { SourceReliability } from '../schema/sync.ts';
import type { ChangeStore } from './changes.ts';
import type { LedgerDb } from './db.ts';
import { json, packedFactClaims, sameStored, toFact, type Row } from './rows.ts';

/**
 * The latest reconciliation: facts, learned source reliability, and keys no source states any more.
 * Pending changes may follow a fact instead of copying it (see ChangeStore): before a row is
 * rewritten or deleted, they are given what they need of it.
 */
export class FactStore {
  constructor(
    private readonly db: LedgerDb,
    private readonly changes: ChangeStore,
  ) {}

  /**
   * Makes the table hold exactly `facts`, writing only the rows that differ: a re-sync where
   * little moved rewrites little, instead of every fact and its evidence. Returns the rows
   * written or deleted.
   */
  replace(facts: readonly Fact[]): number {
    const stored = new Map<string, Row>();
    for (const r of this.db.sql('SELECT * FROM facts').all() as Row[]) stored.set(keyOf(r as unknown as FieldKey), r);
    return this.write(facts, stored);
  }

  /**
   * Makes the rows of `keys` (keyOf) hold exactly the facts of `facts` (all of them among `keys`),
   * leaving every other row as it is; returns the rows written or deleted.
   */
  replaceKeys(keys: ReadonlySet<string>, facts: readonly Fact[]): number {
    const stored = new Map<string, Row>();
    const read = this.db.sql('SELECT * FROM facts WHERE model = ? AND field = ? AND condition = ?');
    for (const key of keys) {
      const { model, field, condition } = parseKey(key);
      const row = read.get(model, field, condition) as Row | undefined;
      if (row) stored.set(key, row);
    }
    return this.write(facts, stored);
  }

  /** Writes the facts that differ from their `stored` rows and deletes the stored rows no fact is for. */
  private write(facts: readonly Fact[], stored: Map<string, Row>): number {
    const upsert = this.db.sql(
      `INSERT INTO facts (model, field, condition, value, status, confidence, rule, explanation, claims)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (model, field, condition) DO UPDATE SET value = excluded.value, status = excluded.status,
         confidence = excluded.confidence, rule = excluded.rule, explanation = excluded.explanation, claims = excluded.claims`,
    );
    let written = 0;
    for (const f of facts) {
      const key = keyOf(f);
      const value = json(f.value);
      const before = stored.get(key);
      const claims = packedFactClaims(f);
      stored.delete(key);
      if (before && before.value === value && before.status === f.status && before.confidence === f.confidence && before.rule === f.rule && before.explanation === f.explanation && sameStored(before.claims, claims)) continue;
      if (before) this.changes.keepFact(before, value);
      upsert.run(f.model, f.field, f.condition, value, f.status, f.confidence, f.rule, f.explanation, claims);
      written++;
    }
    const remove = this.db.sql('DELETE FROM facts WHERE model = ? AND field = ? AND condition = ?');
    for (const [key, before] of stored) {
      const { model, field, condition } = parseKey(key);
      this.changes.keepFact(before, null);
      remove.run(model, field, condition);
      written++;
    }
    return written;
  }

  /** How many facts hold each status, counted in SQL. */
  statusCounts(): Map<string, number> {
    const rows = this.db.sql('SELECT status, COUNT(*) AS n FROM facts GROUP BY status').all() as Row[];
    return new Map(rows.map((r) => [r.status as string, r.n as number]));
  }

  list(filter: { model?: string; field?: string } = {}): Fact[] {
    return (
      this.db
        .sql(
          `SELECT * FROM facts WHERE (? IS NULL OR model = ?) AND (? IS NULL OR field = ?)
           ORDER BY model, field, condition`,
        )
        .all(filter.model ?? null, filter.model ?? null, filter.field ?? null, filter.field ?? null) as Row[]
    ).map(toFact);
  }

  replaceReliability(rows: readonly SourceReliability[]): void {
    this.db.sql('DELETE FROM source_reliability').run();
    const insert = this.db.sql('INSERT INTO source_reliability (source_id, detail) VALUES (?, ?)');
    for (const r of rows) insert.run(r.source_id, json(r));
  }

  reliability(): SourceReliability[] {
    return (this.db.sql('SELECT detail FROM source_reliability ORDER BY source_id').all() as Row[]).map((r) => JSON.parse(r.detail as string) as SourceReliability);
  }

  /** How many successful syncs in a row each approved key has been missing from. */
  absences(): Map<string, number> {
    const rows = this.db.sql('SELECT model, field, condition, syncs FROM absences').all() as Row[];
    return new Map(rows.map((r) => [keyOf({ model: r.model as string, field: r.field as string, condition: r.condition as string }), r.syncs as number]));
  }

  replaceAbsences(counts: Map<string, number>): void {
    this.db.sql('DELETE FROM absences').run();
    const insert = this.db.sql('INSERT INTO absences (model, field, condition, syncs) VALUES (?, ?, ?, ?)');
    for (const [key, syncs] of counts) {
      const { model, field, condition } = parseKey(key);
      insert.run(model, field, condition, syncs);
    }
  }
}

