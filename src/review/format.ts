import type { Change } from '../schema/change.ts';
import type { ClaimValue } from '../schema/claim.ts';
import type { Fact } from '../schema/fact.ts';
import type { SyncSummary } from '../schema/sync.ts';
import type { PublishedValue } from '../schema/history.ts';
import type { ModelCandidate } from '../schema/model.ts';
import type { ExportResult } from '../export/write.ts';
import type { ChosenValue, RecordsResult } from '../reconcile/records.ts';
import { GROUP_TITLES, TRIAGE_GROUPS, type TriageGroup } from './triage.ts';

/** Plain-text renderings for the terminal; --json output never goes through here. */

export function formatValue(v: ClaimValue | null): string {
  if (v === null) return '(none)';
  return typeof v === 'string' ? v : String(v);
}

const PRICE_NOUN: Record<string, string> = {
  input_price: 'input tokens',
  output_price: 'output tokens',
  cached_input_price: 'cached input tokens',
  cache_write_price: 'cache-write tokens',
  batch_input_price: 'batch input tokens',
  batch_output_price: 'batch output tokens',
  audio_input_price: 'audio input tokens',
  audio_output_price: 'audio output tokens',
};

/** A whole number as people write it: 400K, 1M, else 1,047,576. */
function count(n: number): string {
  if (Number.isInteger(n) && n >= 1_000_000 && n % 1_000_000 === 0) return `${n / 1_000_000}M`;
  if (Number.isInteger(n) && n >= 1000 && n % 1000 === 0) return `${n / 1000}K`;
  return n.toLocaleString('en-US');
}

/** A figure with its unit, for the terminal: "$1.75 / 1M input tokens", "400K tokens". */
export function formatFigure(field: string, v: ClaimValue | null): string {
  if (typeof v !== 'number') return formatValue(v);
  if (PRICE_NOUN[field]) return `$${v} / 1M ${PRICE_NOUN[field]}`;
  if (field === 'context_window' || field === 'max_input_tokens' || field === 'max_output_tokens') return `${count(v)} tokens`;
  if (field === 'parameters') return `${count(v)} parameters`;
  return formatValue(v);
}

const label = (k: { field: string; condition: string }) => `${k.field}${k.condition ? ` [${k.condition}]` : ''}`;

