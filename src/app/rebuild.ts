import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inputError } from '../errors.ts';
import { removeAlias, removeDistinct } from '../normalize/aliases.ts';
import { canonicalModelId } from '../normalize/identity.ts';
import { acquireLock } from '../pipeline/lock.ts';
import { loadShippedSnapshot, readManifest, sha256Hex } from '../pipeline/manifest.ts';
import { runPipeline, type Acquired } from '../pipeline/sync.ts';
import { approveChanges, rejectChanges } from '../review/decide.ts';
import type { Change } from '../schema/change.ts';
import { LIMIT_NAMES, type JournalEntry, type SyncRead } from '../schema/journal.ts';
import type { Snapshot } from '../schema/snapshot.ts';
import type { Source } from '../schema/source.ts';
import { Journal, keptCaptureFiles, readJournal, readKeptCapture } from '../store/journal.ts';
import type { Ledger } from '../store/ledger.ts';
import { replayAliasDecisions, restoreAliasDecisions } from './models.ts';
import { reconcileNow } from './sync.ts';
import { aliasesOf, sourcesOf, withLedger, type Workspace } from './workspace.ts';

export interface RebuildResult {
  db: string;
  journal: string;
  syncs: number;
  decisions: number;
  /** Decisions that found no pending change to act on (a conflict, or a change a sync no longer proposes), with why. */
  skipped: Array<{ line: number; action: string; reason: string }>;
  /** Alias decisions the journal holds and the registry file (--aliases) lacked, written back into it. */
  restored: Array<{ name: string; id: string; relation: 'alias' | 'distinct' }>;
}

type Numbered = { line: number; entry: JournalEntry };
type AliasEntry = Extract<JournalEntry, { action: 'alias' | 'distinct' }>;

/**
 * Recreates a ledger from the snapshots and a decisions journal: every sync replayed on the very
 * captures it read (shipped snapshots, or the bodies kept in captures/ beside the journal), every
 * decision applied in order at its own time and by its own reviewer. Nothing is written unless the
 * whole journal parses and every capture it names is found. Two decisions on one change: the first
 * in the journal's order (the earlier time; at equal times the reviewer whose name sorts first)
 * stands, the later finds the change decided and is reported as skipped.
 */
