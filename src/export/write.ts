import { join } from 'node:path';
import { replaceDirectory } from './atomic.ts';
import { DatasetSchema, ExportFormatSchema, HistoryFileSchema, type ExportFormat, type HistoryFile } from '../schema/dataset.ts';
import { jsonSchemas } from '../schema/json-schemas.ts';
import { type Ledger } from '../store/ledger.ts';
import { endOfDay, parsePointInTime } from '../normalize/dates.ts';
import { condition, joinConditions, routeOf } from '../schema/condition.ts';
import { buildDataset, buildHistory } from './dataset.ts';
import { toCsv, toNdjson } from './formats.ts';
import { toLlmPrices } from './llm-prices.ts';
import { toStaticApi } from './api.ts';
import { litellmReference, toLiteLLM } from './litellm.ts';
import { modelsDevReference, toModelsDev } from './models-dev.ts';
import { inForce } from './shape.ts';
import type { Claim } from '../schema/claim.ts';

export const EXPORT_FORMATS = ExportFormatSchema.options;
export type { ExportFormat };

/** Every top-level name an export may write in its directory; other entries there are kept. */
const OWNED_OUTPUTS = new Set(['dataset.json', 'history.json', 'dataset.schema.json', 'history.schema.json', 'dataset.ndjson', 'dataset.csv', 'model_prices_and_context_window.json', 'llm-prices', 'api.json', 'api', 'feed.atom']);

export interface ExportResult {
  dir: string;
  files: string[];
  models: number;
  values: number;
  intervals: number;
  /** The point in time exported (`--at`), when not now. */
  at?: string;
  /** LiteLLM export: models left out because LiteLLM knows no provider for them, per provider (or route). */
  litellm_unknown_providers?: Record<string, number>;
  /** models.dev export: models left out because models.dev has no provider folder for them, per vendor (or route). */
  models_dev_unknown_providers?: Record<string, number>;
}

/** The dataset as approved and in force at `at` (default: now), from the ledger's history. */
export function datasetFromLedger(ledger: Ledger, at?: string) {
  const values = at ? ledger.history.publishedAt(at) : ledger.history.published();
  const models = ledger.models.list().map((m) => ({ ...m, aliases: ledger.models.aliasesOf(m.id) }));
  const asOf = at ? endOfDay(at) : ledger.changes.lastApprovedAt();
  return buildDataset(values, models, asOf);
}

/** History up to `at`: intervals that had started by then, open-ended as they were at that moment. */
export function historyFromLedger(ledger: Ledger, at?: string): HistoryFile {
  const bound = at ? endOfDay(at) : undefined;
  const intervals = ledger
    .history.list()
    .filter((h) => !bound || h.valid_from <= bound)
    .map((h) => (bound && h.valid_to && h.valid_to > bound ? { ...h, valid_to: null } : h));
  return buildHistory(intervals);
}

/**
 * Writes dataset.json and history.json (always, with their JSON Schemas beside them) and any
 * other requested formats. Everything is validated before the first byte is written, and the
 * directory is replaced as a whole (src/export/atomic.ts).
 */
export interface ExportOptions {
  at?: string;
  formats?: ExportFormat[];
  /** The sources read by the LiteLLM extractor: their captures give LiteLLM's own keys (default: `litellm`). */
  litellmSources?: string[];
  /** The sources read by the models.dev extractor: the first one's capture gives models.dev's folders, ids and provider fields (default: `models-dev`). */
  modelsDevSources?: string[];
}

