/**
 * `model-ledger reconcile --claims FILE`: the reconciler over any CSV/TSV of claims with columns
 * source, entity, field, value [, observed_at] (optional: condition, confidence; extra columns ignored).
 * Parsing only: reading the file is the use-case layer's, printing the result the CLI's.
 */
import { inputError } from '../errors.ts';
import { parsePointInTime } from '../normalize/dates.ts';
import type { ClaimRecord } from './records.ts';

const REQUIRED = ['source', 'entity', 'field', 'value'] as const;
const COLUMNS = [...REQUIRED, 'observed_at', 'condition', 'confidence'];

/**
 * Calls `row` with each record of a CSV (RFC 4180 quoting) or TSV text and the line it starts on
 * (counted in the file as an editor shows it: a line ends at LF, CRLF or a lone CR), blank lines
 * skipped; the delimiter is read from the first line that is not blank. A line without a quote or
 * a lone CR is split as it is, which is most lines of a claims file; a record with quotes is read
 * cell by cell (quotedRecord).
 */
export function eachRecord(text: string, row: (cells: string[], line: number) => void): void {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const firstLine = /[^\r\n]*\S[^\r\n]*/.exec(body)?.[0] ?? '';
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
    const record = quotedRecord(body, at, sep, line);
    emit(record.row, line);
    // A quoted cell may span lines: the next record starts past every line end this one holds.
    line += lineEnds(body, at, record.next);
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

/** How many lines end in `text` from `start` to `end`: each LF, CRLF or lone CR. */
export function lineEnds(text: string, start: number, end: number): number {
  let ends = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === LF || (c === CR && text.charCodeAt(i + 1) !== LF)) ends++;
  }
  return ends;
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
 * One record with quotes, from `start` (on `line`): its cells, and where the next record starts. A
 * quoted cell is taken between quotes with indexOf (it may hold delimiters and newlines; `""` is a
 * quote) and must end at a delimiter or a line end; an unquoted cell runs to the next of those.
 * Text after a closing quote is refused, not joined to the cell: it is what a quote opened by
 * mistake leaves, having swallowed the lines up to the next quote into one cell.
 */
function quotedRecord(body: string, start: number, sep: string, line: number): { row: string[]; next: number } {
  const sepCode = sep.charCodeAt(0);
  const row: string[] = [];
  let at = start;
  for (;;) {
    let cell = '';
    if (body.charCodeAt(at) === QUOTE) {
      let from = at + 1;
      for (;;) {
        const close = body.indexOf('"', from);
        if (close < 0) throw inputError(`line ${line + lineEnds(body, start, at)}: unterminated quoted cell: its quote is never closed`);
        cell += body.slice(from, close);
        if (body.charCodeAt(close + 1) !== QUOTE) {
          const after = body.charCodeAt(close + 1);
          if (close + 1 < body.length && after !== sepCode && after !== LF && after !== CR) {
            throw inputError(`line ${line + lineEnds(body, start, close)}: text after a closing quote: a quoted cell must end at a delimiter or the line's end`);
          }
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
    const line = 1 + lineEnds(text, 0, nul);
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
      const twice = COLUMNS.find((name) => header!.indexOf(name) !== header!.lastIndexOf(name));
      if (twice) throw inputError(`the claims file's header names ${twice} twice: which is meant?`);
      [source, entity, field, value, observed, condition, confidence] = COLUMNS.map((name) => header!.indexOf(name));
      return;
    }
    // More cells than the header are refused unless blank (a trailing delimiter): an unquoted
    // "128,000" is two cells, and reading the first would make 128 of it.
    if (cells.length < header.length || (cells.length > header.length && cells.slice(header.length).some((c) => c.trim() !== ''))) {
      throw inputError(`line ${line} of the claims file has ${cells.length} cells, the header has ${header.length}${cells.length > header.length ? ' (is a cell with a comma unquoted?)' : ''}`);
    }
    const v = cell(cells[value]);
    if (!v) return;
    const record: ClaimRecord = { source: columnCell(cells, source), entity: columnCell(cells, entity), field: columnCell(cells, field), value: v };
    if (!record.source || !record.entity || !record.field) throw inputError(`line ${line}: source, entity and field must not be blank`);
    if (observed >= 0 && cells[observed].trim()) {
      const at = columnCell(cells, observed);
      // Checked when it differs from the last one checked: a file repeats a few dates a million times.
      if (at !== checkedAt) {
        try {
          parsePointInTime(at);
        } catch (e) {
          throw inputError(`line ${line}: observed_at: ${(e as Error).message}`);
        }
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
