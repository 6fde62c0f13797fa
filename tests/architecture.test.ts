/**
 * The layout's rules (README, Layout), checked on the real import graph of src/: the pure core
 * never reaches I/O, edges never reach the use cases, and nothing reaches the CLI.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');

interface Import {
  from: string;
  /** The room imported (`store`, `cli.ts`, ...) or `pkg:NAME` for a package or Node built-in. */
  to: string;
  spec: string;
}

/** The room of a path under src/: its first folder, or the file itself at the top. */
const roomOf = (path: string): string => path.split('/')[0];

function importsOf(file: string, text: string): Import[] {
  const found: Import[] = [];
  const pattern = /^\s*(?:import|export)\s(?:[^'"]*?\sfrom\s)?\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;
  for (const m of text.matchAll(pattern)) {
    const spec = m[1] ?? m[2];
    if (spec.startsWith('.')) {
      const target = normalize(join(dirname(file), spec));
      found.push({ from: file, to: roomOf(target), spec });
    } else {
      found.push({ from: file, to: `pkg:${spec.startsWith('node:') ? spec : spec.split('/')[0]}`, spec });
    }
  }
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

const PURE_CORE = ['extract', 'normalize', 'reconcile', 'diff'];
const IO_PACKAGES = ['pkg:better-sqlite3', 'pkg:undici', 'pkg:node:fs', 'pkg:node:fs/promises', 'pkg:node:worker_threads', 'pkg:node:child_process', 'pkg:node:http', 'pkg:node:net', 'pkg:playwright-core'];
const FACES = ['cli.ts', 'cli', 'index.ts'];

/** Per room, what it must not import. */
const FORBIDDEN: Record<string, string[]> = {
  schema: ['extract', 'normalize', 'reconcile', 'diff', 'fetch', 'store', 'export', 'pipeline', 'app', 'review', ...FACES, ...IO_PACKAGES],
  ...Object.fromEntries(
    PURE_CORE.map((room) => [room, ['fetch', 'store', 'export', 'pipeline', 'app', 'review', 'paths.ts', ...FACES, ...IO_PACKAGES]]),
  ),
  fetch: ['store', 'export', 'pipeline', 'app', 'review', ...FACES],
  store: ['fetch', 'export', 'pipeline', 'app', 'review', ...FACES],
  export: ['fetch', 'pipeline', 'app', 'review', ...FACES],
  pipeline: ['app', 'review', ...FACES],
  review: ['app', 'pipeline', ...FACES],
  app: FACES,
  'cli.ts': ['store', 'pipeline'],
  cli: ['store', 'pipeline'],
};

/** Every import that breaks a rule, as "file -> spec (room)". */
export function violations(imports: Import[]): string[] {
  return imports
    .filter((i) => {
      const room = roomOf(i.from);
      if (FORBIDDEN[room]?.includes(i.to)) return true;
      // Nothing outside the CLI reaches into it.
      return (i.to === 'cli.ts' || i.to === 'cli') && room !== 'cli.ts' && room !== 'cli';
    })
    .map((i) => `${i.from} -> ${i.spec} (${i.to})`);
}

function graph(): Import[] {
  return sourceFiles(SRC).flatMap((path) => importsOf(relative(SRC, path), readFileSync(path, 'utf8')));
}

describe('architecture', () => {
  it('reads the real import graph', () => {
    const imports = graph();
    // The checker sees the edges it is about: were the reader broken, the rules would pass vacuously.
    expect(imports.some((i) => i.from.startsWith('diff/') && i.to === 'schema')).toBe(true);
    expect(imports.some((i) => i.from.startsWith('store/') && i.to === 'pkg:better-sqlite3')).toBe(true);
    expect(imports.some((i) => i.from.startsWith('cli/') && i.to === 'app')).toBe(true);
    expect(imports.some((i) => i.from.startsWith('pipeline/') && i.to === 'pkg:node:worker_threads')).toBe(true);
  });

  it('keeps every room to its rules', () => {
    expect(violations(graph())).toEqual([]);
  });

  it('flags the imports the rules forbid', () => {
    const probe = (from: string, text: string) => violations(importsOf(from, text));
    expect(probe('diff/diff.ts', "import { Ledger } from '../store/ledger.ts';")).toEqual(['diff/diff.ts -> ../store/ledger.ts (store)']);
    expect(probe('reconcile/run.ts', "import { readFileSync } from 'node:fs';")).toHaveLength(1);
    expect(probe('extract/json.ts', "import type { Fetcher } from '../fetch/fetcher.ts';")).toHaveLength(1);
    expect(probe('normalize/aliases.ts', "export { syncLedger } from '../app/sync.ts';")).toHaveLength(1);
    expect(probe('extract/pool.ts', "const m = await import('undici');")).toHaveLength(1);
    expect(probe('app/sync.ts', "import { buildProgram } from '../cli.ts';")).toHaveLength(1);
    expect(probe('store/captures.ts', "import type { FetchState } from '../fetch/types.ts';")).toHaveLength(1);
    expect(probe('cli.ts', "import { Ledger } from './store/ledger.ts';")).toHaveLength(1);
    expect(probe('diff/diff.ts', "import type { Fact } from '../schema/fact.ts';")).toEqual([]);
  });
});
