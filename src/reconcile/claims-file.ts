/**
 * `model-ledger reconcile --claims FILE`: the reconciler over any CSV/TSV of claims with columns
 * source, entity, field, value [, observed_at] (optional: condition, confidence; extra columns ignored).
 * Parsing only: reading the file is the use-case layer's, printing the result the CLI's.
 */
import { inputError } from '../errors.ts';
import type { ClaimRecord } from './records.ts';

const REQUIRED = ['source', 'entity', 'field', 'value'] as const;

/**
 * Calls `row` with each record of a CSV (RFC 4180 quoting) or TSV text and the line it starts on
 * (counted in the file, as an editor shows it), blank lines skipped; the delimiter is read from the first line. A line without a quote or a lone CR is split as it is,
 * which is most lines of a claims file; a record with quotes is read cell by cell (quotedRecord).
 */
export function eachRecord(text: string, row: (cells: string[], line: number) => void): void {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const newline = body.indexOf('\n');
  const firstLine = newline < 0 ? body : body.slice(0, newline);
  const sep = firstLine.includes('\t') ? '\t' : ',';
  const emit = (cells: string[], line: number) => {
    if (cells.length > 1 || cells[0].trim() !== '') row(cells, line);
  };
  // Where the next quote and CR are: a line before both is plain.
  let quote = body.indexOf('"');
  let cr = body.indexOf('\r');
  let at = 0;
  let line = 1;
  while (at < body.length) {
    let end = body.indexOf('\n', at);
    if (end < 0) end = body.length;
    if (quote >= 0 && quote < at) quote = body.indexOf('"', at);
    if (cr >= 0 && cr < at) cr = body.indexOf('\r', at);
    const plain = (quote < 0 || quote >= end) && (cr < 0 || cr >= end - 1);
    if (plain) {
      emit(plainCells(body, at, cr >= 0 && cr === end - 1 ? end - 1 : end, sep), line++);
      at = end + 1;
      continue;
    }
    const record = quotedRecord(body, at, sep);
    emit(record.row, line);
    // A quoted cell may span lines: the next record starts past every newline this one holds.
    for (let lf = body.indexOf('\n', at); lf >= 0 && lf < record.next; lf = body.indexOf('\n', lf + 1)) line++;
    at = record.next;
  }
}

/** The cells of a line without quotes, `body` from `start` to `end`: cut where the delimiters are, without the line as a string of its own. */
function plainCells(body: string, start: number, end: number, sep: string): string[] {
  const cells: string[] = [];
  let from = start;
  for (let cut = body.indexOf(sep, from); cut >= 0 && cut < end; cut = body.indexOf(sep, from)) {
    cells.push(body.slice(from, cut));
    from = cut + 1;
  }
  cells.push(body.slice(from, end));
  return cells;
}

