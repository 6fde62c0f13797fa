import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetSchema, HistoryFileSchema } from '../schema/dataset.ts';
import { jsonSchemas } from '../schema/json-schemas.ts';
import type { Ledger } from '../store/ledger.ts';
import { buildDataset, buildHistory } from './dataset.ts';

export interface ExportResult {
  dir: string;
  files: string[];
  models: number;
  values: number;
  intervals: number;
}

/** The dataset as approved at `at` (default: now), from the ledger's history. */
export function datasetFromLedger(ledger: Ledger, at?: string) {
  const values = at ? ledger.publishedAt(at) : ledger.published();
  const models = ledger.models().map((m) => ({ ...m, aliases: ledger.aliasesOf(m.id) }));
  const approvals = ledger.changes({ status: 'approved' }).map((c) => c.reviewed_at ?? '');
  const asOf = at ?? approvals.reduce((a, b) => (a > b ? a : b), '') ?? '';
  return buildDataset(values, models, asOf);
}

/** Writes dataset.json and history.json with their JSON Schemas beside them; validates first. */
export function exportDataset(ledger: Ledger, dir: string, options: { at?: string } = {}): ExportResult {
  const dataset = DatasetSchema.parse(datasetFromLedger(ledger, options.at));
  const history = HistoryFileSchema.parse(buildHistory(ledger.history()));
  mkdirSync(dir, { recursive: true });
  const files: Record<string, string> = {
    'dataset.json': JSON.stringify(dataset, null, 2) + '\n',
    'history.json': JSON.stringify(history, null, 2) + '\n',
  };
  const schemas = jsonSchemas();
  files['dataset.schema.json'] = schemas['dataset.schema.json'];
  files['history.schema.json'] = schemas['history.schema.json'];
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return {
    dir,
    files: Object.keys(files).sort(),
    models: dataset.models.length,
    values: dataset.models.reduce((n, m) => n + m.values.length, 0),
    intervals: history.intervals.length,
  };
}
