import type { FieldKey } from '../schema/key.ts';
import type { PublishedValue } from '../schema/history.ts';
import { endOfDay } from '../normalize/dates.ts';
import type { LedgerDb } from './db.ts';
import { column, json, toPublished, type Row } from './rows.ts';

/** A value to place in a key's timeline; a null value ends the timeline. */
export type IntervalEntry =
  | Omit<PublishedValue, 'model' | 'field' | 'condition' | 'valid_to'>
  | { value: null; valid_from: string; change_id: number | null };

/** The approved dataset over time: intervals of validity per key; open intervals are the dataset now. */
export class HistoryStore {
  constructor(private readonly db: LedgerDb) {}

  /** The open intervals: the dataset as currently approved. */
  published(): PublishedValue[] {
    return (this.db.sql('SELECT * FROM history WHERE valid_to IS NULL ORDER BY model, field, condition').all() as Row[]).map(toPublished);
  }

  /**
   * The open intervals' keys, values and start dates, all a diff reads of them; with `keys`, only
   * those keys' (keyOf). A sync after a first import's approval diffs 70k published values: their
   * sources and the rest of each row were most of reading them.
   */
  publishedValues(keys?: ReadonlySet<string>): Array<Pick<PublishedValue, 'model' | 'field' | 'condition' | 'value' | 'valid_from'>> {
    const query = { columns: 'model, field, condition, value, valid_from', from: 'history', where: 'valid_to IS NULL', order: 'model, field, condition' };
    const rows = keys ? this.db.rowsOfKeys({ ...query, where: `+${query.where}` }, keys) : (this.db.sql(`SELECT ${query.columns} FROM history WHERE ${query.where} ORDER BY ${query.order}`).all() as Row[]);
    return rows.map((r) => ({ model: r.model as string, field: r.field as PublishedValue['field'], condition: r.condition as string, value: JSON.parse(r.value as string) as PublishedValue['value'], valid_from: r.valid_from as string }));
  }

  /** The models with an approved value, without reading the values. */
  publishedModels(): Set<string> {
    return new Set(column<string>(this.db.sql('SELECT DISTINCT model FROM history WHERE valid_to IS NULL').all(), 'model'));
  }

  /** One model's open intervals, by field and condition. */
  publishedOf(model: string): PublishedValue[] {
    return (this.db.sql('SELECT * FROM history WHERE model = ? AND valid_to IS NULL ORDER BY field, condition').all(model) as Row[]).map(toPublished);
  }

  /** How many intervals, how many closed, and the newest id: moves with every approval. */
  tally(): Row {
    return this.db.sql('SELECT COUNT(*) AS n, COUNT(valid_to) AS closed, MAX(id) AS last FROM history').get() as Row;
  }

  /** The approved values in force at the end of `at` (a date or timestamp). */
  publishedAt(at: string): PublishedValue[] {
    const bound = endOfDay(at);
    return (
      this.db
        .sql(
          `SELECT * FROM history WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)
           ORDER BY model, field, condition`,
        )
        .all(bound, bound) as Row[]
    ).map(toPublished);
  }

  /** One key's intervals in order. An exact-key query: list()'s optional filters cannot use the index. */
  timeline(key: FieldKey): PublishedValue[] {
    return (
      this.db.sql('SELECT * FROM history WHERE model = ? AND field = ? AND condition = ? ORDER BY valid_from, id').all(key.model, key.field, key.condition) as Row[]
    ).map(toPublished);
  }

  list(filter: { model?: string; field?: string } = {}): PublishedValue[] {
    return (
      this.db
        .sql(
          `SELECT * FROM history WHERE (? IS NULL OR model = ?) AND (? IS NULL OR field = ?)
           ORDER BY model, field, condition, valid_from, id`,
        )
        .all(filter.model ?? null, filter.model ?? null, filter.field ?? null, filter.field ?? null) as Row[]
    ).map(toPublished);
  }

  /**
   * Places a value into the key's timeline at `validFrom`: the interval it lands in is cut there,
   * and the new one runs until the next interval starts (or stays open); when the next interval
   * holds the same value, that one starts at `validFrom` instead. A null value ends the
   * key's timeline at `validFrom` (the model or figure is no longer offered).
   */
  insertInterval(key: FieldKey, entry: IntervalEntry): void {
    const intervals = this.timeline(key);
    const from = entry.valid_from;
    const containing = intervals.find((h) => h.valid_from <= from && (h.valid_to === null || h.valid_to > from));
    const next = intervals.find((h) => h.valid_from > from);
    if (containing) {
      // Cut the interval the new value lands in. One that started the same moment becomes an empty
      // interval rather than disappearing: it was approved, and history keeps what was approved.
      this.db
        .sql(
          `UPDATE history SET valid_to = ? WHERE model = ? AND field = ? AND condition = ? AND valid_from = ?
             AND (valid_to IS NULL OR valid_to > ?)`,
        )
        .run(from, key.model, key.field, key.condition, containing.valid_from, from);
    }
    if (entry.value === null) return;
    const e = entry as Omit<PublishedValue, 'model' | 'field' | 'condition' | 'valid_to'>;
    if (next && json(next.value) === json(e.value)) {
      // An older capture saying what the next interval says (a backfill): that value held from
      // earlier, so the interval starts earlier rather than following an equal one of its own.
      this.db
        .sql(
          `UPDATE history SET valid_from = ? WHERE id = (SELECT id FROM history WHERE model = ? AND field = ? AND condition = ? AND valid_from = ? ORDER BY id LIMIT 1)`,
        )
        .run(from, key.model, key.field, key.condition, next.valid_from);
      return;
    }
    this.db
      .sql(
        `INSERT INTO history (model, field, condition, value, unit, status, confidence, sources, valid_from, valid_to, change_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(key.model, key.field, key.condition, json(e.value), e.unit, e.status, e.confidence, json(e.sources), from, next?.valid_from ?? null, e.change_id);
  }
}