/** Rows of a CSV or TSV text (see eachRecord). */
export function parseDelimited(text: string): string[][] {
  const rows: string[][] = [];
  eachRecord(text, (cells) => rows.push(cells));
  return rows;
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/**
 * One record with quotes, from `start`: its cells, and where the next record starts. A quoted cell
 * is taken between quotes with indexOf (it may hold delimiters and newlines; `""` is a quote); text
 * after its closing quote, and an unquoted cell, run to the next delimiter or line end.
 */
function quotedRecord(body: string, start: number, sep: string): { row: string[]; next: number } {
  const sepCode = sep.charCodeAt(0);
  const row: string[] = [];
  let at = start;
  for (;;) {
    let cell = '';
    if (body.charCodeAt(at) === QUOTE) {
      let from = at + 1;
      for (;;) {
        const close = body.indexOf('"', from);
        if (close < 0) throw inputError('unterminated quoted cell at the end of the file');
        cell += body.slice(from, close);
        if (body.charCodeAt(close + 1) !== QUOTE) {
          at = close + 1;
          break;
        }
        cell += '"';
        from = close + 2;
      }
    }
    let end = at;
    for (let c = body.charCodeAt(end); end < body.length && c !== sepCode && c !== LF && c !== CR; c = body.charCodeAt(++end));
    row.push(cell + body.slice(at, end));
    if (end >= body.length) return { row, next: body.length };
    if (body.charCodeAt(end) === sepCode) {
      at = end + 1;
      continue;
    }
    return { row, next: body.charCodeAt(end) === CR && body.charCodeAt(end + 1) === LF ? end + 2 : end + 1 };
  }
}

/**
 * Claim records from a claims file's text. Blank values are no claim and are skipped. Equal cells
 * share one string: a million claims name a few sources, fields and dates and repeat their
 * entities and values, so the records hold a fraction of the strings and collect less garbage.
 */
export function parseClaimsFile(text: string): ClaimRecord[] {
  // The reconciler joins entity, field and condition with NUL: no cell may hold one.
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    const line = text.slice(0, nul).split('\n').length;
    throw inputError(`line ${line} of the claims file holds a NUL character: is it UTF-16 or binary? Save it as UTF-8 text`);
  }
  const pool = new Map<string, string>();
  const cell = (text: string): string => {
    const trimmed = text.trim();
    const shared = pool.get(trimmed);
    if (shared !== undefined) return shared;
    pool.set(trimmed, trimmed);
    return trimmed;
  };
  // A column repeats its last cell more often than not (one entity's fields, one date): compared
  // with that first, a cell skips the pool's hashing.
  const last: string[] = [];
  const columnCell = (cells: string[], column: number): string => {
    const raw = cells[column];
    if (raw === last[column]) return last[column];
    const shared = cell(raw);
    if (shared === raw) last[column] = shared;
    return shared;
  };
  let header: string[] | null = null;
  // Each column's place in a record, -1 when the file has no such column.
  let [source, entity, field, value, observed, condition, confidence] = [-1, -1, -1, -1, -1, -1, -1];
  let checkedAt = '';
  const records: ClaimRecord[] = [];
  eachRecord(text, (cells, line) => {
    if (!header) {
      header = cells.map((h) => h.trim().toLowerCase());
      const missing = REQUIRED.filter((c) => !header!.includes(c));
      if (missing.length) {
        throw inputError(
          `the claims file's header lacks ${missing.join(', ')}: expected columns source, entity, field, value [, observed_at] ` +
            `(found: ${header.join(', ')})`,
        );
      }
      [source, entity, field, value, observed, condition, confidence] = [...REQUIRED, 'observed_at', 'condition', 'confidence'].map((name) => header!.indexOf(name));
      return;
    }
    if (cells.length < header.length) {
      throw inputError(`line ${line} of the claims file has ${cells.length} cells, the header has ${header.length}`);
    }
    const v = cell(cells[value]);
    if (!v) return;
    const record: ClaimRecord = { source: columnCell(cells, source), entity: columnCell(cells, entity), field: columnCell(cells, field), value: v };
    if (!record.source || !record.entity || !record.field) throw inputError(`line ${line}: source, entity and field must not be blank`);
    if (observed >= 0 && cells[observed].trim()) {
      const at = columnCell(cells, observed);
      // Checked when it differs from the last one checked: a file repeats a few dates a million times.
      if (at !== checkedAt) {
        if (Number.isNaN(Date.parse(at))) throw inputError(`line ${line}: observed_at must be a date or an ISO timestamp, got "${at}"`);
        checkedAt = at;
      }
      record.observed_at = at;
    }
    if (condition >= 0) record.condition = cell(cells[condition]);
    if (confidence >= 0 && cells[confidence].trim()) {
      const c = Number(cells[confidence]);
      if (!(c >= 0 && c <= 1)) throw inputError(`line ${line}: confidence must be a number in [0, 1], got "${cells[confidence]}"`);
      record.confidence = c;
    }
    records.push(record);
  });
  if (!header) throw inputError('the claims file is empty: expected a header row with source, entity, field, value');
  return records;
}
