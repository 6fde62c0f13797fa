/**
 * models.dev's `api.json`: provider id -> `{ id, name, env, npm, api?, doc, models }`, each model
 * `{ id, name, attachment, reasoning, tool_call, structured_output, open_weights, release_date,
 * knowledge, modalities: {input, output}, cost: {input, output, cache_read, cache_write, tiers?,
 * context_over_200k?}, limit: {context, input?, output} }`, costs in USD per 1M tokens; so tools that
 * read models.dev (opencode and others) can read ours instead.
 *
 * - A model (and route) the models.dev source lists goes under the provider folder and model id
 *   models.dev uses for it, with its name; the provider's `name`, `env`, `npm`, `api` and `doc` are
 *   models.dev's own. Both come from the models.dev capture the ledger holds (the claims' JSON
 *   pointers name folder and model).
 * - A model it lacks goes under the folder models.dev uses for its vendor's own models (for a route,
 *   the folder whose claims carry that route), keyed as that folder keys its models. A vendor or route
 *   with no folder is left out and counted: its provider fields would have to be invented.
 * - Every figure is the ledger's approved one; a flag the ledger does not know is left out rather than
 *   written false. A route's entry takes the model's release date, knowledge cutoff and open weights. `attachment` is image input; modalities are text plus image/audio as the flags say.
 */
import { parseCondition, routeOf, withoutRoute } from '../schema/condition.ts';
import type { Dataset, DatasetValue } from '../schema/dataset.ts';
import { byRoute, mostCommon, pointerTokens, push, sortKeys, tally } from './shape.ts';

/** A provider's own fields in models.dev (everything but `models`). */
export type ModelsDevProviderFields = Record<string, unknown> & { id: string };

export interface ModelsDevReference {
  /** Folder -> its provider fields, from the capture. */
  providers: Record<string, ModelsDevProviderFields>;
  /** Each listed model: folder, models.dev id and name, and the ledger model (and route) its claims went to. */
  entries: Array<{ folder: string; id: string; name: string | null; model: string | null; route: string | null }>;
}

export interface ModelsDevProvider extends Record<string, unknown> {
  id: string;
  models: Record<string, Record<string, unknown>>;
}

export interface ModelsDevExport {
  api: Record<string, ModelsDevProvider>;
  /** Vendors (or `route:r`) left out because models.dev has no folder for them, with the count of models. */
  unknownProviders: Record<string, number>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The reference from the models.dev capture: its body, and its claims as reconciled. */
export function modelsDevReference(body: string, claims: Iterable<{ model: string; condition: string; locator: string | null }>): ModelsDevReference {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { providers: {}, entries: [] };
  }
  if (!isRecord(parsed)) return { providers: {}, entries: [] };
  const providers: ModelsDevReference['providers'] = {};
  const byKey = new Map<string, ModelsDevReference['entries'][number]>();
  const nameOf = (folder: string, id: string) => {
    const entry = (parsed as Record<string, { models?: Record<string, { name?: unknown }> }>)[folder]?.models?.[id];
    return typeof entry?.name === 'string' ? entry.name : null;
  };
  for (const c of claims) {
    const [folder, models, id] = pointerTokens(c.locator, 3);
    if (models !== 'models' || !folder || !id || byKey.has(`${folder}/${id}`)) continue;
    byKey.set(`${folder}/${id}`, { folder, id, name: nameOf(folder, id), model: c.model, route: routeOf(c.condition) });
  }
  for (const [folder, provider] of Object.entries(parsed)) {
    if (!isRecord(provider)) continue;
    const { models, ...fields } = provider;
    providers[folder] = { ...fields, id: folder };
    for (const id of isRecord(models) ? Object.keys(models) : []) {
      if (!byKey.has(`${folder}/${id}`)) byKey.set(`${folder}/${id}`, { folder, id, name: nameOf(folder, id), model: null, route: null });
    }
  }
  return { providers, entries: [...byKey.values()].sort((a, b) => a.folder.localeCompare(b.folder) || a.id.localeCompare(b.id)) };
}

