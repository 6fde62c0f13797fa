import { accessSync, appendFileSync, constants, existsSync, mkdir, mkdirSync, readFileSync, statSync, writeFile } from 'node:fs';
import { dirname, join } from 'node:path';
import { inputError } from '../errors.ts';
import { journalLine, JournalEntrySchema, type JournalEntry } from '../schema/journal.ts';
import { BODY_ENCODING, decompressBody, type BodyEncoding } from './compression.ts';

export const JOURNAL_FILE = 'decisions.ndjson';

/** Why a path cannot hold the journal: a directory, under a file (EEXIST, ENOTDIR), or not this user's to write. */
const UNWRITABLE_PATH = new Set(['EISDIR', 'EEXIST', 'ENOTDIR', 'EACCES', 'EPERM', 'EROFS']);

/**
 * The decisions journal on disk: an append-only file of one JSON line per decision, and beside it
 * `captures/<source>/<sha256>.br` for the bodies a sync read that the shipped snapshots do not hold
 * (live fetches, ingested files), so the repository alone can rebuild the ledger.
 */
export class Journal {
  /** Captures being written; each never rejects, the first failure is kept in `failure` instead. */
  private readonly writing: Array<Promise<void>> = [];
  private failure: Error | null = null;

  constructor(readonly path: string) {}

  /** Throws (and so rolls back the decision it records) when the journal cannot be written; a path that cannot hold one is bad input. */
  append(entries: JournalEntry[]): void {
    if (entries.length === 0) return;
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      appendFileSync(this.path, entries.map((e) => journalLine(e) + '\n').join(''));
    } catch (e) {
      if (UNWRITABLE_PATH.has((e as NodeJS.ErrnoException).code ?? '')) throw this.unwritable((e as Error).message);
      throw e;
    }
  }

  /**
   * Fails now, as append would, if the journal could not be written, without creating it: a sync
   * checks before it reads anything, so that it never records in the ledger what the journal
   * could not record after it. (Permissions as access(2) reports them: root passes them all, and
   * append still reports what this check cannot see.)
   */
  checkWritable(): void {
    let at = this.path;
    while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
    const wanted = at === this.path ? 'file' : 'directory';
    const found = statSync(at);
    if (wanted === 'file' ? !found.isFile() : !found.isDirectory()) throw this.unwritable(`${at} is not a ${wanted}`);
    try {
      accessSync(at, constants.W_OK);
    } catch {
      throw this.unwritable(`${at} is not writable`);
    }
  }

  private unwritable(why: string) {
    return inputError(`cannot write the decisions journal ${this.path} (--journal FILE): ${why}`);
  }

  get capturesDir(): string {
    return join(dirname(this.path), 'captures');
  }

  /**
   * Starts keeping a capture's body, compressed as the ledger stores it (compressBody), beside the
   * journal (once: the name is its hash). Its directory is made and the file written on libuv's
   * threads, by callbacks: a sync keeps reading while a thousand bodies are written, where a
   * synchronous mkdir per source and the promise API's open, write and close held the main thread
   * ~0.5 ms per capture. `captured()` waits for them.
   */
  keepCapture(source: string, sha256: string, compressed: Uint8Array): void {
    const file = join(this.capturesDir, source, sha256 + KEPT_FORMS[0][0]);
    this.writing.push(
      new Promise((resolve) => {
        const done = (e: NodeJS.ErrnoException | null) => {
          if (e && e.code !== 'EEXIST') this.failure ??= e;
          resolve();
        };
        mkdir(dirname(file), { recursive: true }, (e) => (e ? done(e) : writeFile(file, compressed, { flag: 'wx' }, done)));
      }),
    );
  }

  /** Resolves once every capture kept so far is on disk; rejects with the first that could not be written. */
  async captured(): Promise<void> {
    await Promise.all(this.writing.splice(0));
    if (this.failure) throw this.failure;
  }
}

/** How a kept capture's file is named and what it holds: as captures are kept now, then as older journals kept them. */
const KEPT_FORMS: Array<[suffix: string, encoding: BodyEncoding]> = [
  [`.${BODY_ENCODING}`, BODY_ENCODING],
  ['.gz', 'gzip'],
  ['', 'identity'],
];

/** A kept capture's body, in whichever form it was kept, or null when it is not kept. */
export function readKeptCapture(dir: string, source: string, sha256: string): string | null {
  for (const [suffix, encoding] of KEPT_FORMS) {
    const file = join(dir, source, sha256 + suffix);
    if (!existsSync(file)) continue;
    try {
      return decompressBody(readFileSync(file), encoding);
    } catch {
      // A write cut short leaves a file that does not decompress: the capture is not kept in it.
    }
  }
  return null;
}

/**
 * Reads and checks every line of a journal. A line that is not JSON, or not a decision, is an
 * input error naming its line; nothing is returned unless every line parses.
 */
export function readJournal(path: string): JournalEntry[] {
  if (!existsSync(path)) throw inputError(`no such journal: ${path}`);
  if (!statSync(path).isFile()) throw inputError(`not a file: ${path}`);
  const lines = readFileSync(path, 'utf8').split('\n');
  const entries: JournalEntry[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (e) {
      throw inputError(`${path}:${i + 1}: not a JSON line: ${(e as Error).message}`);
    }
    const parsed = JournalEntrySchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw inputError(`${path}:${i + 1}: not a journal entry: ${issue.path.join('.') || 'line'}: ${issue.message}`);
    }
    entries.push(parsed.data);
  });
  return entries;
}
