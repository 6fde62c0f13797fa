import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Snapshot } from '../schema/snapshot.ts';
import type { SourceFormat } from '../schema/source.ts';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

const EXTENSIONS: Record<SourceFormat, string> = { html: 'html', markdown: 'md', json: 'json', text: 'txt' };
const SAFE_ID = /^[a-z0-9][a-z0-9-]*$/;
const STORED_NAME = /^([a-z0-9][a-z0-9-]*)\/([0-9a-f]{64})\.[a-z]+$/;

/** Where a snapshot body lives, relative to the store: `<source_id>/<sha256>.<ext>`. */
export function snapshotPath(snapshot: Pick<Snapshot, 'source_id' | 'sha256' | 'format'>): string {
  if (!SAFE_ID.test(snapshot.source_id)) throw new Error(`unsafe source id for a file name: "${snapshot.source_id}"`);
  return `${snapshot.source_id}/${snapshot.sha256}.${EXTENSIONS[snapshot.format]}`;
}

/**
 * Store a snapshot body under its content hash and return the relative path. A body already
 * stored is not written again; a new one is written to a temporary name and renamed, so a crash
 * never leaves a truncated file under a hash it does not match. Synchronous on purpose: for
 * page-sized files that is a third of the CPU of four async round trips through the thread pool.
 */
export function writeSnapshotFile(dir: string, snapshot: Snapshot): string {
  if (sha256Hex(snapshot.body) !== snapshot.sha256) {
    throw new Error(`snapshot of ${snapshot.source_id} does not hash to its sha256 ${snapshot.sha256}`);
  }
  const relative = snapshotPath(snapshot);
  const target = path.join(dir, relative);
  if (existsSync(target)) return relative;
  mkdirSync(path.dirname(target), { recursive: true });
  const temporary = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temporary, snapshot.body, 'utf8');
  renameSync(temporary, target);
  return relative;
}

/** Read a stored body back, checking it still hashes to the name it is stored under. */
export function readSnapshotFile(dir: string, relative: string): string {
  const match = relative.match(STORED_NAME);
  if (!match) throw new Error(`not a snapshot path: "${relative}" (expected <source_id>/<sha256>.<ext>)`);
  const body = readFileSync(path.join(dir, relative), 'utf8');
  if (sha256Hex(body) !== match[2]) throw new Error(`snapshot file ${relative} is corrupt: its content no longer matches its hash`);
  return body;
}
