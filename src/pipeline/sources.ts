import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SourceSchema, type Source } from '../schema/source.ts';
import { inputError } from '../errors.ts';
import { codeText, keptParse, type ParseCache } from './kept-parse.ts';

/**
 * Reads and validates every sources/*.json file; one bad file names itself and stops the run.
 * With a cache, files whose names and bytes (and the schema) are those last validated are not
 * validated again: the cache hands back what validating them gave.
 */
export function loadSources(dir: string, cache?: ParseCache): Source[] {
  if (!existsSync(dir)) throw inputError(`no sources directory at ${dir} (--sources DIR)`);
  if (!statSync(dir).isDirectory()) throw inputError(`${dir} is not a directory of source files (--sources DIR)`);
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  if (files.length === 0) throw inputError(`no source files (*.json) in ${dir}`);
  const texts = files.map((file) => readSourceText(join(dir, file)));
  const key = () => {
    const hash = createHash('sha256').update(codeText('schema/source'));
    files.forEach((file, i) => hash.update(`\u0000${file}\u0000${texts[i].length}\u0000`).update(texts[i]));
    return hash.digest('hex');
  };
  return keptParse(cache, key, () => {
    const sources = files.map((file, i) => parseSourceText(join(dir, file), texts[i]));
    const ids = new Set<string>();
    for (const s of sources) {
      if (ids.has(s.id)) throw inputError(`source id "${s.id}" is defined twice in ${dir}`);
      ids.add(s.id);
    }
    return sources;
  });
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
