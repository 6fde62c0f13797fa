import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SourceSchema, type Source } from '../schema/source.ts';
import { inputError } from '../errors.ts';


/** Reads and validates every sources/*.json file; one bad file names itself and stops the run. */
export function loadSources(dir: string): Source[] {
  if (!existsSync(dir)) throw inputError(`no sources directory at ${dir} (--sources DIR)`);
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  if (files.length === 0) throw inputError(`no source files (*.json) in ${dir}`);
  const sources = files.map((file) => parseSourceFile(join(dir, file)));
  const ids = new Set<string>();
  for (const s of sources) {
    if (ids.has(s.id)) throw inputError(`source id "${s.id}" is defined twice in ${dir}`);
    ids.add(s.id);
  }
  return sources;
}

export function parseSourceFile(path: string): Source {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
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
