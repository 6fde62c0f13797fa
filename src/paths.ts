import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root, so that the shipped sources/ and snapshots/ are found from any working directory. */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_SOURCES_DIR = join(PACKAGE_ROOT, 'sources');
export const DEFAULT_SNAPSHOTS_DIR = join(PACKAGE_ROOT, 'snapshots');
/** The alias registry reviewers edit. */
export const DEFAULT_ALIAS_FILE = join(PACKAGE_ROOT, 'aliases.yaml');
/** The SQLite ledger, relative to the working directory. */
export const DEFAULT_DB_PATH = 'data/ledger.sqlite';
