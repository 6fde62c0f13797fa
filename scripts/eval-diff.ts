/**
 * Diff eval on the shared real captures (../shared/corpus): for the OpenRouter pair and the
 * LiteLLM pair, ingest the older file (its date as observed-at), approve every first-sync
 * addition, ingest the newer file, and check that the changes queued are exactly the field
 * changes between the two files. "Exactly" is judged by a small, independent reading of the raw
 * JSON below (not our extractors): every raw field change must be queued with its new value, and
 * every queued change must come from a raw field change. Then approve and check that
 * `history --at` gives the old price between the captures and the new one after.
 *
 *   tsx scripts/eval-diff.ts [--json] [--pair openrouter|litellm]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Change } from '../src/schema/change.ts';
import type { Claim, ClaimValue } from '../src/schema/claim.ts';
import type { Source } from '../src/schema/source.ts';
import { sha256Hex } from '../src/pipeline/manifest.ts';
import { loadSources } from '../src/pipeline/sources.ts';
import { runPipeline, type SyncSummary } from '../src/pipeline/sync.ts';
import { approveChanges } from '../src/review/decide.ts';
import { Ledger } from '../src/store/ledger.ts';
import { keyOf } from '../src/schema/key.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = path.resolve(repoRoot, '../shared');

// ---------------------------------------------------------------- ingest (what `model-ledger ingest` does)

export function ingestCapture(ledger: Ledger, sources: Source[], sourceId: string, body: string, observedAt: string): Promise<SyncSummary> {
  const source = sources.find((s) => s.id === sourceId);
  if (!source) throw new Error(`no source ${sourceId} in sources/`);
  const snapshot = { source_id: source.id, sha256: sha256Hex(body), observed_at: observedAt, url: source.url, format: source.format, content_type: null, body };
  return runPipeline(ledger, { sources, now: () => observedAt }, [source], async () => ({ status: 'snapshot', origin: 'ingest', snapshot }));
}

// ---------------------------------------------------------------- the independent reading of the raw JSON

/** One raw figure: the ledger field it is, under which (non-route) condition, and its value. */
type Slots = Map<string, ClaimValue>;
type Json = Record<string, any>;
const slot = (field: string, condition: string) => `${field}|${condition}`;
const perMillion = (raw: unknown) => Number(raw) * 1e6;
const joinConditions = (...parts: string[]) => parts.filter(Boolean).sort().join(';');

export function openRouterSlots(entry: Json): Slots {
  const out: Slots = new Map();
  const prices = (p: Json, condition: string) => {
    const keys: Array<[string, string, string]> = [
      ['prompt', 'input_price', ''],
      ['completion', 'output_price', ''],
      ['input_cache_read', 'cached_input_price', ''],
      ['input_cache_write', 'cache_write_price', ''],
      ['input_cache_write_1h', 'cache_write_price', 'cache_ttl:1h'],
    ];
    for (const [key, field, extra] of keys) {
      if (p[key] === undefined || p[key] === null || String(p[key]) === '-1') continue;
      out.set(slot(field, joinConditions(condition, extra)), perMillion(p[key]));
    }
  };
  prices(entry.pricing ?? {}, '');
  for (const o of entry.pricing?.overrides ?? []) if (typeof o?.min_prompt_tokens === 'number') prices(o, `context>${o.min_prompt_tokens}`);
  if (typeof entry.context_length === 'number') out.set(slot('context_window', ''), entry.context_length);
  const top = entry.top_provider ?? {};
  if (typeof top.context_length === 'number' && top.context_length !== entry.context_length) out.set(slot('context_window', 'route:top_provider'), top.context_length);
  // The top provider's output limit goes with its window: the model's own only where the windows agree.
  const ownLimits = typeof top.context_length !== 'number' || top.context_length === entry.context_length;
  if (typeof top.max_completion_tokens === 'number') out.set(slot('max_output_tokens', ownLimits ? '' : 'route:top_provider'), top.max_completion_tokens);
  const inputs = entry.architecture?.input_modalities;
  if (Array.isArray(inputs)) {
    out.set(slot('vision', ''), inputs.includes('image'));
    out.set(slot('audio_input', ''), inputs.includes('audio'));
  }
  const outputs = entry.architecture?.output_modalities;
  if (Array.isArray(outputs)) out.set(slot('audio_output', ''), outputs.includes('audio'));
  const params = entry.supported_parameters;
  if (Array.isArray(params)) {
    out.set(slot('tool_use', ''), params.includes('tools'));
    out.set(slot('function_calling', ''), params.includes('tools'));
    out.set(slot('reasoning', ''), params.includes('reasoning') || params.includes('include_reasoning'));
    out.set(slot('structured_outputs', ''), params.includes('structured_outputs') || params.includes('response_format'));
  }
  if (typeof entry.knowledge_cutoff === 'string') out.set(slot('knowledge_cutoff', ''), entry.knowledge_cutoff.slice(0, 10));
  return out;
}