export async function rebuildLedger(ws: Workspace, journalFile: string): Promise<RebuildResult> {
  const entries = readJournal(journalFile).map((entry, i) => ({ entry, line: i + 1 }));
  const readBytes = statSync(journalFile).size;
  const numbered = numberLines(journalFile, entries);
  checkTimeOrder(journalFile, numbered);
  if (existsSync(ws.db)) {
    const used = withLedger(ws, (ledger) => ledger.runs.meta('diff_basis') !== null || ledger.changes.tally().length > 0);
    if (used) throw inputError(`${ws.db} already holds a ledger: a rebuild writes a new one (remove it first, or pass another --db)`);
  }
  const sources = new Map(sourcesOf(ws).map((s) => [s.id, s]));
  const { capturesDir } = new Journal(journalFile);
  const bodies = captureFinder(ws.snapshotsDir, capturesDir, sources);
  for (const { line, entry } of numbered) {
    if (entry.action !== 'sync') continue;
    for (const r of entry.reads) {
      if (!sources.has(r.source)) throw inputError(`${journalFile}:${line}: unknown source "${r.source}" (not in ${ws.sourcesDir})`);
      if (r.read === 'snapshot' && bodies(r.source, r.sha256!) === null) {
        const [kept] = keptCaptureFiles(capturesDir, r.source, r.sha256!);
        throw inputError(
          kept
            ? `${journalFile}:${line}: capture ${r.sha256!.slice(0, 12)}… of ${r.source} is kept in ${kept}, but that file does not decompress to a body with its hash (damaged or edited)`
            : `${journalFile}:${line}: capture ${r.sha256!.slice(0, 12)}… of ${r.source} is neither a shipped snapshot nor kept in captures/ beside the journal`,
        );
      }
    }
  }

  // The alias registry as it stood before the journal's first decision, in a scratch copy the replay edits.
  const scratch = mkdtempSync(join(tmpdir(), 'model-ledger-rebuild-'));
  const aliasesFile = join(scratch, 'aliases.yaml');
  let registry = existsSync(ws.aliasesFile) ? readFileSync(ws.aliasesFile, 'utf8') : 'models: {}\ndistinct: []\n';
  for (const { entry } of [...numbered].reverse()) {
    if (entry.action === 'alias') registry = removeAlias(registry, aliasIdOf(entry), entry.name);
    if (entry.action === 'distinct') registry = removeDistinct(registry, canonicalModelId(entry.name), entry.id);
  }
  writeFileSync(aliasesFile, registry);
  const rws: Workspace = { ...ws, aliasesFile, journal: null };

  const result: RebuildResult = { db: ws.db, journal: journalFile, syncs: 0, decisions: 0, skipped: [], restored: [] };
  const release = acquireLock(ws.db);
  try {
    await withLedger(rws, async (ledger) => {
      const all = [...sources.values()];
      const pending = new PendingIndex();
      for (let i = 0; i < numbered.length; i++) {
        const { entry } = numbered[i];
        const at = entry.at;
        // Anything but a decision may queue, refresh or supersede changes: index the queue afresh.
        if (entry.action !== 'approve' && entry.action !== 'reject') pending.reset();
        switch (entry.action) {
          case 'sync': {
            const reads = new Map(entry.reads.map((r) => [r.source, r]));
            const targets = entry.reads.map((r) => sources.get(r.source)!);
            // With the limits the sync ran with: they decided which of its captures were drift.
            const limits = Object.fromEntries(Object.entries(entry.limits ?? {}).map(([key, value]) => [LIMIT_NAMES[key as keyof typeof LIMIT_NAMES], value]));
            await runPipeline(ledger, { sources: all, aliases: aliasesOf(rws), now: () => at, limits }, targets, async (s) => acquired(s, reads.get(s.id)!, bodies));
            result.syncs++;
            break;
          }
          case 'approve':
          case 'reject': {
            // One command's decisions share a time, a reviewer and a note: decided together, as it did.
            const batch: Numbered[] = [numbered[i]];
            while (i + 1 < numbered.length && sameCommand(entry, numbered[i + 1].entry)) batch.push(numbered[++i]);
            const ids: number[] = [];
            for (const { line: at_line, entry: e } of batch) {
              const change = pending.take(ledger, e as DecisionEntry);
              if (change) ids.push(change.id);
              else result.skipped.push({ line: at_line, action: e.action, reason: `no pending change ${describe(e as DecisionEntry)} with this evidence` });
            }
            if (ids.length === 0) break;
            if (entry.action === 'approve') approveChanges(ledger, ids, { reviewer: entry.by, note: entry.note ?? undefined, at, rule: entry.rule }, all);
            else rejectChanges(ledger, ids, { reviewer: entry.by, reason: entry.reason, at });
            result.decisions += ids.length;
            break;
          }
          case 'pin':
            ledger.overrides.pin({ model: entry.model, field: entry.field, condition: entry.condition, value: entry.value, reason: entry.reason, reviewer: entry.by, created_at: at });
            reconcileNow(ledger, rws, at);
            result.decisions++;
            break;
          case 'lift':
            ledger.overrides.lift(entry.model, entry.field, entry.condition, entry.by, at);
            ledger.audit.record(entry.by, 'lift-override', `${entry.model} ${entry.field}`, { condition: entry.condition }, at);
            reconcileNow(ledger, rws, at);
            result.decisions++;
            break;
          case 'alias':
          case 'distinct': {
            // One command's settlements (alias --all) share a time and a reviewer: replayed together, reconciled once.
            const batch: AliasEntry[] = [entry];
            while (i + 1 < numbered.length && isAliasEntry(numbered[i + 1].entry) && numbered[i + 1].entry.at === at && numbered[i + 1].entry.by === entry.by) {
              batch.push(numbered[++i].entry as AliasEntry);
            }
            replayAliasDecisions(ledger, rws, batch.map(aliasDecisionOf), entry.by, at);
            result.decisions += batch.length;
            break;
          }
        }
      }
      // The rebuilt ledger stands where the journal stood when it was read: decisions go on from there.
      ledger.journalMark().set({ path: resolve(journalFile), bytes: readBytes });
    }, { create: true });
    const settled = numbered.flatMap(({ entry }) => (isAliasEntry(entry) ? [aliasDecisionOf(entry)] : []));
    result.restored = restoreAliasDecisions(ws.aliasesFile, settled).map((d) => ({ name: d.name, id: d.id, relation: d.distinct ? 'distinct' : 'alias' }));
  } finally {
    release();
    rmSync(scratch, { recursive: true, force: true });
  }
  return result;
}

function numberLines(file: string, entries: Numbered[]): Numbered[] {
  // readJournal skips blank lines; number entries by their line in the file for messages.
  const lines = readFileSync(file, 'utf8').split('\n');
  const numbers = lines.flatMap((l, i) => (l.trim() === '' ? [] : [i + 1]));
  return entries.map((e, i) => ({ entry: e.entry, line: numbers[i] }));
}

/**
 * Decisions wait at most this long for the ledger's write lock between taking their time and
 * being appended: two reviewers deciding at once may append a few seconds out of time order.
 */
const DECISION_SKEW_MS = 60_000;

