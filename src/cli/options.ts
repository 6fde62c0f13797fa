/** How the command line's options are read: value parsers, shared option sets, exit codes of a sync. */
import { Command, InvalidArgumentError } from 'commander';
import type { SyncReport } from '../app/index.ts';
import { EXIT } from '../errors.ts';
import { ExportFormatSchema, type ExportFormat } from '../schema/dataset.ts';
import type { SyncSummary } from '../schema/sync.ts';

const EXPORT_FORMATS = ExportFormatSchema.options;

/** A whole number of at least `min`, or a usage error naming the option. */
export function integer(min: number): (text: string) => number {
  return (text) => {
    const n = Number(text);
    if (text.trim() === '' || !Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected a whole number ≥ ${min}`);
    return n;
  };
}

/** `--min-yield PCT` for sync and ingest: a capture yielding less than this share of its source's last good one is drift. */
export const MIN_YIELD = [
  '--min-yield <pct>',
  "a capture naming fewer than this % of the models (or yielding fewer than this % of the figures) of its source's last good capture is drift, not removals (default 50; 0 accepts any)",
  (text: string) => {
    const pct = integer(0)(text);
    if (pct > 100) throw new InvalidArgumentError('expected a whole number from 0 to 100');
    return pct;
  },
] as const;

/** A positive number of percent ("25", "12.5"), or a usage error naming the option and what was typed. */
export function percentage(text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive percentage');
  return n;
}

export function exportFormats(list: string): ExportFormat[] {
  const names = list.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.includes('all')) return [...EXPORT_FORMATS];
  const unknown = names.filter((n) => !(EXPORT_FORMATS as readonly string[]).includes(n));
  if (unknown.length) throw new InvalidArgumentError(`unknown export format(s): ${unknown.join(', ')} (formats: ${EXPORT_FORMATS.join(', ')}, all)`);
  return names as ExportFormat[];
}

export function syncExitCode(summary: SyncSummary): number {
  const failed = summary.sources.filter((s) => s.outcome === 'failed' || s.outcome === 'drift').length;
  if (failed === 0) return EXIT.ok;
  const read = summary.sources.filter((s) => s.outcome !== 'live-only').length;
  return failed === read ? EXIT.allFailed : EXIT.partial;
}

export function syncReport(o: { summary?: string; notify?: string }): SyncReport {
  return { markdownFile: o.summary, webhook: o.notify, onWarning: (m) => process.stderr.write(`model-ledger: ${m}\n`) };
}

export const withReportOptions = (c: Command) =>
  c
    .option('--summary <file>', 'also write the summary as Markdown (for a CI step summary or a PR body)')
    .option('--notify <url>', 'POST a JSON notification to this webhook when changes await review')
    .option('--quiet', 'print nothing but errors')
    .option('--json', 'print the summary as JSON');

/** The review policy a sync or an ingest applies, or none. */
export const withPolicyOptions = (c: Command) =>
  c
    .option('--policy <file>', 'review policy that approves routine changes (default: $MODEL_LEDGER_POLICY, else ./review-policy.yaml if present)')
    .option('--no-policy', 'apply no review policy, whatever $MODEL_LEDGER_POLICY or ./review-policy.yaml says: every change waits for a reviewer');

/** Batch review: approve/reject take a selection as well as ids. */
export const withSelectionOptions = (c: Command) =>
  c
    .argument('[ids...]', 'change ids')
    .option('--all', 'every pending change')
    .option('--source <id>', 'pending changes whose new value this source supports')
    .option('--model <name>', 'pending changes of this model (canonical id or alias)')
    .option('--provider <slug>', "pending changes of this provider's models")
    .option('--field <field>', 'pending changes of this field')
    .option('--kind <kind>', 'pending changes of this kind: added, changed or removed')
    .option('--group <group>', 'pending changes of this triage group: disputed, large-move, removal, new-model, routine')
    .option('--dry-run', 'print exactly which changes would be decided, and write nothing')
    .option('--reviewer <name>', 'who (default: $MODEL_LEDGER_REVIEWER or the OS user)')
    .option('--json', 'print as JSON');
