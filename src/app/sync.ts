import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { inputError } from '../errors.ts';
import { parseFetcherOptions, type FetcherOptionsInput } from '../fetch/options.ts';
import { parsePointInTime } from '../normalize/dates.ts';
import { acquireLock } from '../pipeline/lock.ts';
import { sha256Hex } from '../pipeline/manifest.ts';
import { notificationBody, notify } from '../pipeline/notify.ts';
import { runSync, type Reading } from '../pipeline/run-sync.ts';
import { selectSources } from '../pipeline/sources.ts';
import { captureLimits, DEFAULT_CAPTURE_LIMITS, reconcileAndQueue, runPipeline, type CaptureLimits, type PipelineOptions } from '../pipeline/sync.ts';
import { formatSummaryMarkdown } from '../review/format.ts';
import type { SyncSummary } from '../schema/sync.ts';
import type { Journal } from '../store/journal.ts';
import type { Ledger } from '../store/ledger.ts';
import { LIMIT_NAMES, type SyncLimits, type SyncRead } from '../schema/journal.ts';
import { unwritable } from '../writable.ts';
import type { Policy } from '../review/policy.ts';
import { applyPolicy, countByRule } from './policy.ts';
import { triageLedger } from './review.ts';
import { aliasesOf, journalOf, sourcesOf, withLedger, type Workspace } from './workspace.ts';
import { readInputPage } from './input-file.ts';

/** What to do with a sync's summary besides returning it. */
export interface SyncReport {
  /** Write the summary as Markdown here (a CI step summary, a PR body). */
  markdownFile?: string;
  /** POST a JSON notification here when changes await review. */
  webhook?: string;
  /** Told what could not be delivered; the sync itself still succeeded. */
  onWarning?: (message: string) => void;
}

export interface SyncRequest {
  offline?: boolean;
  /** Only these source ids (all others still weigh in reconciliation). */
  sources?: string[];
  fetch?: Partial<FetcherOptionsInput>;
  extractWorkers?: number;
  /** How much one capture may yield before its source fails (claims, new models). */
  limits?: Partial<CaptureLimits>;
  report?: SyncReport;
  /** Reconcile and diff everything even when nothing they read changed since the last sync. */
  full?: boolean;
  /** Approve what this policy's rules approve once the changes are queued (default: none, all manual). */
  policy?: Policy;
}

/** One sync of the workspace's ledger under its lock: read sources, extract, reconcile, queue changes. */
export async function syncLedger(ws: Workspace, request: SyncRequest = {}): Promise<SyncSummary> {
  checkReport(request.report);
  // Checked before the lock is taken and anything is read: a bad option is the caller's to fix.
  if (!request.offline) parseFetcherOptions(request.fetch);
  captureLimits(request.limits);
  return journalledRun(ws, request, (ledger, recording) => {
    const all = sourcesOf(ws, ledger);
    const targets = selectSources(all, request.sources);
    const reading: Reading = request.offline ? { offline: true, snapshotsDir: ws.snapshotsDir } : { offline: false, fetch: request.fetch };
    return runSync(ledger, { sources: all, aliases: aliasesOf(ws, ledger), extractWorkers: request.extractWorkers, limits: request.limits, full: request.full, ...recording }, targets, reading);
  });
}

/** Records a local file as a new capture of a source, as if fetched at `observedAt`, and runs the rest of the pipeline. */
export async function ingestFile(ws: Workspace, file: string, request: { source: string; observedAt?: string; limits?: Partial<CaptureLimits>; report?: SyncReport; policy?: Policy; full?: boolean }): Promise<SyncSummary> {
  checkReport(request.report);
  const all = sourcesOf(ws);
  const [source] = selectSources(all, [request.source]);
  const body = readInputPage(file, source.format);
  const observedAt = request.observedAt !== undefined ? timestampOf(request.observedAt) : new Date().toISOString();
  captureLimits(request.limits);
  return journalledRun(ws, request, (ledger, recording) => {
    const snapshot = { source_id: source.id, sha256: sha256Hex(body), observed_at: observedAt, url: source.url, format: source.format, content_type: null, body };
    return runPipeline(ledger, { sources: all, aliases: aliasesOf(ws, ledger), limits: request.limits, full: request.full, ...recording }, [source], async () => ({ status: 'snapshot', origin: 'ingest', snapshot }));
  });
}

/**
 * A run that reads into the ledger, under its lock and with its journal: the journal is checked
 * and the ledger marked as owing it this run's line before anything is read; the run gets one
 * time for everything it records (the one its journal line records and a rebuild replays) and a
 * keeper for the bodies it captures; after it come the kept bodies on disk, the journal line
 * (which settles what was owed), the policy's approvals and the report.
 */
async function journalledRun(
  ws: Workspace,
  request: { policy?: Policy; report?: SyncReport; limits?: Partial<CaptureLimits> },
  run: (ledger: Ledger, recording: Pick<PipelineOptions, 'keepBody' | 'now'>) => Promise<SyncSummary>,
): Promise<SyncSummary> {
  journalOf(ws)?.checkWritable();
  const release = acquireLock(ws.db);
  try {
    return await withLedger(ws, async (ledger) => {
      const journal = journalOf(ws, ledger);
      const at = new Date().toISOString();
      journal?.owe(at);
      const summary = await run(ledger, { keepBody: bodyKeeper(journal), now: () => at });
      await Promise.all([journal?.captured(), ledger.checkpointed()]);
      afterPipeline(ledger, ws, journal, summary, request, at);
      await deliver(ledger, ws, summary, request.report, request.policy?.large_move_pct);
      return summary;
    }, { create: true });
  } finally {
    release();
  }
}