const LITELLM_COST = /^(input_cost_per_token|output_cost_per_token|cache_read_input_token_cost|cache_creation_input_token_cost)((?:_above_\d+k_tokens|_above_1hr|_batches|_flex|_priority|_cache_hit)*)$/;
const LITELLM_FLAGS: Record<string, string[]> = {
  supports_vision: ['vision'],
  supports_function_calling: ['function_calling', 'tool_use'],
  supports_reasoning: ['reasoning'],
  supports_response_schema: ['structured_outputs'],
  supports_audio_input: ['audio_input'],
  supports_audio_output: ['audio_output'],
  supports_code_execution: ['code_execution'],
};

function liteLLMCostSlot(prop: string): string | null {
  const m = prop.match(LITELLM_COST);
  if (!m) return null;
  const suffix = m[2];
  const batch = suffix.includes('_batches');
  const conditions = [...suffix.matchAll(/_above_(\d+)k_tokens/g)].map((x) => `context>${Number(x[1]) * 1000}`);
  if (suffix.includes('_above_1hr')) conditions.push('cache_ttl:1h');
  if (suffix.includes('_flex')) conditions.push('tier:flex');
  if (suffix.includes('_priority')) conditions.push('tier:priority');
  const field = {
    input_cost_per_token: suffix.includes('_cache_hit') ? 'cached_input_price' : batch ? 'batch_input_price' : 'input_price',
    output_cost_per_token: batch ? 'batch_output_price' : 'output_price',
    cache_read_input_token_cost: batch ? null : 'cached_input_price',
    cache_creation_input_token_cost: batch ? null : 'cache_write_price',
  }[m[1]];
  return field ? slot(field, joinConditions(...conditions)) : null;
}

export function liteLLMSlots(entry: Json): Slots {
  const out: Slots = new Map();
  for (const [prop, value] of Object.entries(entry)) {
    if (typeof value === 'number') {
      const s = liteLLMCostSlot(prop);
      if (s) out.set(s, perMillion(value));
    }
    if (typeof value === 'boolean') for (const field of LITELLM_FLAGS[prop] ?? []) out.set(slot(field, ''), value);
  }
  for (const tier of Array.isArray(entry.tiered_pricing) ? entry.tiered_pricing : []) {
    const from = tier?.range?.[0];
    if (typeof from !== 'number') continue;
    const condition = from > 0 ? `context>${from}` : '';
    for (const [prop, field] of [['input_cost_per_token', 'input_price'], ['output_cost_per_token', 'output_price'], ['cache_read_input_token_cost', 'cached_input_price']]) {
      if (typeof tier[prop] === 'number') out.set(slot(field, condition), perMillion(tier[prop]));
    }
  }
  if (typeof entry.max_input_tokens === 'number') out.set(slot('max_input_tokens', ''), entry.max_input_tokens);
  if (typeof entry.max_output_tokens === 'number') out.set(slot('max_output_tokens', ''), entry.max_output_tokens);
  return out;
}

interface Format {
  source: string;
  /** Raw entries by their own key (OpenRouter id, LiteLLM key), each read into slots. */
  entries(doc: unknown): Map<string, Slots>;
  /** The raw entry key a claim's JSON pointer lies in. */
  entryAt(doc: unknown, locator: string): string | null;
  /** Route conditions come from the entry key in LiteLLM: they are not part of the raw slot. */
  stripRoutes: boolean;
}

const unescapePointer = (s: string) => s.replace(/~1/g, '/').replace(/~0/g, '~');
const list = (doc: unknown): Json[] => (Array.isArray(doc) ? doc : ((doc as Json)?.data ?? []));

