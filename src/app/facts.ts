import { inputError } from '../errors.ts';
import { didYouMean } from '../normalize/suggest.ts';
import type { Fact } from '../schema/fact.ts';
import { FIELD_NAMES, type FieldName } from '../schema/fields.ts';
import type { PublishedValue } from '../schema/history.ts';
import { findModel } from './models.ts';
import { pointInTime } from './sync.ts';
import { aliasesOf, withLedger, type Workspace } from './workspace.ts';

/** A field name a user typed, checked against the field registry. */
export function fieldNamed(field: string | undefined): FieldName | undefined {
  if (field === undefined) return undefined;
  if (!(FIELD_NAMES as string[]).includes(field)) throw inputError(`unknown field "${field}"${didYouMean(field, FIELD_NAMES) || `; fields: ${FIELD_NAMES.join(', ')}`}`);
  return field as FieldName;
}

/** The facts of a model (or one field of it), each with its status, rule and every claim behind it. */
export function explainModel(ws: Workspace, model: string, field?: string): Fact[] {
  return withLedger(ws, (ledger) => {
    const facts = ledger.facts.list({ model: findModel(ledger, aliasesOf(ws, ledger), model), field: fieldNamed(field) });
    if (facts.length === 0) throw inputError(`no facts for ${model}${field ? ` ${field}` : ''}`);
    return facts;
  });
}

/** Approved values over time; with `at`, those in force on that date. */
export function modelHistory(ws: Workspace, model: string, options: { field?: string; at?: string } = {}): { id: string; intervals: PublishedValue[] } {
  return withLedger(ws, (ledger) => {
    const id = findModel(ledger, aliasesOf(ws, ledger), model);
    const field = fieldNamed(options.field);
    const intervals = options.at !== undefined
      ? ledger.history.publishedAt(pointInTime(options.at)).filter((r) => r.model === id && (!field || r.field === field))
      : ledger.history.list({ model: id, field });
    return { id, intervals };
  });
}
