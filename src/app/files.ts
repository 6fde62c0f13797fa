import { basename } from 'node:path';
import { inputError } from '../errors.ts';
import { extractDocument, type ExtractOptions } from '../extract/registry.ts';
import { parseClaimsFile } from '../reconcile/claims-file.ts';
import { reconcileRecords, type RecordsResult } from '../reconcile/records.ts';
import type { ExtractResult } from '../schema/claim.ts';
import { readInputFile } from './sync.ts';

/** The claims a file yields, without touching a ledger. */
export function extractFile(file: string, options: Omit<ExtractOptions, 'filename' | 'source'> = {}): ExtractResult {
  return extractDocument(readInputFile(file), { ...options, filename: basename(file) });
}

/** The reconciler over a CSV/TSV of claims (source, entity, field, value[, observed_at]). */
export function reconcileClaimsFile(file: string): RecordsResult {
  let text: string;
  try {
    text = readInputFile(file);
  } catch (e) {
    throw inputError(`cannot read the claims file ${file}: ${(e as Error).message}`);
  }
  const records = parseClaimsFile(text);
  if (!records.length) throw inputError(`${file} holds no claims (every value cell is blank)`);
  return reconcileRecords(records);
}
