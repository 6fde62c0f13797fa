import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { parseAliasRegistry, type AliasRegistry } from '../normalize/aliases.ts';
import { DEFAULT_ALIAS_FILE, DEFAULT_SNAPSHOTS_DIR, DEFAULT_SOURCES_DIR } from '../paths.ts';
import { codeText, keptParse, type ParseCache } from '../pipeline/kept-parse.ts';
import { loadSources } from '../pipeline/sources.ts';
import type { Source } from '../schema/source.ts';
import { loadAliasRegistry } from '../store/alias-file.ts';
import { DEFAULT_DB_PATH, Ledger } from '../store/ledger.ts';
import { Journal, JOURNAL_FILE } from '../store/journal.ts';
import { dirname, join } from 'node:path';
import { inputError, usageError } from '../errors.ts';
import { lockHolder } from '../pipeline/lock.ts';

/** Where one ledger's files live: the database, the source files, the shipped snapshots and the alias registry. */
export interface Workspace {
  db: string;
  sourcesDir: string;
  snapshotsDir: string;
  aliasesFile: string;
  /** The decisions journal every decision is appended to; null writes none (a rebuild replaying one). */
  journal: string | null;
}

/** A workspace: what is given, else $MODEL_LEDGER_DB / _SOURCES / _SNAPSHOTS / _ALIASES, else the package's own. */
export function workspace(given: Partial<Workspace> = {}): Workspace {
  for (const [option, path] of Object.entries(PATH_OPTIONS)) {
    // An empty --db is an anonymous temporary database: a sync into it would succeed and keep nothing.
    if (given[path] === '') throw usageError(`${option} is empty: give a path (a variable a script meant to pass may be unset)`);
  }
  const db = given.db ?? fromEnv('MODEL_LEDGER_DB') ?? DEFAULT_DB_PATH;
  return {
    db,
    sourcesDir: given.sourcesDir ?? fromEnv('MODEL_LEDGER_SOURCES') ?? DEFAULT_SOURCES_DIR,
    snapshotsDir: given.snapshotsDir ?? fromEnv('MODEL_LEDGER_SNAPSHOTS') ?? DEFAULT_SNAPSHOTS_DIR,
    aliasesFile: given.aliasesFile ?? fromEnv('MODEL_LEDGER_ALIASES') ?? DEFAULT_ALIAS_FILE,
    journal: given.journal !== undefined ? given.journal : (fromEnv('MODEL_LEDGER_JOURNAL') ?? defaultJournal(db)),
  };
}

/** Each path of a workspace by the option that gives it. */
const PATH_OPTIONS = { '--db': 'db', '--sources': 'sourcesDir', '--snapshots': 'snapshotsDir', '--aliases': 'aliasesFile', '--journal': 'journal' } as const;

/** An environment variable set to nothing counts as unset, as a shell's `${VAR:-default}` has it. */
const fromEnv = (name: string): string | undefined => process.env[name] || undefined;

/** The journal beside the ledger's directory: data/decisions.ndjson for data/ledger.sqlite. */
export const defaultJournal = (db: string): string => join(dirname(db), JOURNAL_FILE);

/** The workspace's journal; given the ledger it records that ledger's decisions, and refuses them once the two are out of step. */
export const journalOf = (ws: Workspace, ledger?: Ledger): Journal | undefined =>
  ws.journal ? new Journal(ws.journal, ledger && { ...ledger.journalMark(), busy: () => lockHolder(ws.db) }) : undefined;

/** A parse kept in the ledger's meta under `key`. */
const metaCache = (ledger: Ledger, key: string): ParseCache => ({ read: () => ledger.runs.meta(key), write: (value) => ledger.runs.setMeta(key, value) });

/** With the ledger, the sources it last validated are reused while their files stay byte for byte the same. */
export const sourcesOf = (ws: Workspace, ledger?: Ledger): Source[] => loadSources(ws.sourcesDir, ledger && metaCache(ledger, VALIDATED_SOURCES));
const VALIDATED_SOURCES = 'validated_sources';

/** With the ledger, the registry it last read is reused while the file (and the code reading it) stays byte for byte the same. */
export function aliasesOf(ws: Workspace, ledger?: Ledger): AliasRegistry {
  const text = ledger ? textOf(ws.aliasesFile) : null;
  // The loader says what a missing or unreadable file means.
  if (!ledger || text === null) return loadAliasRegistry(ws.aliasesFile);
  const key = () => createHash('sha256').update(codeText('normalize/aliases')).update(codeText('normalize/identity')).update(text).digest('hex');
  return keptParse(metaCache(ledger, READ_ALIASES), key, () => parseAliasRegistry(text, ws.aliasesFile), keptRegistry, revivedRegistry);
}
const READ_ALIASES = 'read_aliases';

function textOf(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

type KeptRegistry = { byAlias: Array<[string, string]>; ids: string[]; distinct: string[] };
const keptRegistry = (registry: AliasRegistry): KeptRegistry => ({ byAlias: [...registry.byAlias], ids: [...registry.ids], distinct: [...registry.distinct] });
const revivedRegistry = (kept: unknown): AliasRegistry => {
  const { byAlias, ids, distinct } = kept as KeptRegistry;
  return { byAlias: new Map(byAlias), ids: new Set(ids), distinct: new Set(distinct) };
};

/**
 * Runs `use` on the workspace's ledger and closes it after, also when `use` throws or its promise
 * rejects. Only a command that records captures (`create`: sync, ingest, rebuild) makes a ledger
 * that does not exist yet: any other would open a mistyped --db as a new, empty one, and an
 * export from it would replace a published dataset with an empty one.
 */
export function withLedger<T>(ws: Workspace, use: (ledger: Ledger) => T, options: { create?: boolean } = {}): T {
  if (!options.create && ws.db !== ':memory:' && !existsSync(ws.db)) {
    throw inputError(`no ledger at ${ws.db}: \`model-ledger sync\` makes one (or check --db and $MODEL_LEDGER_DB)`);
  }
  const created = ws.db !== ':memory:' && !existsSync(ws.db);
  const ledger = new Ledger(ws.db);
  // A command that fails leaves no ledger it made: an empty one would export as an empty dataset.
  const failed = (e: unknown): never => {
    ledger.close();
    if (created) for (const suffix of ['', '-wal', '-shm']) rmSync(ws.db + suffix, { force: true });
    throw e;
  };
  let result: T;
  try {
    result = use(ledger);
  } catch (e) {
    return failed(e);
  }
  if (result instanceof Promise) {
    return result.then((value: unknown) => {
      ledger.close();
      return value;
    }, failed) as T;
  }
  ledger.close();
  return result;
}
