import { appendFileSync, closeSync, existsSync, mkdir, mkdirSync, openSync, readFileSync, readSync, statSync, writeFile } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { inputError } from '../errors.ts';
import { unwritable } from '../writable.ts';
import { journalLine, JournalEntrySchema, type JournalEntry } from '../schema/journal.ts';
import { BODY_ENCODING, decompressBody, type BodyEncoding } from './compression.ts';

export const JOURNAL_FILE = 'decisions.ndjson';

/** Why a path cannot hold the journal: a directory, under a file (EEXIST, ENOTDIR), or not this user's to write. */
const UNWRITABLE_PATH = new Set(['EISDIR', 'EEXIST', 'ENOTDIR', 'EACCES', 'EPERM', 'EROFS']);

/**
 * Where a ledger last left its journal: the journal's path and its size once the ledger's last
 * decision was appended. Kept in the ledger, written in the same transaction as the decision;
 * `hold` runs the check, the append and the new mark under the ledger's write lock, so that two
 * commands on one ledger (a sync and an approve) append one after the other and each sees the
 * other's mark.
 */
export interface JournalMark {
  get(): JournalPlace | null;
  set(mark: JournalPlace): void;
  hold<T>(fn: () => T): T;
  /** What the ledger has recorded so far, as a text that moves with each capture, change, decision or approval. */
  trace(): string;
  /** Why the ledger is busy (a sync holds its lock), or null: an owed line may still be coming. */
  busy?: () => Error | null;
}

/**
 * `owed`: the time of a run begun on the ledger whose journal line is not yet appended (see
 * Journal.owe), and `trace` the ledger's trace when it began.
 */
export interface JournalPlace {
  path: string;
  bytes: number;
  owed?: string;
  trace?: string;
}

/**
 * The decisions journal on disk: an append-only file of one JSON line per decision, and beside it
 * `captures/<source>/<sha256>.br` for the bodies a sync read that the shipped snapshots do not hold
 * (live fetches, ingested files), so the repository alone can rebuild the ledger.
 */
export class Journal {
  /** Captures being written; each never rejects, the first failure is kept in `failure` instead. */
  private readonly writing: Array<Promise<void>> = [];
  private failure: Error | null = null;

  /** `mark`: the ledger that records its decisions here, so that it can tell when the two went out of step. */
  constructor(
    readonly path: string,
    private readonly mark?: JournalMark,
  ) {}

  /**
   * Throws (and so rolls back the decision it records) when the journal cannot be written, or is
   * not where the ledger left it; a path that cannot hold one is bad input. Each entry starts a
   * line of its own, even after a last line cut short or saved without its newline.
   */
  append(entries: JournalEntry[], options: { owed?: boolean } = {}): void {
    if (entries.length === 0) return;
    if (this.mark) this.mark.hold(() => this.appendNow(entries, options.owed ?? false));
    else this.appendNow(entries, false);
  }

  /**
   * Marks the ledger as owing this journal a run's line before the run writes anything. A sync
   * stopped after it committed captures and queued changes but before its line was appended (a
   * kill, bodies that could not be kept) leaves the ledger ahead of the journal: a decision on what
   * it queued would be lost to the next rebuild, so until the line is appended (`append` with
   * `owed`) the ledger is out of step. A run that stopped before it recorded anything (a bad
   * source file, a kill while fetching) left the ledger's trace as it was, and owes nothing.
   */
  owe(at: string): void {
    const mark = this.mark;
    mark?.hold(() => mark.set({ path: resolve(this.path), bytes: this.inStep(false), owed: at, trace: mark.trace() }));
  }

  private appendNow(entries: JournalEntry[], owed: boolean): void {
    const size = this.inStep(owed);
    const text = (size > 0 && lastByte(this.path, size) !== 0x0a ? '\n' : '') + entries.map((e) => journalLine(e) + '\n').join('');
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      appendFileSync(this.path, text);
    } catch (e) {
      if (UNWRITABLE_PATH.has((e as NodeJS.ErrnoException).code ?? '')) throw this.unwritable((e as Error).message);
      throw e;
    }
    this.mark?.set({ path: resolve(this.path), bytes: size + Buffer.byteLength(text) });
  }

  /**
   * The journal's size; throws unless it is the size the ledger's last decision left it at. A
   * command killed after its decision reached the journal but before the ledger committed it
   * (or a journal changed elsewhere: a pull, an edit) leaves the two telling different stories,
   * and a decision made on the ledger's would be lost to the journal's: a rebuild makes them one.
   * `owed`: the entries to append are the line the ledger owes, so its owing it is in step.
   */
  private inStep(owed: boolean): number {
    const found = existsSync(this.path) ? statSync(this.path) : null;
    const size = found?.isFile() ? found.size : 0;
    const place = this.mark?.get();
    const here = resolve(this.path);
    // Another journal that still exists is where this ledger's decisions are (a mistyped --journal
    // would start a second record a rebuild never reads); one gone was moved with its directory.
    if (place && place.path !== here && existsSync(place.path)) {
      throw inputError(`this ledger records its decisions in ${place.path}, not ${this.path}: name that journal (--journal, $MODEL_LEDGER_JOURNAL), or rebuild a ledger from this one`);
    }
    if (place && place.path === here && place.bytes !== size) {
      throw inputError(
        `the ledger is not in step with its journal ${this.path}: the journal holds ${size} bytes where the ledger's last decision left ${place.bytes} ` +
          '(a command stopped between writing the journal and the ledger, or the journal was changed elsewhere). ' +
          'The journal is the record: move the ledger aside and `model-ledger rebuild --journal ' + this.path + '`, then decide again',
      );
    }
    if (place?.owed && !owed && place.trace !== this.mark!.trace()) {
      // A sync still running owes its line until it ends: a decision now would come before it in the journal.
      const busy = this.mark!.busy?.();
      if (busy) throw busy;
      throw inputError(
        `the ledger is ahead of its journal ${this.path}: a sync begun at ${place.owed} recorded in the ledger but stopped before its journal line was written ` +
          '(killed, or its bodies could not be kept beside the journal), so a rebuild would not have what it read or queued. ' +
          'The journal is the record: move the ledger aside and `model-ledger rebuild --journal ' + this.path + '`, then sync again',
      );
    }
    return size;
  }

  /**
   * Fails now, as append would, if the journal could not be written, without creating it: a sync
   * checks before it reads anything, so that it never records in the ledger what the journal
   * could not record after it. (Permissions as access(2) reports them: root passes them all, and
   * append still reports what this check cannot see.)
   */
  checkWritable(): void {
    const why = unwritable(this.path, 'file');
    if (why) throw this.unwritable(why);
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

function lastByte(path: string, size: number): number {
  const fd = openSync(path, 'r');
  try {
    const byte = Buffer.alloc(1);
    readSync(fd, byte, 0, 1, size - 1);
    return byte[0];
  } finally {
    closeSync(fd);
  }
}

/** How a kept capture's file is named and what it holds: as captures are kept now, then as older journals kept them. */
const KEPT_FORMS: Array<[suffix: string, encoding: BodyEncoding]> = [
  [`.${BODY_ENCODING}`, BODY_ENCODING],
  ['.gz', 'gzip'],
  ['', 'identity'],
];

/** The files a capture is kept in, in whichever forms (normally one; none when it is not kept). */
export function keptCaptureFiles(dir: string, source: string, sha256: string): string[] {
  return KEPT_FORMS.map(([suffix]) => join(dir, source, sha256 + suffix)).filter((file) => existsSync(file));
}

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
