import type { Change, ChangeStatus, ProposedChange } from '../schema/change.ts';
import type { Fact } from '../schema/fact.ts';
import type { LedgerDb } from './db.ts';
import { CHANGE_FACT_COLUMNS, column, json, packedFactClaims, packedJson, toChange, type Row } from './rows.ts';

/** Changes as they are read: with the facts row of those that follow their key's fact. */
const CHANGES = `changes c LEFT JOIN facts f ON c.fact IS NULL AND c.fact_status IS NULL AND f.model = c.model AND f.field = c.field AND f.condition = c.condition`;
const CHANGE_COLUMNS = `c.*, ${CHANGE_FACT_COLUMNS}`;

/**
 * The review queue: every proposed change and what reviewers decided.
 *
 * A change proposes a fact. One queued for its key's current fact (any but a backfill) does not
 * copy it while it is pending: it follows its key's facts row, read with it, and shows the newest
 * evidence for its value. Decided or superseded, it takes its own copy, the row's columns as they
 * stand then (its value is the change's new_value). Should the row change value or go while the
 * change is pending, the facts store has it take its copy first (keepFact). A first sync of
 * the full default queues 70k changes, whose copies were a third of the ledger, and a backlog of
 * pending changes was copied again on every sync that moved their evidence.
 */
export class ChangeStore {
  constructor(private readonly db: LedgerDb) {}

  list(filter: { status?: ChangeStatus; ids?: number[] } = {}): Change[] {
    const all: Change[] = [];
    const status = filter.status ?? null;
    // The ids as a JSON array: a dry run of a large batch looked its changes up among every change stored.
    const ids = filter.ids ? JSON.stringify(filter.ids) : null;
    const rows = this.db
      .sql(`SELECT ${CHANGE_COLUMNS} FROM ${CHANGES} WHERE (? IS NULL OR c.status = ?) AND (? IS NULL OR c.id IN (SELECT value FROM json_each(?))) ORDER BY c.id`)
      .iterate(status, status, ids, ids) as IterableIterator<Row>;
    // Row by row: a first import's 70k pending rows and their changes were in memory together.
    for (const r of rows) all.push(toChange(r));
    return all;
  }

  /** When the newest approval was made ('' before any), without reading the approved changes. */
  lastApprovedAt(): string {
    return ((this.db.sql("SELECT MAX(reviewed_at) AS at FROM changes WHERE status = 'approved'").get() as Row).at as string | null) ?? '';
  }

  /** How many changes have this status, without reading them. */
  count(status: ChangeStatus): number {
    return (this.db.sql('SELECT COUNT(*) AS n FROM changes WHERE status = ?').get(status) as Row).n as number;
  }

  /**
   * The changes a new proposal can meet: pending ones and rejected ones (approved and superseded
   * are settled); with `keys`, only those keys' (keyOf). `current`: facts just written to the facts
   * table, by key, which the changes that follow them get without their rows being read again.
   */
  open(keys?: ReadonlySet<string>, current?: ReadonlyMap<string, Fact>): Change[] {
    const open = "c.status IN ('pending', 'rejected')";
    // A first import leaves tens of thousands pending: reading each one's fact to diff a few thousand keys took most of an incremental sync.
    const rows = keys
      ? this.db.rowsOfKeys({ columns: CHANGE_COLUMNS, from: CHANGES, where: `+${open}`, order: 'c.id', key: '(c.model, c.field, c.condition)' }, keys)
      : (this.db.sql(`SELECT ${CHANGE_COLUMNS} FROM ${CHANGES} WHERE ${open}`).all() as Row[]);
    // Put in id order here: an ORDER BY had SQLite copy every row, evidence and all, through a sorter.
    return rows.map((r) => toChange(r, current)).sort((a, b) => a.id - b.id);
  }

  /** Per status, how many changes and the newest id: moves with every change queued or decided. */
  tally(): Row[] {
    return this.db.sql('SELECT status, COUNT(*) AS n, MAX(id) AS last, COUNT(reviewed_at) AS reviewed FROM changes GROUP BY status ORDER BY status').all() as Row[];
  }

  get(id: number): Change | null {
    const row = this.db.sql(`SELECT ${CHANGE_COLUMNS} FROM ${CHANGES} WHERE c.id = ?`).get(id) as Row | undefined;
    return row ? toChange(row) : null;
  }

