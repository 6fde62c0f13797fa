import type { Fact } from '../schema/fact.ts';
import { keyOf, parseKey } from '../schema/key.ts';
import type { SourceReliability } from '../schema/sync.ts';
import type { LedgerDb } from './db.ts';
import { column, json, toFact, type Row } from './rows.ts';

/** The latest reconciliation: facts, learned source reliability, and keys no source states any more. */
export class FactStore {
  constructor(private readonly db: LedgerDb) {}

  replace(facts: readonly Fact[]): void {
    this.db.sql('DELETE FROM facts').run();
    const insert = this.db.sql(
      `INSERT INTO facts (model, field, condition, value, status, confidence, rule, explanation, claims)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const f of facts) {
      insert.run(f.model, f.field, f.condition, json(f.value), f.status, f.confidence, f.rule, f.explanation, json(f.claims));
    }
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

  /** The models the last reconciliation put facts under. */
  models(): Set<string> {
    return new Set(column<string>(this.db.sql('SELECT DISTINCT model FROM facts').all(), 'model'));
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
