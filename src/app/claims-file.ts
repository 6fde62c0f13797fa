import { inputError } from '../errors.ts';
import { parseClaimsFile } from '../reconcile/claims-file.ts';
import { reconcileRecords, type RecordsResult } from '../reconcile/records.ts';
import { readInputText } from './input-file.ts';

/** The reconciler over a CSV/TSV of claims (source, entity, field, value[, observed_at]). */
export function reconcileClaimsFile(file: string): RecordsResult {
  let text: string;
  try {
    text = readInputText(file, 'text');
  } catch (e) {
    throw inputError(`cannot read the claims file ${file}: ${(e as Error).message}`);
  }
  const records = parseClaimsFile(text);
  if (!records.length) throw inputError(`${file} holds no claims: no row under its header has a value`);
  return reconcileRecords(records);
}
