/**
 * The dataset as a static API a plain file host can serve, and a feed of approved price changes:
 *
 *   api/models.json                         every model: identity and where its files are
 *   api/models/<provider>/<model>.json      one model: its dataset entry (values with provenance)
 *   api/history/<provider>/<model>.json     one model: every approved interval
 *   feed.atom                               Atom 1.0, one entry per approved price change, newest first
 *
 * Model ids are `provider/model` slugs without further slashes or leading dots, so each is a safe path.
 */
import { isPriceField } from '../schema/fields.ts';
import type { Dataset, HistoryFile } from '../schema/dataset.ts';
import { formatNumber } from './formats.ts';
import { push } from './shape.ts';

type Interval = HistoryFile['intervals'][number];

const json = (value: unknown) => JSON.stringify(value, null, 2) + '\n';
const modelPath = (dir: 'models' | 'history', id: string) => `api/${dir}/${id}.json`;

/** Relative path -> text of every file of the static API (feed included). */
export function toStaticApi(dataset: Dataset, history: HistoryFile): Record<string, string> {
  const files: Record<string, string> = {};
  const intervals = new Map<string, Interval[]>();
  for (const h of history.intervals) push(intervals, h.model, h);
  files['api/models.json'] = json({
    schema_version: dataset.schema_version,
    as_of: dataset.as_of,
    models: dataset.models.map((m) => ({
      id: m.id,
      name: m.name,
      provider: m.provider,
      family: m.family,
      version: m.version,
      aliases: m.aliases,
      url: modelPath('models', m.id),
      history_url: modelPath('history', m.id),
    })),
  });
  for (const m of dataset.models) {
    files[modelPath('models', m.id)] = json({ schema_version: dataset.schema_version, as_of: dataset.as_of, ...m });
    files[modelPath('history', m.id)] = json({ schema_version: history.schema_version, model: m.id, intervals: intervals.get(m.id) ?? [] });
  }
  files['feed.atom'] = toAtomFeed(dataset, history);
  return files;
}

export interface PriceChange {
  model: string;
  field: string;
  condition: string;
  from: number;
  to: number;
  /** When the new price became valid in the approved history. */
  at: string;
  change_id: number | null;
}

/** Every approved move of a price: an interval that followed one with another value, newest first. */
export function priceChanges(history: HistoryFile): PriceChange[] {
  const byKey = new Map<string, Interval[]>();
  for (const h of history.intervals) {
    if (!isPriceField(h.field)) continue;
    const key = `${h.model}\u0000${h.field}\u0000${h.condition}`;
    push(byKey, key, h);
  }
  const changes: PriceChange[] = [];
  for (const list of byKey.values()) {
    list.sort((a, b) => a.valid_from.localeCompare(b.valid_from));
    for (let i = 1; i < list.length; i++) {
      const [before, after] = [list[i - 1], list[i]];
      if (typeof before.value !== 'number' || typeof after.value !== 'number' || before.value === after.value) continue;
      changes.push({ model: after.model, field: after.field, condition: after.condition, from: before.value, to: after.value, at: after.valid_from, change_id: after.change_id });
    }
  }
  return changes.sort((a, b) => b.at.localeCompare(a.at) || a.model.localeCompare(b.model) || a.field.localeCompare(b.field) || a.condition.localeCompare(b.condition));
}

const escapeXml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

/** RFC 3339 as Atom wants it; the ledger's times are ISO already. */
const atomDate = (iso: string) => (iso ? new Date(iso).toISOString() : '1970-01-01T00:00:00.000Z');

/**
 * Atom 1.0 of the approved price changes, newest first. Deterministic: the feed's `updated` is the
 * newest change (else the dataset's as-of), never the time of the export.
 */
export function toAtomFeed(dataset: Dataset, history: HistoryFile): string {
  const changes = priceChanges(history);
  const names = new Map(dataset.models.map((m) => [m.id, m.name]));
  const updated = atomDate(changes[0]?.at ?? dataset.as_of);
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    '  <id>urn:model-ledger:feed:price-changes</id>',
    '  <title>model-ledger: approved price changes</title>',
    `  <updated>${updated}</updated>`,
    '  <author><name>model-ledger</name></author>',
    '  <link rel="alternate" type="application/json" href="api/models.json"/>',
  ];
  for (const c of changes) {
    const where = c.condition ? ` [${c.condition}]` : '';
    const what = c.field.replace(/_/g, ' ');
    const move = `$${formatNumber(c.from)} → $${formatNumber(c.to)} / 1M tokens`;
    const title = `${names.get(c.model) ?? c.model} (${c.model}) ${what}${where}: ${move}`;
    const day = c.at.slice(0, 10);
    const content = `${c.model} ${what}${where} moved from $${formatNumber(c.from)} to $${formatNumber(c.to)} per 1M tokens (${pct(c.from, c.to)}), valid from ${day}.`;
    lines.push(
      '  <entry>',
      `    <id>urn:model-ledger:price-change:${escapeXml(encodeURIComponent(`${c.model}|${c.field}|${c.condition}|${c.at}`))}</id>`,
      `    <title>${escapeXml(title)}</title>`,
      `    <updated>${atomDate(c.at)}</updated>`,
      `    <link rel="related" type="application/json" href="${escapeXml(modelPath('history', c.model))}"/>`,
      `    <content type="text">${escapeXml(content)}</content>`,
      '  </entry>',
    );
  }
  lines.push('</feed>');
  return lines.join('\n') + '\n';
}

function pct(from: number, to: number): string {
  const change = ((to - from) / from) * 100;
  return `${change > 0 ? '+' : ''}${formatNumber(Math.round(change * 10) / 10)}%`;
}
