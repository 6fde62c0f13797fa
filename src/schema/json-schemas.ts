import { createRequire } from 'node:module';
import type { ZodTypeAny } from 'zod';
import { ClaimSchema, ExtractedClaimSchema } from './claim.ts';
import { ChangeSchema } from './change.ts';
import { DatasetSchema, HistoryFileSchema } from './dataset.ts';
import { FactSchema } from './fact.ts';
import { ManifestSchema } from './snapshot.ts';
import { SourceSchema } from './source.ts';

const SCHEMAS: Record<string, ZodTypeAny> = {
  source: SourceSchema,
  manifest: ManifestSchema,
  'extracted-claim': ExtractedClaimSchema,
  claim: ClaimSchema,
  fact: FactSchema,
  change: ChangeSchema,
  dataset: DatasetSchema,
  history: HistoryFileSchema,
};

/** The JSON Schemas published in schemas/, generated from the zod schemas (the single source of truth). */
export function jsonSchemas(): Record<string, string> {
  // Required here, not imported at the top: only an export writes schemas, and the converter takes ~30 ms to load.
  const { zodToJsonSchema } = createRequire(import.meta.url)('zod-to-json-schema') as typeof import('zod-to-json-schema');
  const out: Record<string, string> = {};
  for (const [name, schema] of Object.entries(SCHEMAS)) {
    const json = zodToJsonSchema(schema, { name, $refStrategy: 'none', target: 'jsonSchema7' }) as Record<string, any>;
    const body = json.definitions?.[name] ?? json;
    const document: Record<string, unknown> = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      $id: `${name}.schema.json`,
      title: name,
      ...body,
    };
    // Source files carry a "$schema" pointer for editors; allow it in the strict schema.
    if (name === 'source') (document.properties as Record<string, unknown>).$schema = { type: 'string' };
    out[`${name}.schema.json`] = JSON.stringify(document, null, 2) + '\n';
  }
  return out;
}