  /** Queues a proposal. `follows`: its fact is its key's row in the facts table, which the change follows instead of copying it. */
  insert(p: ProposedChange, at: string, follows = false): number {
    const info = this.db
      .sql(
        `INSERT INTO changes (model, field, condition, kind, old_value, new_value, observed_at, evidence_key,
           fact, fact_status, fact_confidence, fact_rule, fact_explanation, fact_claims, status, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)`,
      )
      .run(p.model, p.field, p.condition, p.kind, json(p.old_value), json(p.new_value), p.observed_at, p.evidence_key, ...storedFact(p, follows), at);
    return Number(info.lastInsertRowid);
  }

  /** Flags a change as a backfill: it speaks for a date older than its source's current basis. */
  markBackfill(id: number): void {
    this.db.sql('UPDATE changes SET backfill = 1 WHERE id = ?').run(id);
  }

  backfillIds(): Set<number> {
    return new Set(column<number>(this.db.sql('SELECT id FROM changes WHERE backfill = 1').all(), 'id'));
  }

  /** Brings a pending change up to date with a proposal for the same value (`follows` as for insert). */
  refreshPending(id: number, p: ProposedChange, follows = false): void {
    this.db
      .sql(
        `UPDATE changes SET old_value = ?, observed_at = ?, evidence_key = ?,
           fact = ?, fact_status = ?, fact_confidence = ?, fact_rule = ?, fact_explanation = ?, fact_claims = ? WHERE id = ?`,
      )
      .run(json(p.old_value), p.observed_at, p.evidence_key, ...storedFact(p, follows), id);
  }

  /**
   * Gives the pending changes that follow `fact` (a facts row about to be rewritten or deleted)
   * their own copy of it, unless the row keeps their value (`nextValue`, its JSON; null when the
   * row goes): those go on following it. Found by key in a partial index of the following ones.
   */
  keepFact(fact: Row, nextValue: string | null): void {
    const ids = column<number>(
      this.db
        .sql("SELECT id FROM changes WHERE fact IS NULL AND fact_status IS NULL AND model = ? AND field = ? AND condition = ? AND (status <> 'pending' OR new_value IS NOT ?)")
        .all(fact.model, fact.field, fact.condition, nextValue),
      'id',
    );
    const keep = this.db.sql('UPDATE changes SET fact_status = ?, fact_confidence = ?, fact_rule = ?, fact_explanation = ?, fact_claims = ? WHERE id = ?');
    for (const id of ids) keep.run(fact.status, fact.confidence, fact.rule, fact.explanation, fact.claims, id);
  }

  /**
   * Records a decision (approved, rejected) or a supersession. A change that followed its key's
   * fact takes its own copy in the same write: from now on it shows the fact it was decided on.
   */
  setStatus(id: number, status: ChangeStatus, review: { reviewer: string | null; at: string; note: string | null }): void {
    this.db
      .sql(
        `UPDATE changes SET status = ?, reviewer = ?, reviewed_at = ?, note = ?,
           (fact_status, fact_confidence, fact_rule, fact_explanation, fact_claims) = (
             SELECT coalesce(changes.fact_status, f.status), coalesce(changes.fact_confidence, f.confidence), coalesce(changes.fact_rule, f.rule),
               coalesce(changes.fact_explanation, f.explanation), coalesce(changes.fact_claims, f.claims)
             FROM (SELECT 1) LEFT JOIN facts f ON changes.fact IS NULL AND changes.fact_status IS NULL
               AND f.model = changes.model AND f.field = changes.field AND f.condition = changes.condition)
         WHERE id = ?`,
      )
      .run(status, review.reviewer, review.at, review.note, id);
  }
}

/**
 * A proposal's fact as its change row stores it, the columns (fact, fact_status, fact_confidence,
 * fact_rule, fact_explanation, fact_claims): JSON null for none; all NULL when the change follows
 * its key's facts row; else its own copy, in the fact_ columns (the value is the change's
 * new_value), or whole in `fact` should its value ever differ from new_value.
 */
function storedFact(p: ProposedChange, follows: boolean): [string | Buffer | null, string | null, number | null, string | null, string | null, string | Buffer | null] {
  const f = p.fact;
  if (!f) return ['null', null, null, null, null, null];
  if (follows) return [null, null, null, null, null, null];
  if (json(f.value) !== json(p.new_value)) return [packedJson(json(f)), null, null, null, null, null];
  return [null, f.status, f.confidence, f.rule, f.explanation, packedFactClaims(f)];
}
