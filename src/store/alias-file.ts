import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { emptyRegistry, parseAliasRegistry, type AliasRegistry } from '../normalize/aliases.ts';
import { inputError } from '../errors.ts';
import { DEFAULT_ALIAS_FILE } from '../paths.ts';

const EMPTY_REGISTRY_TEXT = 'models: {}\ndistinct: []\n';

/** Reads the registry file; a missing file is an empty registry, a malformed one an error. */
export function loadAliasRegistry(file: string = DEFAULT_ALIAS_FILE): AliasRegistry {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyRegistry();
    throw inputError(`cannot read the alias registry ${file} (--aliases FILE): ${(err as Error).message}`);
  }
  return parseAliasRegistry(text, file);
}

/** Rewrites the registry file with `edit` applied to its text (a missing file starts empty). */
export function editAliasFile(file: string, edit: (text: string) => string): void {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : EMPTY_REGISTRY_TEXT;
  writeFileSync(file, edit(text));
}
