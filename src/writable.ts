import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Why `path` could not be written as a `kind`, without creating anything, or null when it could:
 * the path itself when it exists, else its nearest existing ancestor, which must be a directory.
 * Permissions are as access(2) reports them (root passes them all; the write still reports what
 * this cannot see). Commands check their output paths with it before they read or commit anything.
 */
export function unwritable(path: string, kind: 'file' | 'directory'): string | null {
  if (path.trim() === '') return 'an empty path';
  let at = path;
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
  const wanted = at === path ? kind : 'directory';
  const found = statSync(at);
  if (wanted === 'file' ? !found.isFile() : !found.isDirectory()) return `${at} is not a ${wanted}`;
  try {
    accessSync(at, constants.W_OK);
  } catch {
    return `${at} is not writable`;
  }
  return null;
}
