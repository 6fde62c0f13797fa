import type { Override } from '../schema/fact.ts';
import type { AuditStore } from './audit.ts';
import type { LedgerDb } from './db.ts';
import { json, toOverride, type Row } from './rows.ts';

/** Values a reviewer pinned, until lifted. */
export class OverrideStore {
  constructor(
    private readonly db: LedgerDb,
    private readonly audit: AuditStore,
  ) {}

  active(): Override[] {
    return (this.db.sql('SELECT * FROM overrides WHERE lifted_at IS NULL ORDER BY id').all() as Row[]).map(toOverride);
  }

  pin(o: Override): void {
    this.db.transaction(() => {
      this.lift(o.model, o.field, o.condition, o.reviewer, o.created_at);
      this.db
        .sql(`INSERT INTO overrides (model, field, condition, value, reason, reviewer, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`)
        .run(o.model, o.field, o.condition, json(o.value), o.reason, o.reviewer, o.created_at);
      this.audit.record(o.reviewer, 'override', `${o.model} ${o.field}${o.condition ? ` [${o.condition}]` : ''}`, { value: o.value, reason: o.reason }, o.created_at);
    });
  }

  /** Lifts the pinned value of a key; the number of overrides lifted (0 or 1). */
  lift(model: string, field: string, condition: string, reviewer: string, at: string): number {
    return this.db
      .sql(`UPDATE overrides SET lifted_at = ?, lifted_by = ? WHERE model = ? AND field = ? AND condition = ? AND lifted_at IS NULL`)
      .run(at, reviewer, model, field, condition).changes;
  }
}
