import { appendFileSync, existsSync, mkdir, mkdirSync, readFileSync, statSync, writeFile } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { inputError } from '../errors.ts';
import { journalLine, JournalEntrySchema, type JournalEntry } from '../schema/journal.ts';

export const JOURNAL_FILE = 'decisions.ndjson';

/**
 * The decisions journal on disk: an append-only file of one JSON line per decision, and beside it
 * `captures/<source>/<sha256>.gz` for the bodies a sync read that the shipped snapshots do not hold
 * (live fetches, ingested files), so the repository alone can rebuild the ledger.
 */
export class Journal {
  /** Captures being written; each never rejects, the first failure is kept in `failure` instead. */
  private readonly writing: Array<Promise<void>> = [];
  private failure: Error | null = null;

  constructor(readonly path: string) {}

  append(entries: JournalEntry[]): void {
    if (entries.length === 0) return;
    mkdirSync(dirname(this.path), { recursive: true });
    appendFileSync(this.path, entries.map((e) => journalLine(e) + '\n').join(''));
  }

  get capturesDir(): string {
    return join(dirname(this.path), 'captures');
  }

  /**
   * Starts keeping a capture's gzipped body beside the journal (once: the name is its hash). Its
   * directory is made and the file written on libuv's threads, by callbacks: a sync keeps reading
   * while a thousand bodies are written, where a synchronous mkdir per source and the promise API's
   * open, write and close held the main thread ~0.5 ms per capture. `captured()` waits for them.
   */
  keepCapture(source: string, sha256: string, gzipped: Uint8Array): void {
    const file = gzippedCapturePath(this.capturesDir, source, sha256);
    this.writing.push(
      new Promise((resolve) => {
        const done = (e: NodeJS.ErrnoException | null) => {
          if (e && e.code !== 'EEXIST') this.failure ??= e;
          resolve();
        };
        mkdir(dirname(file), { recursive: true }, (e) => (e ? done(e) : writeFile(file, gzipped, { flag: 'wx' }, done)));
      }),
    );
  }

  /** Resolves once every capture kept so far is on disk; rejects with the first that could not be written. */
  async captured(): Promise<void> {
    await Promise.all(this.writing.splice(0));
    if (this.failure) throw this.failure;
  }
}

/** Where a capture's body is kept: gzipped, or (as older journals kept them) as it was read. */
function gzippedCapturePath(dir: string, source: string, sha256: string): string {
  return join(dir, source, `${sha256}.gz`);
}

function capturePath(dir: string, source: string, sha256: string): string {
  return join(dir, source, sha256);
}

/** A kept capture's body, gzipped or as read, or null when neither is kept. */
export function readKeptCapture(dir: string, source: string, sha256: string): string | null {
  const gzipped = gzippedCapturePath(dir, source, sha256);
  if (existsSync(gzipped)) {
    try {
      return gunzipSync(readFileSync(gzipped)).toString('utf8');
    } catch {
      // A write cut short leaves a file that does not unzip: the capture is not kept.
    }
  }
  const plain = capturePath(dir, source, sha256);
  return existsSync(plain) ? readFileSync(plain, 'utf8') : null;
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