export function formatSummary(s: SyncSummary): string {
  const liveOnly = s.sources.filter((r) => r.outcome === 'live-only').map((r) => r.source_id);
  const lines = s.sources.filter((r) => r.outcome !== 'live-only').map((r) => {
    const detail =
      r.outcome === 'updated' || r.outcome === 'backfilled'
        ? `${r.claims} claims, ${r.models} models`
        : r.problems.join('; ');
    return `  ${r.source_id.padEnd(26)} ${r.outcome.padEnd(10)} ${detail}`.trimEnd();
  });
  const read = s.sources.filter((r) => r.outcome !== 'failed' && r.outcome !== 'drift' && r.outcome !== 'live-only').length;
  return [
    `sources read: ${read}/${s.sources.length - liveOnly.length}`,
    ...lines,
    ...(liveOnly.length ? [`live only (no shipped snapshot; a live sync reads them): ${liveOnly.join(', ')}`] : []),
    `claims: ${s.claims} (${s.anomalies} anomalies)  facts: ${s.facts}  conflicts: ${s.conflicts.resolved} resolved, ${s.conflicts.disputed} disputed`,
    `changes: ${s.changes.queued} newly queued, ${s.changes.pending} pending review${s.changes.pending ? ' (see them with `model-ledger changes` or `model-ledger review --web`)' : ''}`,
    ...(s.new_models ? [`new models: ${s.new_models} awaiting confirmation (model-ledger models --new)`] : []),
    `took ${seconds(s.timings.read_ms + s.timings.reconcile_ms)} (reading ${seconds(s.timings.read_ms)}, reconciling ${seconds(s.timings.reconcile_ms)}${s.reconciled === 'incremental' ? `, ${s.reconciled_keys} changed keys only` : ''})`,
  ].join('\n');
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** A quote as the source wrote it; JSON string values already carry their own quotes. */
function quoted(text: string): string {
  return /^".*"$/s.test(text) ? text : `"${text}"`;
}

export function formatFact(f: Fact): string {
  const claims = f.claims.map(
    (c) => `    ${c.supports ? '+' : '-'} ${c.source_id} (${c.source_kind}) says ${formatFigure(f.field, c.value)}  [${c.locator}] ${quoted(c.quote)}  ${c.observed_at.slice(0, 10)}`,
  );
  return [`${f.model} ${label(f)} = ${formatFigure(f.field, f.value)}  ${f.status}, confidence ${f.confidence.toFixed(2)}`, `  ${f.explanation}`, ...claims].join('\n');
}

export function formatChange(c: Change): string {
  const figure = (v: ClaimValue | null) => formatFigure(c.field, v);
  const move = c.kind === 'changed' ? `${figure(c.old_value)} -> ${figure(c.new_value)}` : c.kind === 'added' ? `+ ${figure(c.new_value)}` : `no longer seen (was ${figure(c.old_value)})`;
  const status = c.fact ? ` (${c.fact.status})` : '';
  return `#${c.id} ${c.status.padEnd(8)} ${c.model} ${label(c)}: ${move}${status}`;
}

export function formatInterval(h: PublishedValue): string {
  return `${h.model} ${label(h)} = ${formatFigure(h.field, h.value)}  from ${h.valid_from.slice(0, 10)} to ${h.valid_to ? h.valid_to.slice(0, 10) : 'now'}${h.change_id ? `  (change #${h.change_id})` : ''}`;
}

/** The sync summary as Markdown, for a CI step summary or a pull-request body. */
/** The sync's report in Markdown (a CI step summary, a PR body): the pending queue grouped by triage, what needs a human first. */
export function formatSummaryMarkdown(s: SyncSummary, pending: Array<Change & { group?: TriageGroup }>): string {
  const failed = s.sources.filter((r) => r.outcome === 'failed' || r.outcome === 'drift');
  const liveOnly = s.sources.filter((r) => r.outcome === 'live-only').map((r) => r.source_id);
  const read = s.sources.length - liveOnly.length;
  const lines = [
    '# model-ledger sync',
    '',
    `${read - failed.length}/${read} sources read · ${s.claims} claims · ${s.facts} facts · ${s.conflicts.disputed} disputed · ${s.anomalies} anomalies · ${s.changes.pending} changes pending review`,
    // A name no reviewer has confirmed as a model or an alias waits apart from the changes (the terminal summary says so too).
    ...(s.new_models > 0 ? ['', `${s.new_models} model names await confirmation as new models or aliases (\`model-ledger models --new\`).`] : []),
    '',
    '## Sources',
    '',
    '| source | outcome | claims | problems |',
    '|---|---|---|---|',
    ...s.sources.filter((r) => r.outcome !== 'live-only').map((r) => `| ${r.source_id} | ${r.outcome} | ${r.claims} | ${escapeCell(r.problems.join('; '))} |`),
    ...(liveOnly.length ? ['', `Live only (no shipped snapshot; a live sync reads them): ${liveOnly.join(', ')}`] : []),
  ];
  if (s.auto_approved?.length) {
    lines.push('', '## Approved by policy', '', '| rule | changes |', '|---|---|', ...s.auto_approved.map((a) => `| ${a.rule} | ${a.count} |`));
  }
  lines.push('', '## Pending review', '');
  if (pending.length === 0) lines.push('Nothing waits for review.');
  else {
    const grouped = TRIAGE_GROUPS.map((g) => ({ g, changes: pending.filter((c) => (c.group ?? 'routine') === g) }));
    lines.push('| group | changes |', '|---|---|', ...grouped.map(({ g, changes }) => `| ${GROUP_TITLES[g]} | ${changes.length} |`));
    // At most 200 rows in all (a PR body has a size limit), the groups that need a human first.
    let room = 200;
    for (const { g, changes } of grouped) {
      if (changes.length === 0) continue;
      lines.push('', `### ${GROUP_TITLES[g]} (${changes.length})`, '');
      const shown = changes.slice(0, room);
      room -= shown.length;
      if (shown.length) lines.push('| # | model | field | change |', '|---|---|---|---|');
      for (const c of shown) {
        const move = c.kind === 'changed' ? `${formatValue(c.old_value)} → ${formatValue(c.new_value)}` : c.kind === 'added' ? `added ${formatValue(c.new_value)}` : `no longer seen (was ${formatValue(c.old_value)})`;
        lines.push(`| ${c.id} | ${escapeCell(c.model)} | ${label(c)} | ${escapeCell(move)} |`);
      }
      if (changes.length > shown.length) lines.push(...(shown.length ? [''] : []), `…and ${changes.length - shown.length} more (\`model-ledger changes --group ${g}\`).`);
    }
  }
  if (failed.length) {
    lines.push('', '## Failures', '', ...failed.map((r) => `- **${r.source_id}** (${r.outcome}): ${r.problems.join('; ')} — its last good facts were kept.`));
  }
  return lines.join('\n') + '\n';
}

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

export interface ReconcileOutputOptions {
  json?: boolean;
  valuesOnly?: boolean;
}

export function formatReconciled(result: RecordsResult, opts: ReconcileOutputOptions = {}): string {
  return [...reconciledChunks(result, opts)].join('');
}

/**
 * The reconciler's output in chunks of about a megabyte, so a million chosen values are written
 * as they are formatted instead of as one string (which would not fit in V8's limit).
 */
export function* reconciledChunks(result: RecordsResult, opts: ReconcileOutputOptions = {}): Generator<string> {
  const lines = opts.valuesOnly ? valuesCsvLines(result.chosen) : opts.json ? jsonLines(result) : tableLines(result);
  let chunk: string[] = [];
  let size = 0;
  for (const line of lines) {
    chunk.push(line);
    size += line.length;
    if (size >= 1 << 20) {
      yield chunk.join('\n') + '\n';
      chunk = [];
      size = 0;
    }
  }
  if (chunk.length) yield chunk.join('\n') + '\n';
}

/** `entity,field,value` CSV (with a condition column only when some value holds under one). */
function* valuesCsvLines(chosen: ChosenValue[]): Generator<string> {
  const withCondition = chosen.some((c) => c.condition !== '');
  yield withCondition ? 'entity,field,condition,value' : 'entity,field,value';
  for (const c of chosen) {
    const cells = withCondition ? [c.entity, c.field, c.condition, String(c.value)] : [c.entity, c.field, String(c.value)];
    yield cells.map(csvCell).join(',');
  }
}

function csvCell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * `{ "chosen": [...], "sources": [...] }` with each chosen value compact on a line of its own: a
 * million of them print as 50 MB a line at a time (grep finds an entity's line), where indented
 * they took 86 MB and a fifth longer.
 */
function* jsonLines(result: RecordsResult): Generator<string> {
  const { chosen } = result;
  yield '{';
  yield '"chosen": [';
  for (let i = 0; i < chosen.length; i++) yield JSON.stringify(chosen[i]) + (i < chosen.length - 1 ? ',' : '');
  yield '],';
  yield `"sources": ${JSON.stringify(result.reliability, null, 2)}`;
  yield '}';
}

function tableRow(c: ChosenValue): string[] {
  return [
    c.entity,
    c.condition ? `${c.field} [${c.condition}]` : c.field,
    String(c.value),
    c.status,
    c.confidence.toFixed(2),
    c.sources.join(' '),
    c.dissent.map((d) => `${d.source}=${String(d.value)}`).join(' '),
  ];
}

/** Two passes over the chosen values, the first for the column widths, so no table of rows is held. */
function* tableLines(result: RecordsResult): Generator<string> {
  const header = ['entity', 'field', 'value', 'status', 'confidence', 'sources', 'against'];
  const widths = header.map((h) => h.length);
  for (const c of result.chosen) tableRow(c).forEach((cell, i) => (widths[i] = Math.max(widths[i], cell.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd();
  yield line(header);
  for (const c of result.chosen) yield line(tableRow(c));
  yield '';
  yield 'Source reliability:';
  for (const s of result.reliability) yield `  ${s.source_id}: learned ${s.learned.toFixed(2)} (${s.agreements} agree, ${s.disagreements} disagree)`;
}

export function formatCandidates(rows: ModelCandidate[]): string {
  if (!rows.length) return 'no new models await review';
  return rows
    .map((r) => `${r.model_id}  ("${r.name}" on ${r.source_id})${r.proposals.length ? `\n    may be: ${r.proposals.map((p) => `${p.id} (${p.reason})`).join('; ')}` : ''}`)
    .join('\n');
}

/** The queue grouped by what needs a human first, with a count per group. */
export function formatTriage(t: { changes: Array<Change & { group: TriageGroup }>; counts: Record<TriageGroup, number> }): string {
  const total = t.changes.length;
  if (total === 0) return 'no pending changes';
  const lines = [`${total} pending: ${TRIAGE_GROUPS.map((g) => `${t.counts[g]} ${GROUP_TITLES[g]}`).join(', ')}`];
  for (const g of TRIAGE_GROUPS) {
    const changes = t.changes.filter((c) => c.group === g);
    if (changes.length === 0) continue;
    lines.push('', `== ${GROUP_TITLES[g]} (${changes.length}) ==`, ...changes.map(formatChange));
  }
  return lines.join('\n');
}

/** A claim as a person reads it: model, field [condition], value, locator, tab-separated. */
export function claimLine(c: { model: string; field: string; condition: string; value: ClaimValue; locator: string | null }): string {
  return `${c.model}\t${c.field}${c.condition ? `[${c.condition}]` : ''}\t${c.value}\t${c.locator}`;
}

/** `dataset.json, api/ (5,114 files), feed.atom`: a directory of many files in one word. */
function filesWritten(files: string[]): string {
  const top = new Map<string, number>();
  for (const f of files) {
    const head = f.includes('/') ? `${f.slice(0, f.indexOf('/'))}/` : f;
    top.set(head, (top.get(head) ?? 0) + 1);
  }
  return [...top].map(([name, n]) => (name.endsWith('/') ? `${name} (${n.toLocaleString('en-US')} files)` : name)).join(', ');
}

/** `LiteLLM: 275 models left out, no LiteLLM provider for nano-gpt (57), gitlab (17), …`. */
function leftOutLine(format: string, unknown: Record<string, number> | undefined): string | null {
  const entries = Object.entries(unknown ?? {}).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (!entries.length) return null;
  const total = entries.reduce((n, [, count]) => n + count, 0);
  const top = entries.slice(0, 5).map(([name, count]) => `${name} (${count})`).join(', ');
  return `${format}: ${total} entries left out, no ${format} provider for ${top}${entries.length > 5 ? `, and ${entries.length - 5} more` : ''}`;
}

/** What an export wrote, what it left out and why, in a few lines. */
export function formatExportResult(result: ExportResult): string {
  const line = `wrote ${filesWritten(result.files)} to ${result.dir}: ${result.models} models, ${result.values} values, ${result.intervals} history intervals`;
  const leftOut = [leftOutLine('LiteLLM', result.litellm_unknown_providers), leftOutLine('models.dev', result.models_dev_unknown_providers)].filter(Boolean);
  const empty = result.at !== undefined ? `nothing approved was in force at ${result.at}: the export holds no values` : 'nothing is approved yet: the dataset fills as changes are approved (model-ledger approve)';
  return [line, ...leftOut, ...(result.values === 0 ? [empty] : [])].join('\n');
}
