import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where what a parse gave is kept between runs (a ledger's meta), as JSON `{ key, value }`. */
export interface ParseCache {
  read(): string | null;
  write(value: string): void;
}

/**
 * What `parse` gives for the inputs `key` fingerprints: kept in `cache`, and handed back instead
 * of parsing again while the key stays the same. In a fresh process the parsing code is still
 * cold: a thousand source files took ~50 ms to validate, a one-kilobyte alias registry ~15 ms to
 * read as YAML, a large share of a re-sync where every page answers 304. What JSON cannot hold
 * (sets, maps) `keep` turns into what it can and `revive` back.
 */
export function keptParse<T>(
  cache: ParseCache | undefined,
  key: () => string,
  parse: () => T,
  keep: (value: T) => unknown = (value) => value,
  revive: (kept: unknown) => T = (kept) => kept as T,
): T {
  if (!cache) return parse();
  const fingerprint = key();
  const kept = keptValue(cache);
  if (kept?.key === fingerprint) return revive(kept.value);
  const value = parse();
  cache.write(JSON.stringify({ key: fingerprint, value: keep(value) }));
  return value;
}

/** What the cache holds; anything unreadable there is as good as nothing (the inputs are parsed again). */
function keptValue(cache: ParseCache): { key: string; value: unknown } | null {
  try {
    const kept = JSON.parse(cache.read() ?? 'null') as { key?: unknown; value?: unknown } | null;
    return typeof kept?.key === 'string' && kept.value !== undefined ? { key: kept.key, value: kept.value } : null;
  } catch {
    return null;
  }
}

const codeTexts = new Map<string, string>();
/**
 * The text of one of the package's own modules, `path` relative to src/ without its extension
 * (read as .ts under tsx, as .js in dist/): a change to the code that parses must invalidate
 * what it parsed.
 */
export function codeText(path: string): string {
  let text = codeTexts.get(path);
  if (text === undefined) {
    const here = fileURLToPath(import.meta.url);
    text = readFileSync(fileURLToPath(new URL(`../${path}${extname(here)}`, import.meta.url)), 'utf8');
    codeTexts.set(path, text);
  }
  return text;
}
