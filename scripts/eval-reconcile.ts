/**
 * Truth-discovery eval on the Flight benchmark (Li et al., VLDB 2012; ../shared/corpus/truth/flights):
 * build claims from dirty.csv (one per source, flight and time field), choose one value per
 * (flight, field), and score against clean.csv. Prints accuracy of exact-string majority vote,
 * majority vote over normalized times, and the reconciler, side by side, then what is still wrong.
 *
 *   tsx scripts/eval-reconcile.ts [--json]
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDelimited } from '../src/reconcile/claims-file.ts';
import { reconcileRecords, type ClaimRecord, type ChosenValue } from '../src/reconcile/records.ts';

const FIELDS = ['scheduled_dept', 'actual_dept', 'scheduled_arrival', 'actual_arrival'] as const;
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * A departure/arrival time as minutes since midnight ("HH:MM"), whatever the page's format:
 * "7:10 a.m.", "7:10aDec 1", "12/02/2011 6:55 a.m.", "Thu  19:10", "7:10 p.m. (Estimated runway)".
 * Null for text with no time ("Not Available", "Contact Airline"): that is no claim.
 */
export function normalizeTime(raw: string): string | null {
  const m = raw.match(/(\d{1,2}):(\d{2})\s*([ap])?(?:\.?\s*m\.?)?/i);
  if (!m) return null;
  let hour = Number(m[1]);
  const minute = Number(m[2]);
  const half = m[3]?.toLowerCase();
  if (half === 'p' && hour < 12) hour += 12;
  if (half === 'a' && hour === 12) hour = 0;
  if (hour > 23 || minute > 59) return null;
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

interface Row {
  src: string;
  flight: string;
  values: Record<string, string>;
}

function readRows(file: string): Row[] {
  const [header, ...rows] = parseDelimited(readFileSync(file, 'utf8'));
  const at = (name: string) => header.indexOf(name);
  return rows.map((r) => ({
    src: r[at('src')],
    flight: r[at('flight')],
    values: Object.fromEntries(FIELDS.map((f) => [f, r[at(f)] ?? ''])),
  }));
}

const itemOf = (flight: string, field: string) => `${flight}\t${field}`;

/** Plain majority vote of `key(value)` per item; ties go to the value seen first. */
function majority(rows: Row[], key: (v: string) => string | null): Map<string, string> {
  const counts = new Map<string, Map<string, number>>();
  for (const row of rows) {
    for (const f of FIELDS) {
      const k = row.values[f] ? key(row.values[f]) : null;
      if (k === null) continue;
      const item = itemOf(row.flight, f);
      if (!counts.has(item)) counts.set(item, new Map());
      const c = counts.get(item)!;
      c.set(k, (c.get(k) ?? 0) + 1);
    }
  }
  const chosen = new Map<string, string>();
  for (const [item, c] of counts) {
    let best = '';
    let bestCount = -1;
    for (const [v, n] of c) if (n > bestCount) [best, bestCount] = [v, n];
    chosen.set(item, best);
  }
  return chosen;
}

function accuracy(chosen: Map<string, string>, truth: Map<string, string>, key: (v: string) => string | null): number {
  let right = 0;
  for (const [item, t] of truth) if (chosen.has(item) && key(chosen.get(item)!) === key(t)) right++;
  return right / truth.size;
}

export function evaluate(flightsDir: string) {
  const dirty = readRows(path.join(flightsDir, 'dirty.csv'));
  const clean = readRows(path.join(flightsDir, 'clean.csv'));
  const truth = new Map<string, string>();
  for (const row of clean) for (const f of FIELDS) truth.set(itemOf(row.flight, f), row.values[f]);

  const exact = (v: string) => v;
  const majorityChoice = majority(dirty, exact);
  const majorityExact = accuracy(majorityChoice, truth, exact);
  const majorityNormalized = accuracy(majority(dirty, normalizeTime), truth, normalizeTime);

  const records: ClaimRecord[] = [];
  for (const row of dirty) {
    for (const f of FIELDS) {
      // a cell with no readable time is no claim, not a claim of "Not Available"
      if (!row.values[f] || normalizeTime(row.values[f]) === null) continue;
      // "(Estimated runway)": the page itself says the time is a guess, so the claim counts half
      const confidence = /estimated/i.test(row.values[f]) ? 0.5 : 1;
      records.push({ source: row.src, entity: row.flight, field: f, value: row.values[f], confidence });
    }
  }
  const started = performance.now();
  const result = reconcileRecords(records, { valueKey: (_field, v) => normalizeTime(String(v)) ?? String(v) });
  const ms = performance.now() - started;
  const chosen = new Map<string, string>();
  const byItem = new Map<string, ChosenValue>();
  for (const c of result.chosen) {
    chosen.set(itemOf(c.entity, c.field), String(c.value));
    byItem.set(itemOf(c.entity, c.field), c);
  }
  const reconciler = accuracy(chosen, truth, normalizeTime);
  const right = (choice: Map<string, string>, item: string, key: (v: string) => string | null) =>
    choice.has(item) && key(choice.get(item)!) === key(truth.get(item)!);
  let fixed = 0;
  let broken = 0;
  for (const item of truth.keys()) {
    const mine = right(chosen, item, normalizeTime);
    const theirs = right(majorityChoice, item, exact);
    if (mine && !theirs) fixed++;
    if (theirs && !mine) broken++;
  }

  const wrong = [...truth]
    .filter(([item, t]) => normalizeTime(chosen.get(item) ?? '') !== normalizeTime(t))
    .map(([item, t]) => {
      const c = byItem.get(item);
      return {
        item: item.replace('\t', ' '),
        truth: normalizeTime(t),
        chosen: c ? normalizeTime(String(c.value)) : null,
        status: c?.status ?? 'none',
        share: c?.share ?? 0,
        supporters: c?.sources.length ?? 0,
        against: c?.dissent.length ?? 0,
        truth_supporters: c ? c.dissent.filter((d) => normalizeTime(String(d.value)) === normalizeTime(t)).length : 0,
      };
    });
  return {
    items: truth.size,
    claims: records.length,
    sources: result.reliability.length,
    majority_exact: round(majorityExact),
    majority_normalized: round(majorityNormalized),
    reconciler: round(reconciler),
    reconciler_ms: Math.round(ms),
    iterations: result.iterations,
    fixed_vs_majority: fixed,
    broken_vs_majority: broken,
    wrong: wrong.length,
    wrong_by_status: countBy(wrong.map((w) => w.status)),
    wrong_where_truth_was_outvoted: wrong.filter((w) => w.truth_supporters > 0 && w.truth_supporters < w.supporters).length,
    wrong_where_no_source_had_truth: wrong.filter((w) => w.truth_supporters === 0).length,
    wrong_where_reliability_overruled_more_sources: wrong.filter((w) => w.truth_supporters > 0 && w.truth_supporters >= w.supporters).length,
    least_reliable: [...result.reliability]
      .sort((a, b) => a.learned - b.learned)
      .slice(0, 5)
      .map((s) => `${s.source_id}=${s.learned}`),
    examples: wrong.slice(0, 8),
  };
}

function countBy(xs: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}

function main(): void {
  const shared = path.resolve(repoRoot, '../shared');
  const flights = path.join(shared, 'corpus/truth/flights');
  if (!existsSync(path.join(flights, 'dirty.csv')) || !existsSync(path.join(flights, 'clean.csv'))) {
    console.error(
      `eval-reconcile: the Flight benchmark is missing: expected dirty.csv and clean.csv in ${flights}\n` +
        `(the shared material lives next to the repository, at ${shared}).`,
    );
    process.exit(2);
  }
  const report = evaluate(flights);
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(report));
    return;
  }
  console.log(`Flight truth discovery: ${report.items} items, ${report.claims} claims from ${report.sources} sources`);
  console.log(`  majority vote, exact strings      ${report.majority_exact.toFixed(4)}`);
  console.log(`  majority vote, normalized times   ${report.majority_normalized.toFixed(4)}`);
  console.log(`  reconciler (truth discovery)      ${report.reconciler.toFixed(4)}  (${report.iterations} iterations, ${report.reconciler_ms} ms)`);
  console.log(`  against exact majority vote: ${report.fixed_vs_majority} items fixed, ${report.broken_vs_majority} broken`);
  console.log(`Still wrong: ${report.wrong} (by status ${JSON.stringify(report.wrong_by_status)})`);
  console.log(
    `  truth stated by no source: ${report.wrong_where_no_source_had_truth}; truth outvoted by more sources: ` +
      `${report.wrong_where_truth_was_outvoted}; truth had as many or more sources but less learned weight: ` +
      `${report.wrong_where_reliability_overruled_more_sources}`,
  );
  console.log(`  least reliable sources: ${report.least_reliable.join(', ')}`);
  for (const w of report.examples) console.log(`  ${w.item}: chose ${w.chosen}, truth ${w.truth} (${w.status}, ${w.supporters} for, ${w.truth_supporters} for the truth)`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
