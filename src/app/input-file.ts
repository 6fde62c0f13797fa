import { constants } from 'node:buffer';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { inputError } from '../errors.ts';
import { decodeBody } from '../fetch/charset.ts';
import { MAX_PAGE_BYTES } from '../fetch/options.ts';
import type { SourceFormat } from '../schema/source.ts';

/** A file the user named, as text; a missing file or a directory is bad input, not an internal error. */
export function readInputFile(file: string): string {
  // Same text as readFileSync(file, 'utf8'), which on Node 20 decodes a 70 MB file at a third of the speed.
  return readInputBytes(file).toString('utf8');
}

/**
 * A page the user saved (to ingest, extract or propose as a source) or a claims file, decoded as a
 * fetched response is: a BOM, else (HTML) its <meta charset>, else UTF-8, else windows-1252; JSON
 * is UTF-8. A page saved in windows-1252 or UTF-16 (or a CSV from a spreadsheet) read as UTF-8
 * would lose its "€" and its digits to U+FFFD. `format` null: not known before the text is read,
 * so a <meta charset> is looked for.
 */
export function readInputText(file: string, format: SourceFormat | null, limit: SizeLimit = TEXT_LIMIT): string {
  return decodeBody(readInputBytes(file, limit), null, format ?? 'html').text;
}

/** The most a file may hold, and what to say of a larger one. */
interface SizeLimit {
  bytes: number;
  why: string;
}

/**
 * The longest text Node can hold is MAX_STRING_LENGTH characters, and a UTF-8 file has no more
 * characters than bytes: a larger file could not be decoded (Node 20 aborted in the attempt).
 */
const TEXT_LIMIT: SizeLimit = { bytes: constants.MAX_STRING_LENGTH, why: 'one text can hold: split the file' };

const PAGE_LIMIT: SizeLimit = { bytes: MAX_PAGE_BYTES, why: 'a page may be (the most a fetch reads)' };

/**
 * A saved page (readInputText), refused above the size a fetch reads: a page of hundreds of
 * megabytes ran the extractors out of memory, a run killed after it had begun to record.
 */
export function readInputPage(file: string, format: SourceFormat | null): string {
  return readInputText(file, format, PAGE_LIMIT);
}

function readInputBytes(file: string, limit?: SizeLimit): Buffer {
  if (!existsSync(file)) throw inputError(`no such file: ${file}`);
  const found = statSync(file);
  if (!found.isFile()) throw inputError(`not a file: ${file}`);
  if (limit && found.size > limit.bytes) {
    throw inputError(`${file} is ${(found.size / 1024 / 1024).toFixed(1)} MB, more than the ${Math.floor(limit.bytes / 1024 / 1024)} MB ${limit.why}`);
  }
  try {
    return readFileSync(file);
  } catch (e) {
    throw inputError(`cannot read ${file}: ${(e as Error).message}`);
  }
}