export function exportDataset(ledger: Ledger, dir: string, options: ExportOptions = {}): ExportResult {
  if (options.at !== undefined) options = { ...options, at: parsePointInTime(options.at) };
  const dataset = DatasetSchema.parse(datasetFromLedger(ledger, options.at));
  const history = HistoryFileSchema.parse(historyFromLedger(ledger, options.at));
  const formats = new Set(options.formats ?? ['json']);
  const schemas = jsonSchemas();
  const files: Record<string, string> = {
    'dataset.json': JSON.stringify(dataset, null, 2) + '\n',
    'history.json': JSON.stringify(history, null, 2) + '\n',
    'dataset.schema.json': schemas['dataset.schema.json'],
    'history.schema.json': schemas['history.schema.json'],
  };
  // The formats without dates take the prices in force at the point exported (now, or the end of --at).
  const current = inForce(dataset, options.at ? endOfDay(options.at) : new Date().toISOString());
  if (formats.has('ndjson')) files['dataset.ndjson'] = toNdjson(dataset);
  if (formats.has('csv')) files['dataset.csv'] = toCsv(current);
  let litellmUnknown: Record<string, number> | undefined;
  if (formats.has('litellm')) {
    const reference = sourceEvidence(ledger, options.litellmSources ?? ['litellm'], options.at).flatMap((e) => litellmReference(e.body, e.claims));
    const litellm = toLiteLLM(current, reference);
    files['model_prices_and_context_window.json'] = JSON.stringify(litellm.entries, null, 2) + '\n';
    litellmUnknown = litellm.unknownProviders;
  }
  if (formats.has('api')) Object.assign(files, toStaticApi(dataset, history));
  let modelsDevUnknown: Record<string, number> | undefined;
  if (formats.has('models-dev')) {
    const [evidence] = sourceEvidence(ledger, options.modelsDevSources ?? ['models-dev'], options.at);
    const modelsDev = toModelsDev(current, evidence ? modelsDevReference(evidence.body, evidence.claims) : { providers: {}, entries: [] });
    files['api.json'] = JSON.stringify(modelsDev.api) + '\n';
    modelsDevUnknown = modelsDev.unknownProviders;
  }
  if (formats.has('llm-prices')) {
    for (const vendor of toLlmPrices(dataset, history)) files[join('llm-prices', `${vendor.vendor}.json`)] = JSON.stringify(vendor, null, 2) + '\n';
  }
  // The whole set is written beside `dir` and swapped in with renames: a reader sees the old export
  // or the new one, never a half-written file or files of two exports; outputs of an earlier export
  // not written now (a format not asked for, a vendor no longer listed) go with the old set.
  replaceDirectory(dir, files, OWNED_OUTPUTS);
  return {
    dir,
    files: Object.keys(files).sort(),
    models: dataset.models.length,
    values: dataset.models.reduce((n, m) => n + m.values.length, 0),
    intervals: history.intervals.length,
    ...(options.at !== undefined ? { at: options.at } : {}),
    ...(litellmUnknown ? { litellm_unknown_providers: litellmUnknown } : {}),
    ...(modelsDevUnknown ? { models_dev_unknown_providers: modelsDevUnknown } : {}),
  };
}

/**
 * What a structured source said, as the export needs it to speak that source's language: the body
 * of its capture the ledger holds (as of `at`), and that capture's claims under the model and route
 * they were reconciled under (identity links applied as the sync applies them).
 */
function sourceEvidence(ledger: Ledger, sourceIds: readonly string[], at?: string): Array<{ body: string; claims: Claim[] }> {
  const links = ledger.models.links();
  const bound = at ? endOfDay(at) : undefined;
  return sourceIds.flatMap((sourceId) => {
    const capture = bound
      ? ledger.captures.of(sourceId).filter((c) => c.outcome === 'extracted' && c.observed_at <= bound).at(-1)
      : ledger.captures.current(sourceId);
    const body = capture ? ledger.captures.snapshotBody(capture.sha256) : null;
    if (!capture || body === null) return [];
    const claims = ledger.claims.ofCapture(capture.id).map((c) => {
      const link = links.get(c.model);
      if (!link) return c;
      return { ...c, model: link.model, condition: routeOf(c.condition) || !link.route ? c.condition : joinConditions(c.condition, condition.route(link.route)) };
    });
    return [{ body, claims }];
  });
}