/**
 * Keeps beside the journal each body the shipped snapshots do not hold, so a rebuild can replay it:
 * the compressed bytes the ledger stores, rather than the body compressed a second time.
 */
function bodyKeeper(journal: Journal | undefined): PipelineOptions['keepBody'] {
  return journal ? (source, sha256, compressed) => journal.keepCapture(source, sha256, compressed) : undefined;
}

/**
 * After the pipeline queued its changes: the journal records what this sync read (so a rebuild
 * replays the same captures; their bodies were kept as they were recorded), then the policy
 * approves what its rules allow, each approval journalled with its rule.
 */
function afterPipeline(ledger: Ledger, ws: Workspace, journal: Journal | undefined, summary: SyncSummary, request: { policy?: Policy; limits?: Partial<CaptureLimits> }, at: string): void {
  const { policy } = request;
  if (journal) {
    const reads = summary.sources.filter((r) => r.outcome !== 'live-only').map((r): SyncRead => {
      if (r.outcome === 'failed') return { source: r.source_id, read: 'failed', error: r.problems.join('; ') };
      if (r.outcome === 'unchanged' || !r.snapshot) return { source: r.source_id, read: 'unchanged' };
      const capture = ledger.captures.ofSnapshot(r.source_id, r.snapshot)!;
      return { source: r.source_id, read: 'snapshot', sha256: r.snapshot, observed_at: capture.observed_at, origin: capture.origin };
    });
    journal.append([{ at, by: 'model-ledger', action: 'sync', limits: journalLimits(request.limits), reads }], { owed: true });
  }
  if (policy && policy.rules.length > 0) {
    const approved = applyPolicy(ledger, ws, policy);
    summary.auto_approved = countByRule(approved);
    summary.changes.pending = ledger.changes.count('pending');
  }
}

/** The limits a run was given that are not the defaults, as the journal names them; none, undefined. */
function journalLimits(given: Partial<CaptureLimits> | undefined): SyncLimits | undefined {
  const limits = captureLimits(given);
  const differing = Object.entries(LIMIT_NAMES).filter(([, name]) => limits[name] !== DEFAULT_CAPTURE_LIMITS[name]);
  return differing.length ? Object.fromEntries(differing.map(([key, name]) => [key, limits[name]])) : undefined;
}

/** Reconciles the current claims again and queues what moved: after a pin, a lift or an alias. */
export function reconcileNow(ledger: Ledger, ws: Workspace, at?: string): SyncSummary {
  return reconcileAndQueue(ledger, { sources: sourcesOf(ws, ledger), aliases: aliasesOf(ws, ledger), ...(at ? { now: () => at } : {}) }, []);
}

/** A user's date (YYYY-MM-DD or ISO timestamp), checked; calendar dates become their midnight UTC. */
export function pointInTime(input: string): string {
  try {
    return parsePointInTime(input);
  } catch (e) {
    throw inputError((e as Error).message);
  }
}

/** Clocks disagree by minutes, not by a day: a later observation is a typo, not a capture. */
const CLOCK_SKEW_MS = 86_400_000;

/**
 * When an ingested file was observed. Never in the future: a capture dated ahead would stay its
 * source's newest, and every real capture after it would be shelved as an older one.
 */
function timestampOf(input: string, now = Date.now()): string {
  const at = pointInTime(input);
  const stamp = at.includes('T') ? at : `${at}T00:00:00.000Z`;
  if (Date.parse(stamp) > now + CLOCK_SKEW_MS) throw inputError(`--observed-at ${input} is in the future: name when the file was read`);
  return stamp;
}

/**
 * Where a run's report goes is checked before the run reads or commits anything: a summary file
 * that cannot be written, or a webhook that is no http(s) URL, is the caller's to fix, not a
 * failure after the changes were queued.
 */
function checkReport(report: SyncReport | undefined): void {
  const file = report?.markdownFile;
  const why = file === undefined ? null : unwritable(file, 'file');
  if (why) throw inputError(`cannot write the summary ${file} (--summary FILE): ${why}`);
  checkWebhook(report?.webhook);
}

function checkWebhook(url: string | undefined): void {
  if (url === undefined) return;
  let protocol = '';
  try {
    protocol = new URL(url).protocol;
  } catch {
    // not a URL at all: refused below
  }
  if (protocol !== 'http:' && protocol !== 'https:') throw inputError(`--notify needs an http(s) URL, not "${url}"`);
}

/** The summary and the notification; `largeMovePct`: the policy's triage bound, so the summary groups as the policy judged. */
async function deliver(ledger: Ledger, ws: Workspace, summary: SyncSummary, report: SyncReport | undefined, largeMovePct?: number): Promise<void> {
  if (!report) return;
  if (report.markdownFile) {
    mkdirSync(dirname(report.markdownFile), { recursive: true });
    writeFileSync(report.markdownFile, formatSummaryMarkdown(summary, triageLedger(ledger, ledger.changes.list({ status: 'pending' }), largeMovePct).changes));
  }
  if (report.webhook && summary.changes.pending > 0) {
    const sent = await notify(report.webhook, notificationBody(summary, ws.db));
    if (!sent.ok) report.onWarning?.(`webhook ${report.webhook} failed: ${sent.error ?? `HTTP ${sent.status}`}`);
  }
}
