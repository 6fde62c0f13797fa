import { z } from 'zod';
import { ClaimValueSchema } from './claim.ts';
import { FactStatusSchema } from './fact.ts';
import { FieldNameSchema } from './fields.ts';
import { HistoryIntervalSchema } from './change.ts';

export const DATASET_SCHEMA_VERSION = '1.0.0';

const ProvenanceSchema = z.object({
  source_id: z.string(),
  url: z.string(),
  observed_at: z.string(),
});

export const DatasetValueSchema = z.object({
  field: FieldNameSchema,
  condition: z.string().describe("'' for the base figure"),
  value: ClaimValueSchema,
  unit: z.string().nullable(),
  status: FactStatusSchema,
  confidence: z.number().min(0).max(1),
  valid_from: z.string(),
  sources: z.array(ProvenanceSchema),
});
export type DatasetValue = z.infer<typeof DatasetValueSchema>;

export const DatasetModelSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*\/[a-z0-9][a-z0-9._:-]*$/),
  name: z.string(),
  provider: z.string(),
  family: z.string(),
  version: z.string().nullable().describe('Dated snapshot suffix, e.g. 2024-12-17'),
  aliases: z.array(z.string()),
  values: z.array(DatasetValueSchema),
});
export type DatasetModel = z.infer<typeof DatasetModelSchema>;

export const DatasetSchema = z.object({
  $schema: z.string(),
  schema_version: z.literal(DATASET_SCHEMA_VERSION),
  as_of: z.string().describe('The latest approval included in this dataset; in an export as it stood at a past point in time (--at), that point: the end of its day for a date'),
  models: z.array(DatasetModelSchema),
});
export type Dataset = z.infer<typeof DatasetSchema>;

export const HistoryFileSchema = z.object({
  $schema: z.string(),
  schema_version: z.literal(DATASET_SCHEMA_VERSION),
  intervals: z.array(HistoryIntervalSchema),
});
export type HistoryFile = z.infer<typeof HistoryFileSchema>;

/** The formats `export` writes besides dataset.json and history.json (which it always writes). */
export const ExportFormatSchema = z.enum(['json', 'ndjson', 'csv', 'litellm', 'llm-prices', 'models-dev', 'api']);
export type ExportFormat = z.infer<typeof ExportFormatSchema>;