/**
 * A journal's decisions must come in time order: its order is what a rebuild replays, and decides
 * which of two decisions on one change stands. Journals merged by concatenation (a union merge)
 * put one reviewer's later decision before another's earlier one, and the rebuild would let it
 * stand. A sync's line is not checked: it carries the time its run began and is appended when the
 * run ends, after any decision made meanwhile, which is the order that replays it right.
 */
function checkTimeOrder(file: string, numbered: Numbered[]): void {
  let latest: Numbered | null = null;
  for (const here of numbered) {
    if (here.entry.action === 'sync') continue;
    if (latest && Date.parse(here.entry.at) < Date.parse(latest.entry.at) - DECISION_SKEW_MS) {
      throw inputError(
        `${file}:${here.line}: a decision dated ${here.entry.at}, before the decision on line ${latest.line} (${latest.entry.at}): the journal's decisions are out of time order ` +
          '(journals merged without sorting?). Merge journals with `sort -u`, which puts every line in time order',
      );
    }
    if (!latest || Date.parse(here.entry.at) > Date.parse(latest.entry.at)) latest = here;
  }
}

const isAliasEntry = (e: JournalEntry): e is AliasEntry => e.action === 'alias' || e.action === 'distinct';
const aliasIdOf = (e: AliasEntry): string => e.id;
const aliasDecisionOf = (e: AliasEntry) => ({ name: e.name, id: e.id, distinct: e.action === 'distinct' });

type DecisionEntry = Extract<JournalEntry, { action: 'approve' | 'reject' }>;

const describe = (e: DecisionEntry) => `${e.model} ${e.field}${e.condition ? ` [${e.condition}]` : ''} → ${JSON.stringify(e.new_value)}`;

/** Two lines of one approve/reject command: same action, time, reviewer, note or reason, and rule. */
function sameCommand(a: JournalEntry, b: JournalEntry): boolean {
  if (a.action !== b.action || a.at !== b.at || a.by !== b.by) return false;
  if (a.action === 'approve' && b.action === 'approve') return (a.note ?? null) === (b.note ?? null) && a.rule === b.rule;
  if (a.action === 'reject' && b.action === 'reject') return a.reason === b.reason;
  return false;
}

/**
 * The pending queue by key, built once per run of decisions (a journal of a first import holds tens
 * of thousands of approvals in a row); the change a decision names: same key, kind, values and evidence.
 */
class PendingIndex {
  private byKey: Map<string, Change[]> | null = null;

  reset(): void {
    this.byKey = null;
  }

  take(ledger: Ledger, e: DecisionEntry): Change | null {
    if (!this.byKey) {
      this.byKey = new Map();
      for (const c of ledger.changes.list({ status: 'pending' })) {
        const k = keyOf(c);
        const list = this.byKey.get(k);
        if (list) list.push(c);
        else this.byKey.set(k, [c]);
      }
    }
    const list = this.byKey.get(keyOf(e)) ?? [];
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    const index = list.findIndex((c) => c.kind === e.kind && same(c.new_value, e.new_value) && c.evidence_key === e.evidence_key);
    if (index < 0) return null;
    return list.splice(index, 1)[0];
  }
}

const keyOf = (k: { model: string; field: string; condition: string }) => `${k.model}\u0000${k.field}\u0000${k.condition}`;

type Found = { content_type: string | null; body: () => string };
type Bodies = (source: string, sha256: string) => Found | null;

/** Finds a capture's body: a shipped snapshot (by its manifest), else one kept beside the journal. */
function captureFinder(snapshotsDir: string, capturesDir: string, sources: Map<string, Source>): Bodies {
  const manifest = readManifest(snapshotsDir);
  return (source, sha256) => {
    const entry = manifest.find((m) => m.source_id === source && m.sha256 === sha256);
    if (entry) return { content_type: entry.content_type ?? null, body: () => loadShippedSnapshot(snapshotsDir, entry, sources.get(source)!).body };
    const body = readKeptCapture(capturesDir, source, sha256);
    return body !== null && sha256Hex(body) === sha256 ? { content_type: null, body: () => body } : null;
  };
}

function acquired(source: Source, read: SyncRead, bodies: Bodies): Acquired {
  if (read.read === 'failed') return { status: 'failed', errorClass: 'replay', message: read.error ?? 'failed' };
  if (read.read === 'unchanged') return { status: 'unchanged' };
  const found = bodies(source.id, read.sha256!)!;
  const snapshot: Snapshot = { source_id: source.id, sha256: read.sha256!, observed_at: read.observed_at!, url: source.url, format: source.format, content_type: found.content_type, body: found.body() };
  return { status: 'snapshot', origin: read.origin ?? 'replay', snapshot };
}
