import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { inputError } from '../errors.ts';
import { journalLine, JournalEntrySchema, type JournalEntry } from '../schema/journal.ts';

export const JOURNAL_FILE = 'decisions.ndjson';

/**
 * The decisions journal on disk: an append-only file of one JSON line per decision, and beside it
 * `captures/<source>/<sha256>` for the bodies a sync read that the shipped snapshots do not hold
 * (live fetches, ingested files), so the repository alone can rebuild the ledger.
 */
export class Journal {
  constructor(readonly path: string) {}

  append(entries: JournalEntry[]): void {
    if (entries.length === 0) return;
    mkdirSync(dirname(this.path), { recursive: true });
    appendFileSync(this.path, entries.map((e) => journalLine(e) + '\n').join(''));
  }

  get capturesDir(): string {
    return join(dirname(this.path), 'captures');
  }

  /** Keeps a capture's body beside the journal (once: the name is its hash). */
  keepCapture(source: string, sha256: string, body: string): void {
    const file = capturePath(this.capturesDir, source, sha256);
    if (existsSync(file)) return;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, body);
  }
}

export function capturePath(dir: string, source: string, sha256: string): string {
  return join(dir, source, sha256);
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
