/**
 * `model-ledger reconcile --claims FILE`: the reconciler over any CSV/TSV of claims with columns
 * source, entity, field, value [, observed_at] (optional: condition, confidence; extra columns ignored).
 * Parsing only: reading the file is the use-case layer's, printing the result the CLI's.
 */
import { inputError } from '../errors.ts';
import type { ClaimRecord } from './records.ts';

const REQUIRED = ['source', 'entity', 'field', 'value'] as const;

/** Rows of a CSV (RFC 4180 quoting) or TSV text; the delimiter is read from the first line. */
export function parseDelimited(text: string): string[][] {
  const body = text.replace(/^\uFEFF/, '');
  const newline = body.indexOf('\n');
  const firstLine = newline < 0 ? body : body.slice(0, newline);
  const sep = firstLine.includes('\t') ? '\t' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
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
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (quoted) throw inputError('unterminated quoted cell at the end of the file');
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows.filter((r) => r.length > 1 || r[0].trim() !== '');
}

/** Claim records from a claims file's text. Blank values are no claim and are skipped. */
export function parseClaimsFile(text: string): ClaimRecord[] {
  const rows = parseDelimited(text);
  if (!rows.length) throw inputError('the claims file is empty: expected a header row with source, entity, field, value');
  const header = rows[0].map((h) => h.trim().toLowerCase());
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (missing.length) {
    throw inputError(
      `the claims file's header lacks ${missing.join(', ')}: expected columns source, entity, field, value [, observed_at] ` +
        `(found: ${header.join(', ')})`,
    );
  }
  const col = (name: string) => header.indexOf(name);
  const [source, entity, field, value, observed, condition, confidence] = [
    ...REQUIRED.map(col),
    col('observed_at'),
    col('condition'),
    col('confidence'),
  ];
  const records: ClaimRecord[] = [];
  for (let r = 1; r < rows.length; r++) {
    const cells = rows[r];
    if (cells.length < header.length) {
      throw inputError(`line ${r + 1} of the claims file has ${cells.length} cells, the header has ${header.length}`);
    }
    const v = cells[value].trim();
    if (!v) continue;
    const record: ClaimRecord = { source: cells[source].trim(), entity: cells[entity].trim(), field: cells[field].trim(), value: v };
    if (!record.source || !record.entity || !record.field) throw inputError(`line ${r + 1}: source, entity and field must not be blank`);
    if (observed >= 0 && cells[observed].trim()) record.observed_at = cells[observed].trim();
    if (condition >= 0) record.condition = cells[condition].trim();
    if (confidence >= 0 && cells[confidence].trim()) {
      const c = Number(cells[confidence]);
      if (!(c >= 0 && c <= 1)) throw inputError(`line ${r + 1}: confidence must be a number in [0, 1], got "${cells[confidence]}"`);
      record.confidence = c;
    }
    records.push(record);
  }
  return records;
}
