import type { Change, } from '../schema/change.ts';
import type { ClaimValue } from '../schema/claim.ts';
import type { Fact } from '../schema/fact.ts';
import type { SyncSummary } from '../schema/sync.ts';
import { type PublishedValue } from '../schema/history.ts';

/** Plain-text renderings for the terminal; --json output never goes through here. */

export function formatValue(v: ClaimValue | null): string {
  if (v === null) return '(none)';
  return typeof v === 'string' ? v : String(v);
}

const label = (k: { field: string; condition: string }) => `${k.field}${k.condition ? ` [${k.condition}]` : ''}`;

export function formatSummary(s: SyncSummary): string {
  const lines = s.sources.map((r) => {
    const detail =
      r.outcome === 'updated' || r.outcome === 'backfilled'
        ? `${r.claims} claims, ${r.models} models`
        : r.problems.join('; ');
    return `  ${r.source_id.padEnd(26)} ${r.outcome.padEnd(10)} ${detail}`.trimEnd();
  });
  const read = s.sources.filter((r) => r.outcome !== 'failed' && r.outcome !== 'drift').length;
  return [
    `sources read: ${read}/${s.sources.length}`,
    ...lines,
    `claims: ${s.claims} (${s.anomalies} anomalies)  facts: ${s.facts}  conflicts: ${s.conflicts.resolved} resolved, ${s.conflicts.disputed} disputed`,
    `changes: ${s.changes.queued} newly queued, ${s.changes.pending} pending review${s.changes.pending ? ' (see them with `model-ledger changes` or `model-ledger review --web`)' : ''}`,
    ...(s.new_models ? [`new models: ${s.new_models} awaiting confirmation (model-ledger models --new)`] : []),
    `took ${seconds(s.timings.read_ms + s.timings.reconcile_ms)} (reading ${seconds(s.timings.read_ms)}, reconciling ${seconds(s.timings.reconcile_ms)})`,
  ].join('\n');
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** A quote as the source wrote it; JSON string values already carry their own quotes. */
function quoted(text: string): string {
  return /^".*"$/s.test(text) ? text : `"${text}"`;
}

export function formatFact(f: Fact): string {
  const claims = f.claims.map(
    (c) => `    ${c.supports ? '+' : '-'} ${c.source_id} (${c.source_kind}) says ${formatValue(c.value)}  [${c.locator}] ${quoted(c.quote)}  ${c.observed_at.slice(0, 10)}`,
  );
  return [`${f.model} ${label(f)} = ${formatValue(f.value)}  ${f.status}, confidence ${f.confidence.toFixed(2)}`, `  ${f.explanation}`, ...claims].join('\n');
}

export function formatChange(c: Change): string {
  const move = c.kind === 'changed' ? `${formatValue(c.old_value)} -> ${formatValue(c.new_value)}` : c.kind === 'added' ? `+ ${formatValue(c.new_value)}` : `no longer seen (was ${formatValue(c.old_value)})`;
  const status = c.fact ? ` (${c.fact.status})` : '';
  return `#${c.id} ${c.status.padEnd(8)} ${c.model} ${label(c)}: ${move}${status}`;
}

export function formatInterval(h: PublishedValue): string {
  return `${h.model} ${label(h)} = ${formatValue(h.value)}  from ${h.valid_from.slice(0, 10)} to ${h.valid_to ? h.valid_to.slice(0, 10) : 'now'}${h.change_id ? `  (change #${h.change_id})` : ''}`;
}

/** The sync summary as Markdown, for a CI step summary or a pull-request body. */
export function formatSummaryMarkdown(s: SyncSummary, pending: Change[]): string {
  const failed = s.sources.filter((r) => r.outcome === 'failed' || r.outcome === 'drift');
  const lines = [
    '# model-ledger sync',
    '',
    `${s.sources.length - failed.length}/${s.sources.length} sources read · ${s.claims} claims · ${s.facts} facts · ${s.conflicts.disputed} disputed · ${s.changes.pending} changes pending review`,
    '',
    '## Sources',
    '',
    '| source | outcome | claims | problems |',
    '|---|---|---|---|',
    ...s.sources.map((r) => `| ${r.source_id} | ${r.outcome} | ${r.claims} | ${escapeCell(r.problems.join('; '))} |`),
  ];
  lines.push('', '## Pending review', '');
  if (pending.length === 0) lines.push('Nothing waits for review.');
  else {
    lines.push('| # | model | field | change |', '|---|---|---|---|');
    for (const c of pending.slice(0, 200)) {
      const move = c.kind === 'changed' ? `${formatValue(c.old_value)} → ${formatValue(c.new_value)}` : c.kind === 'added' ? `added ${formatValue(c.new_value)}` : `no longer seen (was ${formatValue(c.old_value)})`;
      lines.push(`| ${c.id} | ${escapeCell(c.model)} | ${label(c)} | ${escapeCell(move)} |`);
    }
    if (pending.length > 200) lines.push('', `…and ${pending.length - 200} more (\`model-ledger changes\`).`);
  }
  if (failed.length) {
    lines.push('', '## Failures', '', ...failed.map((r) => `- **${r.source_id}** (${r.outcome}): ${r.problems.join('; ')} — its last good facts were kept.`));
  }
  return lines.join('\n') + '\n';
}

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}
