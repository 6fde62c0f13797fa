import { sha256Hex } from '../fetch/snapshot-store.ts';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ManifestSchema, type ManifestEntry, type Snapshot } from '../schema/snapshot.ts';
import type { Source } from '../schema/source.ts';
import { inputError } from '../errors.ts';

// Content addressing belongs to the snapshot store; shipped captures use the same hash.
export { sha256Hex } from '../fetch/snapshot-store.ts';

/** The shipped captures in snapshots/manifest.json, which the offline sync replays. */
export function readManifest(dir: string): ManifestEntry[] {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw inputError(`${path}: not JSON: ${(e as Error).message}`);
  }
  const parsed = ManifestSchema.safeParse(raw);
  if (!parsed.success) throw inputError(`${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** Loads a shipped capture and checks that its body still hashes to its recorded name. */
export function loadShippedSnapshot(dir: string, entry: ManifestEntry, source: Source): Snapshot {
  const body = readFileSync(join(dir, entry.file), 'utf8');
  const sha256 = sha256Hex(body);
  if (sha256 !== entry.sha256) {
    throw inputError(`snapshot ${entry.file} hashes to ${sha256.slice(0, 12)}…, manifest says ${entry.sha256.slice(0, 12)}…`);
  }
  return {
    source_id: source.id,
    sha256,
    observed_at: entry.observed_at,
    url: source.url,
    format: source.format,
    content_type: entry.content_type ?? null,
    body,
  };
}

/** A source's first shipped capture observed after `after` (its oldest when `after` is null). */
export function nextEntry(entries: ManifestEntry[], sourceId: string, after: string | null): ManifestEntry | undefined {
  return entries
    .filter((e) => e.source_id === sourceId && (after === null || e.observed_at > after))
    .sort((a, b) => a.observed_at.localeCompare(b.observed_at))[0];
}
