/**
 * `model-ledger reconcile --claims FILE`: the reconciler over any CSV/TSV of claims with columns
 * source, entity, field, value [, observed_at] (optional: condition, confidence; extra columns ignored).
 * Parsing only: reading the file is the use-case layer's, printing the result the CLI's.
 */
import { inputError } from '../errors.ts';
import type { ClaimRecord } from './records.ts';

const REQUIRED = ['source', 'entity', 'field', 'value'] as const;

/**
 * Calls `row` with each record of a CSV (RFC 4180 quoting) or TSV text, blank lines skipped; the
 * delimiter is read from the first line. A line without a quote or a lone CR is split as it is,
 * which is most lines of a claims file; only a record with quotes is read a character at a time
 * (a quoted cell may hold delimiters and newlines).
 */
export function eachRecord(text: string, row: (cells: string[]) => void): void {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const newline = body.indexOf('\n');
  const firstLine = newline < 0 ? body : body.slice(0, newline);
  const sep = firstLine.includes('\t') ? '\t' : ',';
  const emit = (cells: string[]) => {
    if (cells.length > 1 || cells[0].trim() !== '') row(cells);
  };
  // Where the next quote and CR are: a line before both is plain.
  let quote = body.indexOf('"');
  let cr = body.indexOf('\r');
  let at = 0;
  while (at < body.length) {
    let end = body.indexOf('\n', at);
    if (end < 0) end = body.length;
    if (quote >= 0 && quote < at) quote = body.indexOf('"', at);
    if (cr >= 0 && cr < at) cr = body.indexOf('\r', at);
    const plain = (quote < 0 || quote >= end) && (cr < 0 || cr >= end - 1);
    if (plain) {
      emit(body.slice(at, cr === end - 1 ? end - 1 : end).split(sep));
      at = end + 1;
      continue;
    }
    const record = quotedRecord(body, at, sep);
    emit(record.row);
    at = record.next;
  }
}

/** Rows of a CSV or TSV text (see eachRecord). */
export function parseDelimited(text: string): string[][] {
  const rows: string[][] = [];
  eachRecord(text, (cells) => rows.push(cells));
  return rows;
}

/** One record read a character at a time from `start`: its cells, and where the next record starts. */
function quotedRecord(body: string, start: number, sep: string): { row: string[]; next: number } {
  const row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = start; i < body.length; i++) {
    const ch = body[i];
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === sep) {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && body[i + 1] === '\n') i++;
      row.push(cell);
      return { row, next: i + 1 };
    } else cell += ch;
  }
  if (quoted) throw inputError('unterminated quoted cell at the end of the file');
  row.push(cell);
  return { row, next: body.length };
}

/** Claim records from a claims file's text. Blank values are no claim and are skipped. */
export function parseClaimsFile(text: string): ClaimRecord[] {
  let header: string[] | null = null;
  let columns: number[] = [];
  let line = 0;
  const records: ClaimRecord[] = [];
  eachRecord(text, (cells) => {
    line += 1;
    if (!header) {
      header = cells.map((h) => h.trim().toLowerCase());
      const missing = REQUIRED.filter((c) => !header!.includes(c));
      if (missing.length) {
        throw inputError(
          `the claims file's header lacks ${missing.join(', ')}: expected columns source, entity, field, value [, observed_at] ` +
            `(found: ${header.join(', ')})`,
        );
      }
      columns = [...REQUIRED, 'observed_at', 'condition', 'confidence'].map((name) => header!.indexOf(name));
      return;
    }
    const [source, entity, field, value, observed, condition, confidence] = columns;
    if (cells.length < header.length) {
      throw inputError(`line ${line} of the claims file has ${cells.length} cells, the header has ${header.length}`);
    }
    const v = cells[value].trim();
    if (!v) return;
    const record: ClaimRecord = { source: cells[source].trim(), entity: cells[entity].trim(), field: cells[field].trim(), value: v };
    if (!record.source || !record.entity || !record.field) throw inputError(`line ${line}: source, entity and field must not be blank`);
    if (observed >= 0 && cells[observed].trim()) record.observed_at = cells[observed].trim();
    if (condition >= 0) record.condition = cells[condition].trim();
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
