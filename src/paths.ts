import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root, so that the shipped sources/ and snapshots/ are found from any working directory. */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_SOURCES_DIR = join(PACKAGE_ROOT, 'sources');
export const DEFAULT_SNAPSHOTS_DIR = join(PACKAGE_ROOT, 'snapshots');
