/**
 * Assemble models.dev's `api.json` from a `providers/` tree, the way https://models.dev/api.json is
 * built from the models.dev repository: provider id -> the provider's `provider.toml` fields plus
 * `id` and `models`, each model keyed by its path under `models/` without `.toml` (so
 * `providers/openrouter/models/anthropic/claude-opus-4.6.toml` is model `anthropic/claude-opus-4.6`).
 *
 *   npx tsx scripts/build-models-dev-api.ts ../shared/corpus/models-dev/providers_2026-07-02.tar.gz \
 *     --out /work/tmp/models-dev-api_2026-07-02.json
 *
 * The input is a `.tar.gz` holding `providers/` (unpacked with `tar` into a temporary directory),
 * or a directory holding `providers/`, or the `providers/` directory itself. The two shipped inputs
 * are `providers_2026-06-01.tar.gz` and `providers_2026-07-02.tar.gz` in ../shared/corpus/models-dev/:
 * the models.dev repository's `providers/` tree at commits of 2026-06-01 and 2026-07-01/02 (the
 * tarballs' file dates). The output's keys are sorted at every level and it is written compact, so
 * two builds of one tree are byte-identical.
 *
 * Inheritance, resolved here as models.dev's own build resolves it at parse time:
 * - `[extends] from = "<provider>/<model>"` (the 2026-06-01 tree): the model is that provider's
 *   model, deep-merged with this file (tables merge, arrays and scalars replace), then the dotted
 *   paths in `omit` are dropped.
 * - `base_model = "<lab>/<model>"` (the 2026-07-02 tree): the model inherits the lab's metadata in
 *   the repository's top-level `models/<lab>/<model>.toml`. That directory is NOT in the tarballs;
 *   the lab's own provider folder stands in for it (`providers/<lab>/models/<model>.toml`, without
 *   the provider-only keys `cost`, `reasoning_options`, `interleaved`, `status`, `provider`,
 *   `experimental`). Then `base_model_omit` is applied. Where no stand-in exists (nvidia/..., meta/...,
 *   a lab's own file pointing at itself), the model keeps only what its file says, and the build
 *   reports it on stderr: those entries lack inherited fields (name, limits) the live file has.
 * - `extends`, `base_model` and `base_model_omit` do not appear in the output.
 * - `cost.context_over_200k` (legacy; models.dev emits it for old consumers) is added when the
 *   cost has exactly one context tier and it starts at 200,000 tokens; `cost.tiers` stays as written.
 * - Symlinked model files are followed; dangling links are skipped and reported.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, sep } from 'node:path';
import { parseToml, type TomlTable, type TomlValue } from './toml.ts';

const PROVIDER_ONLY = ['cost', 'reasoning_options', 'interleaved', 'status', 'provider', 'experimental'];

const isTable = (v: unknown): v is TomlTable => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface BuildWarning {
  /** What went wrong, the same words for every file it happened to. */
  kind: string;
  /** The file or model it happened to. */
  at: string;
}

export interface BuildReport {
  providers: number;
  models: number;
  warnings: BuildWarning[];
}

/** Tables merge key by key; arrays and scalars of the child replace the parent's. */
export function deepMerge(parent: TomlTable, child: TomlTable): TomlTable {
  const out: TomlTable = { ...parent };
  for (const [key, value] of Object.entries(child)) {
    const base = out[key];
    out[key] = isTable(base) && isTable(value) ? deepMerge(base, value) : value;
  }
  return out;
}

/** Drop a dotted path ("cost.context_over_200k", "experimental.modes.fast"), copying on the way. */
export function omitPath(model: TomlTable, path: string): TomlTable {
  const [head, ...rest] = path.split('.');
  if (!(head in model)) return model;
  const out = { ...model };
  if (rest.length === 0) delete out[head];
  else if (isTable(out[head])) out[head] = omitPath(out[head] as TomlTable, rest.join('.'));
  return out;
}

function withoutKeys(model: TomlTable, keys: readonly string[]): TomlTable {
  const out = { ...model };
  for (const key of keys) delete out[key];
  return out;
}

function sortKeys(value: TomlValue): TomlValue {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isTable(value)) return value;
  const out: TomlTable = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys(value[key]);
  return out;
}

/** The legacy single-tier spelling, only where it says what it means (one tier, at 200k). */
function withLegacyTier(model: TomlTable): TomlTable {
  const cost = model.cost;
  if (!isTable(cost) || !Array.isArray(cost.tiers) || 'context_over_200k' in cost) return model;
  const tiers = cost.tiers.filter(isTable);
  const contextTiers = tiers.filter((t) => isTable(t.tier) && (t.tier.type === undefined || t.tier.type === 'context'));
  if (contextTiers.length !== 1 || tiers.length !== 1) return model;
  const only = contextTiers[0];
  if ((only.tier as TomlTable).size !== 200_000) return model;
  return { ...model, cost: { ...cost, context_over_200k: withoutKeys(only, ['tier']) } };
}