const OPENROUTER: Format = {
  source: 'openrouter',
  entries: (doc) => new Map(list(doc).filter((e) => typeof e?.id === 'string' && !e.id.startsWith('openrouter/')).map((e) => [e.id, openRouterSlots(e)])),
  entryAt: (doc, locator) => {
    const m = locator.match(/^(?:\/data)?\/(\d+)\//);
    return m ? (list(doc)[Number(m[1])]?.id ?? null) : null;
  },
  stripRoutes: false,
};

const LITELLM: Format = {
  source: 'litellm',
  entries: (doc) =>
    new Map(
      Object.entries(doc as Json)
        .filter(([key, e]) => key !== 'sample_spec' && ['chat', 'responses', 'completion'].includes(e?.mode) && !/commitment/.test(key))
        .map(([key, e]) => [key, liteLLMSlots(e)]),
    ),
  entryAt: (_doc, locator) => {
    const m = locator.match(/^\/([^/]+)\//);
    return m ? unescapePointer(m[1]) : null;
  },
  stripRoutes: true,
};

export interface RawChange {
  entry: string;
  field: string;
  condition: string;
  kind: 'added' | 'changed' | 'removed';
  old: ClaimValue | null;
  new: ClaimValue | null;
}

/** Field-level differences between two raw files, in the independent reading. */
export function rawChanges(before: Map<string, Slots>, after: Map<string, Slots>): RawChange[] {
  const out: RawChange[] = [];
  const entries = new Set([...before.keys(), ...after.keys()]);
  for (const entry of entries) {
    const a = before.get(entry) ?? new Map();
    const b = after.get(entry) ?? new Map();
    for (const s of new Set([...a.keys(), ...b.keys()])) {
      const [field, condition] = s.split('|');
      const old = a.has(s) ? a.get(s)! : null;
      const now = b.has(s) ? b.get(s)! : null;
      if (old !== null && now !== null && close(old, now)) continue;
      out.push({ entry, field, condition, kind: old === null ? 'added' : now === null ? 'removed' : 'changed', old, new: now });
    }
  }
  return out;
}

function close(a: ClaimValue | null | undefined, b: ClaimValue | null | undefined): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  return a === b;
}

// ---------------------------------------------------------------- comparing the queue with the raw changes

const itemKey = (entry: string, field: string, condition: string) => `${entry}\u0000${field}\u0000${condition}`;

function rawCondition(format: Format, condition: string): string {
  return format.stripRoutes ? condition.split(';').filter((p) => p && !p.startsWith('route:')).join(';') : condition;
}

interface Located {
  entry: string;
  claim: { field: string; condition: string; value: ClaimValue; anomaly?: string; model: string };
}

function locate(format: Format, doc: unknown, claims: Array<Pick<Claim, 'locator' | 'field' | 'condition' | 'value' | 'anomaly' | 'model'>>): Located[] {
  const out: Located[] = [];
  for (const c of claims) {
    const entry = format.entryAt(doc, c.locator);
    if (entry) out.push({ entry, claim: { field: c.field, condition: rawCondition(format, c.condition), value: c.value, anomaly: c.anomaly, model: c.model } });
  }
  return out;
}

export interface PairResult {
  source: string;
  files: [string, string];
  raw: { added: number; changed: number; removed: number };
  first_sync_approved: number;
  queued: number;
  matched: number;
  /** Raw fields stated identically by a twin key of the same offering, which the ledger holds as one claim. */
  merged_with_twin: number;
  /** Queued changes no raw field change explains. */
  unexplained: Array<{ id: number; model: string; field: string; condition: string; kind: string; old: ClaimValue | null; new: ClaimValue | null; entries: string[] }>;
  /** Raw added/changed fields with no queued change carrying the new value, by why. */
  not_queued: Record<string, Array<RawChange & { note?: string }>>;
  /** Raw fields that disappeared: "no longer seen" waits for a second sync, so they must be counted as absent now. */
  removed: { pending_absence: number; still_listed: number; anomaly: number; not_tracked: Array<RawChange> };
  history: { checked: number; wrong: Array<{ model: string; field: string; condition: string; at: string; expected: ClaimValue | null; got: ClaimValue | null }> };
  cli_history: { checked: number; wrong: string[] };
  exact: boolean;
  seconds: number;
}

interface Pair {
  format: Format;
  files: [string, string];
  dates: [string, string];
  /** Dates for `history --at`: between the captures, and after the second. */
  between: string;
  after: string;
}

const PAIRS: Pair[] = [
  { format: OPENROUTER, files: ['corpus/openrouter/models_2026-07-17.json', 'corpus/openrouter/models_2026-07-21.json'], dates: ['2026-07-17', '2026-07-21'], between: '2026-07-18', after: '2026-07-22' },
  { format: LITELLM, files: ['corpus/litellm/model_prices_2026-03-01.json', 'corpus/litellm/model_prices_2026-03-29.json'], dates: ['2026-03-01', '2026-03-29'], between: '2026-03-15', after: '2026-03-30' },
];

function cliHistory(db: string, model: string, field: string, condition: string, at: string): ClaimValue | null {
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'model-ledger.js'), '--db', db, 'history', model, field, '--at', at, '--json'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`history ${model} ${field} --at ${at} failed: ${r.stderr}`);
  const rows = JSON.parse(r.stdout) as Array<{ condition: string; value: ClaimValue }>;
  return rows.find((h) => h.condition === condition)?.value ?? null;
}

