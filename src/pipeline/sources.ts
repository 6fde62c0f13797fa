import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SourceSchema, type Source } from '../schema/source.ts';
import { inputError } from '../errors.ts';

/**
 * Where the last validated set of sources is kept between runs, as JSON `{ key, sources }`. A
 * thousand source files take ~50 ms to validate in a fresh process (the schema's code is still
 * cold), a large share of a re-sync where every page answers 304.
 */
export interface ValidatedSourcesCache {
  read(): string | null;
  write(value: string): void;
}

let schemaText: string | undefined;
/** The schema module's own text (source.ts, or source.js in dist/): a change to it invalidates the cache. */
const sourceSchemaText = (): string =>
  (schemaText ??= readFileSync(fileURLToPath(new URL(`../schema/source${extname(fileURLToPath(import.meta.url))}`, import.meta.url)), 'utf8'));

/**
 * Reads and validates every sources/*.json file; one bad file names itself and stops the run.
 * With a cache, files whose names and bytes (and the schema) are those last validated are not
 * validated again: the cache hands back what validating them gave.
 */
export function loadSources(dir: string, cache?: ValidatedSourcesCache): Source[] {
  if (!existsSync(dir)) throw inputError(`no sources directory at ${dir} (--sources DIR)`);
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  if (files.length === 0) throw inputError(`no source files (*.json) in ${dir}`);
  const texts = files.map((file) => readSourceText(join(dir, file)));
  let key: string | undefined;
  if (cache) {
    const hash = createHash('sha256').update(sourceSchemaText());
    files.forEach((file, i) => hash.update(`\u0000${file}\u0000${texts[i].length}\u0000`).update(texts[i]));
    key = hash.digest('hex');
    const cached = cachedSources(cache);
    if (cached?.key === key) return cached.sources;
  }
  const sources = files.map((file, i) => parseSourceText(join(dir, file), texts[i]));
  const ids = new Set<string>();
  for (const s of sources) {
    if (ids.has(s.id)) throw inputError(`source id "${s.id}" is defined twice in ${dir}`);
    ids.add(s.id);
  }
  if (cache && key) cache.write(JSON.stringify({ key, sources }));
  return sources;
}

/** What the cache holds; anything unreadable there is as good as nothing (the files are validated again). */
function cachedSources(cache: ValidatedSourcesCache): { key: string; sources: Source[] } | null {
  try {
    const value = JSON.parse(cache.read() ?? 'null') as { key?: unknown; sources?: unknown } | null;
    return typeof value?.key === 'string' && Array.isArray(value.sources) ? (value as { key: string; sources: Source[] }) : null;
  } catch {
    return null;
  }
}

function readSourceText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw inputError(`${path}: not valid JSON (${(e as Error).message})`);
  }
}

export function parseSourceFile(path: string): Source {
  return parseSourceText(path, readSourceText(path));
}

function parseSourceText(path: string, text: string): Source {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw inputError(`${path}: not valid JSON (${(e as Error).message})`);
  }
  const { $schema: _ignored, ...body } = raw as Record<string, unknown>;
  const parsed = SourceSchema.safeParse(body);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw inputError(`${path}: ${problems}`);
  }
  return parsed.data;
}

export function selectSources(all: Source[], ids: string[] | undefined): Source[] {
  if (!ids || ids.length === 0) return all;
  const unknown = ids.filter((id) => !all.some((s) => s.id === id));
  if (unknown.length) throw inputError(`unknown source id(s): ${unknown.join(', ')} (known: ${all.map((s) => s.id).join(', ')})`);
  return all.filter((s) => ids.includes(s.id));
}