/** Every `.toml` under `dir`, symlinks followed, as [path relative to dir without .toml, file]. */
function modelFiles(dir: string, warnings: BuildWarning[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const walk = (at: string) => {
    for (const name of readdirSync(at).sort()) {
      const path = join(at, name);
      let stat;
      try {
        stat = statSync(path);
      } catch {
        warnings.push({ kind: 'dangling symlink skipped', at: relative(join(dir, '..', '..'), path) });
        continue;
      }
      if (stat.isDirectory()) walk(path);
      else if (name.endsWith('.toml')) out.push([relative(dir, path).slice(0, -'.toml'.length).split(sep).join('/'), path]);
    }
  };
  walk(dir);
  return out;
}

/** The api.json object for a `providers/` directory. */
export function buildApi(providersDir: string): { api: Record<string, TomlTable>; report: BuildReport } {
  const warnings: BuildWarning[] = [];
  const providers = new Map<string, TomlTable>();
  const raw = new Map<string, TomlTable>();
  for (const id of readdirSync(providersDir).sort()) {
    const providerFile = join(providersDir, id, 'provider.toml');
    if (!existsSync(providerFile)) continue;
    providers.set(id, parseToml(readFileSync(providerFile, 'utf8')));
    const modelsDir = join(providersDir, id, 'models');
    if (!existsSync(modelsDir)) continue;
    for (const [modelId, file] of modelFiles(modelsDir, warnings)) raw.set(`${id}/${modelId}`, parseToml(readFileSync(file, 'utf8')));
  }

  const resolved = new Map<string, TomlTable>();
  const resolve = (key: string, stack: string[]): TomlTable => {
    const done = resolved.get(key);
    if (done) return done;
    const own = raw.get(key)!;
    let model = withoutKeys(own, ['extends', 'base_model', 'base_model_omit']);
    const ext = own.extends;
    if (isTable(ext) && typeof ext.from === 'string') {
      const from = ext.from;
      if (!raw.has(from) || stack.includes(from) || from === key) warnings.push({ kind: 'extends a missing or circular model: kept as written', at: `${key} -> ${from}` });
      else model = deepMerge(resolve(from, [...stack, key]), model);
      for (const path of Array.isArray(ext.omit) ? ext.omit : []) if (typeof path === 'string') model = omitPath(model, path);
    }
    if (typeof own.base_model === 'string') {
      const lab = own.base_model;
      if (!raw.has(lab) || stack.includes(lab) || lab === key) warnings.push({ kind: 'base_model has no stand-in under providers/: kept as written', at: `${key} -> ${lab}` });
      else model = deepMerge(withoutKeys(resolve(lab, [...stack, key]), PROVIDER_ONLY), model);
      for (const path of Array.isArray(own.base_model_omit) ? own.base_model_omit : []) if (typeof path === 'string') model = omitPath(model, path);
    }
    model = withLegacyTier(model);
    resolved.set(key, model);
    return model;
  };

  const api: Record<string, TomlTable> = {};
  let models = 0;
  for (const [id, fields] of providers) {
    const entry: TomlTable = { name: id, ...fields, id, models: {} };
    const prefix = `${id}/`;
    for (const key of raw.keys()) {
      if (!key.startsWith(prefix)) continue;
      const modelId = key.slice(prefix.length);
      (entry.models as TomlTable)[modelId] = { ...resolve(key, []), id: modelId };
      models++;
    }
    api[id] = sortKeys(entry) as TomlTable;
  }
  return { api: sortKeys(api) as Record<string, TomlTable>, report: { providers: providers.size, models, warnings } };
}

/** `providers/` inside a tarball or a directory. */
function withProvidersDir<T>(input: string, use: (providersDir: string) => T): T {
  if (statSync(input).isDirectory()) {
    const inner = join(input, 'providers');
    return use(existsSync(inner) ? inner : input);
  }
  const dir = mkdtempSync(join(tmpdir(), 'models-dev-'));
  try {
    execFileSync('tar', ['-xzf', input, '-C', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
    return use(join(dir, 'providers'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function main(argv: string[]): void {
  const outAt = argv.indexOf('--out');
  const out = outAt >= 0 ? argv[outAt + 1] : undefined;
  const input = argv.find((a, i) => !a.startsWith('--') && i !== outAt + 1);
  if (!input || !out) {
    console.error('usage: npx tsx scripts/build-models-dev-api.ts PROVIDERS.tar.gz|DIR --out api.json');
    process.exit(64);
  }
  const { api, report } = withProvidersDir(input, buildApi);
  const text = JSON.stringify(api);
  const bytes = Buffer.byteLength(text);
  writeFileSync(out, text);
  const byKind = new Map<string, string[]>();
  for (const { kind, at } of report.warnings) byKind.set(kind, [...(byKind.get(kind) ?? []), at]);
  for (const [kind, where] of byKind) console.error(`${where.length} x ${kind} (e.g. ${where.slice(0, 3).join(', ')})`);
  console.error(`${basename(out)}: ${report.providers} providers, ${report.models} models, ${bytes} bytes`);
}

if (process.argv[1] && import.meta.filename === process.argv[1]) main(process.argv.slice(2));