export function toModelsDev(dataset: Dataset, reference: ModelsDevReference): ModelsDevExport {
  const listed = new Map<string, ModelsDevReference['entries']>();
  const taken = new Set(reference.entries.map((e) => `${e.folder}/${e.id}`));
  const vendorFolder = new Map<string, Map<string, number>>();
  const routeFolder = new Map<string, Map<string, number>>();
  const nested = new Map<string, Map<string, number>>();
  for (const e of reference.entries) {
    tally(nested, e.folder, e.id.includes('/') ? 'vendor' : 'flat');
    if (e.model === null) continue;
    const g = `${e.model}\u0000${e.route ?? ''}`;
    push(listed, g, e);
    if (e.route === null) tally(vendorFolder, e.model.split('/')[0], e.folder);
    else tally(routeFolder, e.route, e.folder);
  }

  const api: Record<string, ModelsDevProvider> = {};
  const unknownProviders: Record<string, number> = {};
  const place = (folder: string, id: string, model: Record<string, unknown>) => {
    api[folder] ??= { ...reference.providers[folder], id: folder, models: {} };
    api[folder].models[id] = model;
  };
  for (const m of dataset.models) {
    const [vendor, ...rest] = m.id.split('/');
    const routes = byRoute(m.values);
    const model = modelBody(routes.get(null) ?? []);
    for (const [route, values] of routes) {
      const body = modelBody(values);
      if (!body) continue;
      // A route is the model resold: what describes the model, not the route, is the model's.
      if (route !== null && model) for (const key of MODEL_KEYS) if (body[key] === undefined && model[key] !== undefined) body[key] = model[key];
      const entries = listed.get(`${m.id}\u0000${route ?? ''}`);
      if (entries) {
        for (const e of entries) place(e.folder, e.id, sortKeys({ id: e.id, name: e.name ?? m.name, ...body }));
        continue;
      }
      // A regional sub-route (bedrock/eu) has ids of its own there (eu.amazon.nova-lite-v1:0) that the
      // ledger's do not give: under the model's plain id its price would pass for the route's own.
      const folder = route === null ? mostCommon(vendorFolder.get(vendor)) : route.includes('/') ? undefined : mostCommon(routeFolder.get(route));
      if (!folder || !reference.providers[folder]) {
        const label = route === null ? vendor : `route:${route}`;
        unknownProviders[label] = (unknownProviders[label] ?? 0) + 1;
        continue;
      }
      const id = route !== null && mostCommon(nested.get(folder)) === 'vendor' ? m.id : rest.join('/');
      if (taken.has(`${folder}/${id}`) || api[folder]?.models[id]) continue;
      place(folder, id, sortKeys({ id, name: m.name, ...body }));
    }
  }
  const sorted = Object.fromEntries(
    Object.keys(api)
      .sort()
      .map((folder) => [folder, sortKeys({ ...api[folder], models: sortKeys(api[folder].models) })]),
  );
  return { api: sorted, unknownProviders: sortKeys(unknownProviders) };
}

/** models.dev keys that describe a model wherever it is served (the extractor reads them only off its vendor's folder). */
const MODEL_KEYS = ['release_date', 'knowledge', 'open_weights'] as const;

const COSTS = {
  input_price: 'input', output_price: 'output', cached_input_price: 'cache_read', cache_write_price: 'cache_write',
  audio_input_price: 'input_audio', audio_output_price: 'output_audio',
} as const;

/** One route's values as a models.dev model (without id and name); null when none has a models.dev field. */
function modelBody(values: DatasetValue[]): Record<string, unknown> | null {
  const base = new Map<string, DatasetValue['value']>();
  const tiers = new Map<number, Record<string, number>>();
  for (const v of values) {
    const parts = parseCondition(withoutRoute(v.condition));
    const cost = COSTS[v.field as keyof typeof COSTS];
    if (parts.length === 0) base.set(v.field, v.value);
    else if (cost && parts.length === 1 && parts[0].kind === 'context' && typeof v.value === 'number') {
      const tier = tiers.get(parts[0].above) ?? {};
      tier[cost] = v.value;
      tiers.set(parts[0].above, tier);
    }
  }
  const out: Record<string, unknown> = {};
  const cost: Record<string, unknown> = {};
  for (const [field, key] of Object.entries(COSTS)) if (typeof base.get(field) === 'number') cost[key] = base.get(field);
  if (Object.keys(cost).length) {
    const sizes = [...tiers.keys()].sort((a, b) => a - b);
    if (sizes.length) cost.tiers = sizes.map((size) => sortKeys({ tier: { type: 'context', size }, ...tiers.get(size)! }));
    // models.dev still emits the single 200K tier under its legacy name for older readers.
    if (sizes.length === 1 && sizes[0] === 200_000) cost.context_over_200k = sortKeys({ ...tiers.get(200_000)! });
    out.cost = sortKeys(cost);
  }
  const limit: Record<string, unknown> = {};
  if (typeof base.get('context_window') === 'number') limit.context = base.get('context_window');
  if (typeof base.get('max_input_tokens') === 'number') limit.input = base.get('max_input_tokens');
  if (typeof base.get('max_output_tokens') === 'number') limit.output = base.get('max_output_tokens');
  if (Object.keys(limit).length) out.limit = sortKeys(limit);

  const flag = (field: string) => (typeof base.get(field) === 'boolean' ? (base.get(field) as boolean) : undefined);
  const set = (key: string, value: unknown) => {
    if (value !== undefined) out[key] = value;
  };
  set('attachment', flag('vision'));
  set('reasoning', flag('reasoning'));
  set('tool_call', flag('tool_use') ?? flag('function_calling'));
  set('structured_output', flag('structured_outputs'));
  set('open_weights', flag('open_weights'));
  if (typeof base.get('release_date') === 'string') out.release_date = base.get('release_date');
  if (typeof base.get('knowledge_cutoff') === 'string') out.knowledge = base.get('knowledge_cutoff');
  if (Object.keys(out).length === 0) return null;
  // The ledger holds text models; images and audio as its flags say.
  out.modalities = {
    input: ['text', ...(flag('vision') ? ['image'] : []), ...(flag('audio_input') ? ['audio'] : []), ...(flag('pdf_input') ? ['pdf'] : [])],
    output: ['text', ...(flag('audio_output') ? ['audio'] : [])],
  };
  return out;
}
