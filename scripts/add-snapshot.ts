/**
 * Adds a capture to the shipped snapshots: copies FILE to snapshots/<source>/<sha256>.<ext>
 * and records it in snapshots/manifest.json.
 *   tsx scripts/add-snapshot.ts FILE --source ID --observed-at YYYY-MM-DD [--content-type TYPE]
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { sha256Hex, readManifest } from '../src/pipeline/manifest.ts';
import { DEFAULT_SNAPSHOTS_DIR } from '../src/paths.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { source: { type: 'string' }, 'observed-at': { type: 'string' }, 'content-type': { type: 'string' } },
});
const [file] = positionals;
if (!file || !values.source || !values['observed-at']) {
  console.error('usage: tsx scripts/add-snapshot.ts FILE --source ID --observed-at YYYY-MM-DD [--content-type TYPE]');
  process.exit(64);
}
const sha256 = sha256Hex(readFileSync(file, 'utf8'));
const relative = join(values.source, `${sha256}${extname(file) || '.txt'}`);
mkdirSync(join(DEFAULT_SNAPSHOTS_DIR, values.source), { recursive: true });
copyFileSync(file, join(DEFAULT_SNAPSHOTS_DIR, relative));
const observedAt = new Date(values['observed-at']).toISOString();
const manifest = readManifest(DEFAULT_SNAPSHOTS_DIR).filter((e) => e.sha256 !== sha256 || e.source_id !== values.source);
manifest.push({ source_id: values.source, observed_at: observedAt, sha256, file: relative, content_type: values['content-type'] ?? null });
manifest.sort((a, b) => a.source_id.localeCompare(b.source_id) || a.observed_at.localeCompare(b.observed_at));
writeFileSync(join(DEFAULT_SNAPSHOTS_DIR, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
console.log(`added ${relative} (${values.source}, ${observedAt})`);
