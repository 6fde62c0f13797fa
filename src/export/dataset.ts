import { DATASET_SCHEMA_VERSION, type Dataset, type DatasetModel, type HistoryFile } from '../schema/dataset.ts';
import { identify } from '../normalize/identity.ts';
import { type PublishedValue } from '../schema/history.ts';

export interface ModelRecord {
  id: string;
  name: string;
  provider: string;
  family: string;
  version: string | null;
  aliases: string[];
}

const byKey = (a: PublishedValue, b: PublishedValue) =>
  a.model.localeCompare(b.model) || a.field.localeCompare(b.field) || a.condition.localeCompare(b.condition);

/**
 * The approved dataset as other tools read it: one entry per model with every approved value
 * and its provenance. Pure and ordered, so the same ledger always yields the same bytes.
 */
export function buildDataset(values: PublishedValue[], models: ModelRecord[], asOf: string): Dataset {
  const byModel = new Map<string, PublishedValue[]>();
  for (const v of [...values].sort(byKey)) {
    const list = byModel.get(v.model) ?? [];
    list.push(v);
    byModel.set(v.model, list);
  }
  const records = new Map(models.map((m) => [m.id, m]));
  const entries: DatasetModel[] = [...byModel.keys()].sort().map((id) => {
    const record = records.get(id);
    const identity = identify(id);
    return {
      id,
      name: record?.name ?? id,
      provider: id.split('/')[0],
      family: record?.family ?? identity.family,
      version: record?.version ?? identity.version,
      aliases: [...new Set(record?.aliases ?? [])].sort(),
      values: byModel.get(id)!.map((v) => ({
        field: v.field,
        condition: v.condition,
        value: v.value,
        unit: v.unit,
        status: v.status,
        confidence: round(v.confidence),
        valid_from: v.valid_from,
        sources: v.sources,
      })),
    };
  });
  return { $schema: './dataset.schema.json', schema_version: DATASET_SCHEMA_VERSION, as_of: asOf, models: entries };
}

export function buildHistory(intervals: PublishedValue[]): HistoryFile {
  return {
    $schema: './history.schema.json',
    schema_version: DATASET_SCHEMA_VERSION,
    intervals: [...intervals]
      .sort((a, b) => byKey(a, b) || a.valid_from.localeCompare(b.valid_from))
      .map((v) => ({
        model: v.model,
        field: v.field,
        condition: v.condition,
        value: v.value,
        valid_from: v.valid_from,
        valid_to: v.valid_to,
        change_id: v.change_id,
      })),
  };
}

function round(n: number): number {
  return Math.round(n * 1e4) / 1e4;
}