export async function evalPair(pair: Pair, sources: Source[]): Promise<PairResult> {
  const started = performance.now();
  const { format } = pair;
  const [oldBody, newBody] = pair.files.map((f) => readFileSync(path.join(shared, f), 'utf8'));
  const [oldDoc, newDoc] = [JSON.parse(oldBody), JSON.parse(newBody)];
  const expected = rawChanges(format.entries(oldDoc), format.entries(newDoc));
  const expectedByKey = new Map(expected.map((x) => [itemKey(x.entry, x.field, x.condition), x]));

  const dir = mkdtempSync(path.join(tmpdir(), 'eval-diff-'));
  const db = path.join(dir, 'ledger.sqlite');
  const ledger = new Ledger(db);
  try {
    const [d1, d2] = pair.dates.map((d) => `${d}T00:00:00.000Z`);
    await ingestCapture(ledger, sources, format.source, oldBody, d1);
    const first = ledger.changes.list({ status: 'pending' });
    approveChanges(ledger, first.map((c) => c.id), { reviewer: 'eval', at: d1 }, sources);
    await ingestCapture(ledger, sources, format.source, newBody, d2);
    const queued = ledger.changes.list({ status: 'pending' });

    // Queued -> raw: each change is explained when one of the entries its claims were read from changed that field to that value.
    const covered = new Set<string>();
    const unexplained: PairResult['unexplained'] = [];
    const newSha = sha256Hex(newBody);
    for (const change of queued) {
      const claims = (change.fact?.claims ?? []).filter((c) => c.snapshot_hash === newSha).map((c) => ({ ...c, field: change.field, condition: change.condition, model: change.model }));
      const entries = [...new Set(locate(format, newDoc, claims).map((l) => l.entry))];
      const condition = rawCondition(format, change.condition);
      const hits = entries.filter((e) => {
        const x = expectedByKey.get(itemKey(e, change.field, condition));
        return x && x.kind !== 'removed' && close(x.new, change.new_value);
      });
      for (const e of hits) covered.add(itemKey(e, change.field, condition));
      if (hits.length === 0) unexplained.push({ id: change.id, model: change.model, field: change.field, condition: change.condition, kind: change.kind, old: change.old_value, new: change.new_value, entries });
    }

    // Raw -> queued: each raw addition or change must be queued, unless the ledger deliberately keeps it out.
    const newCapture = ledger.captures.ofSnapshot(format.source, newSha)!;
    const oldCapture = ledger.captures.ofSnapshot(format.source, sha256Hex(oldBody))!;
    const locatedNew = new Map(locate(format, newDoc, ledger.claims.ofCapture(newCapture.id)).map((l) => [itemKey(l.entry, l.claim.field, l.claim.condition), l]));
    const locatedOld = new Map(locate(format, oldDoc, ledger.claims.ofCapture(oldCapture.id)).map((l) => [itemKey(l.entry, l.claim.field, l.claim.condition), l]));
    const oldClaims = ledger.claims.ofCapture(oldCapture.id);
    const facts = new Map(ledger.facts.list().map((f) => [keyOf(f), f]));
    const notQueued: PairResult['not_queued'] = {};
    let mergedWithTwin = 0;
    const miss = (why: string, x: RawChange, note?: string) => (notQueued[why] ??= []).push(note ? { ...x, note } : x);
    for (const x of expected) {
      const k = itemKey(x.entry, x.field, x.condition);
      if (x.kind === 'removed' || covered.has(k)) continue;
      const located = locatedNew.get(k);
      if (!located) {
        // Two keys for one offering ("vertex_ai/m" and "m", "bedrock/invoke/x" and "x") stating the
        // same figure are one claim in the ledger; that is not a miss when the twin is accounted for.
        const base = (entry: string) => entry.split('/').at(-1);
        const twin = [...locatedNew.values()].find((l) => l.entry !== x.entry && base(l.entry) === base(x.entry) && l.claim.field === x.field && rawCondition(format, l.claim.condition) === x.condition && close(l.claim.value, x.new));
        if (twin) {
          mergedWithTwin++;
          continue;
        }
        miss('not extracted', x);
      }
      else if (located.claim.anomaly) miss('anomaly (kept out of facts by design)', x, located.claim.anomaly);
      else {
        const fact = [...facts.values()].find((f) => f.model === located.claim.model && f.field === x.field && rawCondition(format, f.condition) === x.condition && f.claims.some((c) => close(c.value, located.claim.value)));
        miss('reconciled to another value', x, fact ? `${fact.model} ${fact.field} [${fact.condition}] = ${fact.value} (${fact.rule})` : 'no fact');
      }
    }

    // Raw removals: "no longer seen" needs two syncs, so after one they must be counted as absent (or still be listed elsewhere).
    const absences = ledger.facts.absences();
    const linkOf = new Map((ledger.db.prepare('SELECT alias, model_id, route FROM model_links').all() as Array<{ alias: string; model_id: string; route: string | null }>).map((r) => [r.alias, { model: r.model_id, route: r.route }]));
    const removed: PairResult['removed'] = { pending_absence: 0, still_listed: 0, anomaly: 0, not_tracked: [] };
    for (const x of expected.filter((e) => e.kind === 'removed')) {
      const located = locatedOld.get(itemKey(x.entry, x.field, x.condition));
      const claim = located && oldClaims.find((c) => c.model === located.claim.model && c.field === x.field && rawCondition(format, c.condition) === x.condition);
      if (!claim) {
        removed.not_tracked.push(x);
        continue;
      }
      // The ledger keys a claim under the model identity linking put it on (and a reseller link's route).
      const link = linkOf.get(claim.model);
      const condition = link?.route && !claim.condition.includes('route:') ? [claim.condition, `route:${link.route}`].filter(Boolean).sort().join(';') : claim.condition;
      const key = keyOf({ model: link?.model ?? claim.model, field: claim.field, condition });
      if (claim.anomaly) removed.anomaly++;
      else if (absences.has(key)) removed.pending_absence++;
      else if (facts.has(key)) removed.still_listed++;
      else removed.not_tracked.push(x);
    }

    // Approve everything and ask the timeline for the prices between and after the captures.
    approveChanges(ledger, queued.map((c) => c.id), { reviewer: 'eval', at: d2 }, sources);
    const history: PairResult['history'] = { checked: 0, wrong: [] };
    const between = new Map(ledger.history.publishedAt(pair.between).map((h) => [keyOf(h), h.value]));
    const after = new Map(ledger.history.publishedAt(pair.after).map((h) => [keyOf(h), h.value]));
    const priceMoves = queued.filter((c) => c.kind === 'changed' && c.field.endsWith('_price'));
    for (const c of priceMoves) {
      history.checked++;
      const k = keyOf(c);
      if (!close(between.get(k) ?? null, c.old_value)) history.wrong.push({ model: c.model, field: c.field, condition: c.condition, at: pair.between, expected: c.old_value, got: between.get(k) ?? null });
      if (!close(after.get(k) ?? null, c.new_value)) history.wrong.push({ model: c.model, field: c.field, condition: c.condition, at: pair.after, expected: c.new_value, got: after.get(k) ?? null });
    }
    ledger.close();
    const cli: PairResult['cli_history'] = { checked: 0, wrong: [] };
    for (const c of priceMoves.slice(0, 2)) {
      for (const [at, want] of [[pair.between, c.old_value], [pair.after, c.new_value]] as const) {
        cli.checked++;
        const got = cliHistory(db, c.model, c.field, c.condition, at);
        if (!close(got, want)) cli.wrong.push(`history ${c.model} ${c.field} [${c.condition}] --at ${at}: ${got} (expected ${want})`);
      }
    }

    const counts = { added: 0, changed: 0, removed: 0 };
    for (const x of expected) counts[x.kind]++;
    const mismatches = Object.entries(notQueued).filter(([why]) => !why.startsWith('anomaly')).reduce((n, [, xs]) => n + xs.length, 0);
    return {
      source: format.source,
      files: pair.files,
      raw: counts,
      first_sync_approved: first.length,
      queued: queued.length,
      matched: queued.length - unexplained.length,
      merged_with_twin: mergedWithTwin,
      unexplained,
      not_queued: notQueued,
      removed,
      history,
      cli_history: cli,
      exact: unexplained.length === 0 && mismatches === 0 && removed.not_tracked.length === 0 && history.wrong.length === 0 && cli.wrong.length === 0,
      seconds: Math.round((performance.now() - started) / 100) / 10,
    };
  } finally {
    try {
      ledger.close();
    } catch {
      // already closed
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- report

function show(v: ClaimValue | null): string {
  return v === null ? '—' : String(v);
}

function printReport(r: PairResult): void {
  const log = (s = '') => process.stdout.write(s + '\n');
  log(`== ${r.source}: ${r.files.map((f) => path.basename(f)).join(' -> ')}  (${r.seconds}s)  ${r.exact ? 'EXACT' : 'MISMATCHES'}`);
  log(`raw field changes (independent reading): ${r.raw.changed} changed, ${r.raw.added} added, ${r.raw.removed} removed`);
  log(`first sync: ${r.first_sync_approved} additions approved; second sync queued ${r.queued}, ${r.matched} explained by a raw change`);
  if (r.merged_with_twin) log(`raw fields stated identically by a twin key (one claim in the ledger): ${r.merged_with_twin}`);
  for (const u of r.unexplained.slice(0, 15)) log(`  unexplained #${u.id} ${u.kind} ${u.model} ${u.field} [${u.condition}] ${show(u.old)} -> ${show(u.new)}  from ${u.entries.join(', ') || '(no entry)'}`);
  if (r.unexplained.length > 15) log(`  … ${r.unexplained.length - 15} more unexplained`);
  for (const [why, xs] of Object.entries(r.not_queued)) {
    log(`not queued — ${why}: ${xs.length}`);
    for (const x of xs.slice(0, 8)) log(`  ${x.entry} ${x.field} [${x.condition}] ${show(x.old)} -> ${show(x.new)}${x.note ? `  (${x.note})` : ''}`);
    if (xs.length > 8) log(`  … ${xs.length - 8} more`);
  }
  log(`removed fields: ${r.removed.pending_absence} counted absent (proposed after a second sync), ${r.removed.still_listed} still listed by another entry, ${r.removed.anomaly} were anomalies (never facts), ${r.removed.not_tracked.length} untracked`);
  for (const x of r.removed.not_tracked.slice(0, 8)) log(`  untracked removal ${x.entry} ${x.field} [${x.condition}] was ${show(x.old)}`);
  log(`history --at: ${r.history.checked} price moves checked, ${r.history.wrong.length} wrong; CLI spot checks ${r.cli_history.checked}, ${r.cli_history.wrong.length} wrong`);
  for (const w of r.history.wrong.slice(0, 8)) log(`  ${w.model} ${w.field} [${w.condition}] at ${w.at}: ${show(w.got)}, expected ${show(w.expected)}`);
  for (const w of r.cli_history.wrong) log(`  ${w}`);
  log();
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const only = args.includes('--pair') ? args[args.indexOf('--pair') + 1] : undefined;
  const missing = PAIRS.flatMap((p) => p.files).filter((f) => !existsSync(path.join(shared, f)));
  if (missing.length) {
    process.stderr.write(`eval-diff: the shared corpus is missing (looked in ${shared}): ${missing.join(', ')}\n`);
    process.exit(2);
  }
  const sources = loadSources(path.join(repoRoot, 'sources'));
  const results: PairResult[] = [];
  for (const pair of PAIRS.filter((p) => !only || p.format.source === only)) {
    const r = await evalPair(pair, sources);
    results.push(r);
    if (!json) printReport(r);
  }
  if (json) process.stdout.write(JSON.stringify({ exact: results.every((r) => r.exact), pairs: results }) + '\n');
  process.exitCode = results.every((r) => r.exact) ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();

export type { Change };
