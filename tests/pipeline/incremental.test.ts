import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prng } from '../../bench/reconcile.ts';
import { parseAliasRegistry, type AliasRegistry } from '../../src/normalize/aliases.ts';
import { sha256Hex } from '../../src/pipeline/manifest.ts';
import { reconcileAndQueue, runPipeline, type Acquired, type PipelineOptions } from '../../src/pipeline/sync.ts';
import { approveChanges, rejectChanges } from '../../src/review/decide.ts';
import type { Source } from '../../src/schema/source.ts';
import type { SyncSummary } from '../../src/schema/sync.ts';
import { Ledger } from '../../src/store/ledger.ts';
import { cli } from '../helpers/cli.ts';
import { FIXTURES } from '../review/helpers.ts';

/**
 * A sync that finds nothing changed skips reconcile and diff; `full` always runs them. Two ledgers
 * take the same seeded random sequence of captures, re-reads, pins, lifts, decisions and alias
 * edits, one incrementally and one in full, and must hold the same facts, queue and history after
 * every step.
 */

const SOURCES: Source[] = ['alpha', 'beta', 'gamma'].map((id, i) => ({
  id,
  name: id,
  kind: i === 0 ? 'first-party' : 'aggregator',
  url: `https://${id}.example/pricing`,
  format: 'html',
  extractor: 'aggregator',
  trust: [0.9, 0.6, 0.5][i],
  render: 'http',
  robots: 'obey',
  expect: { min_models: 1, fields: [] },
}));

const MODELS = ['GPT-5.2', 'GPT-4.1 Mini', 'Claude Sonnet 4.5', 'Claude-Sonnet-4.5', 'Gemini 2.5 Pro', 'Llama 3.3 70B'];
/** One model each source alone lists: its figures are uncontested, so correcting one leaves every source's learned accuracy as it was. */
const OWN_MODELS: Record<string, string> = { alpha: 'Mistral Large 2', beta: 'Qwen 2.5 72B', gamma: 'DeepSeek V3' };
const PRICES = [0.4, 1.25, 1.75, 3, 15];
const CONTEXTS = [128, 200, 400, 1000];

/** One row of a pricing page: a model's input price, output price and context window (K tokens). */
type Row = [name: string, input: number, output: number, context: number];

function html(rows: Row[]): string {
  const cells = rows.map(([name, input, output, context]) => `<tr><td>${name}</td><td>$${input}</td><td>$${output}</td><td>${context}K</td></tr>`);
  return `<html><body><h1>API pricing</h1><table><thead><tr><th>Model</th><th>Input price</th><th>Output price</th><th>Context window</th></tr></thead><tbody>${cells.join('')}</tbody></table></body></html>`;
}

/** A pricing page of some of the models, each with prices drawn from a few values so sources agree and disagree. */
function randomRows(random: () => number, own: string): Row[] {
  const pick = <T,>(xs: T[]) => xs[Math.floor(random() * xs.length)];
  const rows = [...MODELS, own].filter(() => random() < 0.7).map((name): Row => [name, pick(PRICES), pick(PRICES) * 4, pick(CONTEXTS)]);
  if (rows.length === 0) rows.push([MODELS[0], 1.75, 14, 400]);
  return rows;
}

function page(random: () => number): string {
  return html(randomRows(random, OWN_MODELS.alpha));
}

/**
 * The source's last page with one or two figures edited, a row added or a row dropped: a few keys
 * change, the rest repeat.
 */
function edited(random: () => number, rows: Row[], own: string): Row[] {
  const next = rows.map((r): Row => [...r]);
  const edits = 1 + Math.floor(random() * 2);
  for (let e = 0; e < edits; e++) {
    const roll = random();
    // Mostly the source's own model, so that some edits leave every other source's weight alone.
    const at = next.findIndex(([name]) => name === own);
    const row = at >= 0 && random() < 0.7 ? at : Math.floor(random() * next.length);
    if (roll < 0.6 && next.length > 0) {
      const column = Math.floor(random() * 3);
      const values = [PRICES, PRICES.map((p) => p * 4), CONTEXTS][column];
      next[row][1 + column] = values[Math.floor(random() * values.length)];
    }
    else if (roll < 0.8 && next.length > 1) next.splice(row, 1);
    else {
      const missing = [...MODELS, own].filter((name) => !next.some(([n]) => n === name));
      if (missing.length > 0) next.push([missing[Math.floor(random() * missing.length)], PRICES[Math.floor(random() * PRICES.length)], 12, 200]);
    }
  }
  return next;
}

const REGISTRIES: AliasRegistry[] = [
  parseAliasRegistry('models: {}\n'),
  parseAliasRegistry('models:\n  openai/gpt-5.2: [openai/gpt-4.1-mini]\n'),
];

type Step =
  | { kind: 'capture'; source: Source; body: string; observedAt: string }
  | { kind: 'reread'; sources?: Source[] }
  | { kind: 'pin' | 'lift'; pick: number; value: number }
  | { kind: 'approve' | 'reject'; share: number }
  | { kind: 'aliases'; registry: number };

/**
 * A random sequence of what happens to a ledger between and during syncs. Most captures edit a few
 * figures of the source's last page; some of those correct it on the day it was taken (a capture's
 * date weighs its claims against the others on each key, so only a same-day correction can leave
 * every source's learned weight as it was), and some pages are drawn afresh.
 */
function script(seed: number, length: number): Step[] {
  const random = prng(seed);
  const steps: Step[] = [];
  const last = new Map<string, { rows: Row[]; observedAt: string }>();
  let day = 1;
  for (let i = 0; i < length; i++) {
    const roll = random();
    day += 1;
    const observedAt = `2026-08-${String(day).padStart(2, '0')}T00:00:00.000Z`;
    if (roll < 0.4) {
      const source = SOURCES[Math.floor(random() * SOURCES.length)];
      const before = last.get(source.id);
      const kind = random();
      const capture =
        !before || kind < 0.15
          ? { rows: randomRows(random, OWN_MODELS[source.id]), observedAt }
          : { rows: edited(random, before.rows, OWN_MODELS[source.id]), observedAt: kind < 0.6 ? before.observedAt : observedAt };
      last.set(source.id, capture);
      steps.push({ kind: 'capture', source, body: html(capture.rows), observedAt: capture.observedAt });
    } else if (roll < 0.55) steps.push({ kind: 'reread' });
    else if (roll < 0.65) steps.push({ kind: random() < 0.6 ? 'pin' : 'lift', pick: random(), value: PRICES[Math.floor(random() * PRICES.length)] });
    else if (roll < 0.9) steps.push({ kind: random() < 0.7 ? 'approve' : 'reject', share: random() });
    else steps.push({ kind: 'aliases', registry: Math.floor(random() * REGISTRIES.length) });
  }
  return steps;
}

/** Runs a script on a fresh ledger; after each step, what the ledger holds. */
async function play(steps: Step[], full: boolean): Promise<{ states: unknown[]; summaries: SyncSummary[]; captures: SyncSummary[] }> {
  const ledger = new Ledger(join(mkdtempSync(join(tmpdir(), 'ml-incremental-')), 'l.sqlite'));
  const states: unknown[] = [];
  const summaries: SyncSummary[] = [];
  const captures: SyncSummary[] = [];
  let registry = REGISTRIES[0];
  try {
    for (const [i, step] of steps.entries()) {
      const at = new Date(Date.UTC(2026, 8, 1, i)).toISOString();
      const options: PipelineOptions = { sources: SOURCES, aliases: registry, now: () => at, extractWorkers: 0, full };
      const sync = async (acquire: (s: Source) => Acquired, targets = SOURCES) => summaries.push(await runPipeline(ledger, options, targets, async (s) => acquire(s)));
      if (step.kind === 'capture') {
        const { source, body, observedAt } = step;
        const snapshot = { source_id: source.id, sha256: sha256Hex(body), observed_at: observedAt, url: source.url, format: source.format, content_type: null, body };
        await sync(() => ({ status: 'snapshot', origin: 'ingest', snapshot }), [source]);
        captures.push(summaries[summaries.length - 1]);
      } else if (step.kind === 'reread') {
        await sync(() => ({ status: 'unchanged' }), step.sources);
      } else if (step.kind === 'pin' || step.kind === 'lift') {
        const facts = ledger.facts.list({ field: 'input_price' });
        if (facts.length === 0) continue;
        const f = facts[Math.floor(step.pick * facts.length)];
        if (step.kind === 'pin') ledger.overrides.pin({ model: f.model, field: f.field, condition: f.condition, value: step.value, reason: 'test', reviewer: 'ana', created_at: at });
        else ledger.overrides.lift(f.model, f.field, f.condition, 'ana', at);
        summaries.push(reconcileAndQueue(ledger, options, []));
      } else if (step.kind === 'approve' || step.kind === 'reject') {
        const pending = ledger.changes.list({ status: 'pending' });
        const ids = pending.slice(0, Math.ceil(step.share * pending.length)).map((c) => c.id);
        if (step.kind === 'approve') approveChanges(ledger, ids, { reviewer: 'ana', at }, SOURCES);
        else rejectChanges(ledger, ids, { reviewer: 'ana', reason: 'test', at });
      } else if (step.kind === 'aliases') {
        // As `alias` does: the registry applies at once.
        registry = REGISTRIES[step.registry];
        summaries.push(reconcileAndQueue(ledger, { ...options, aliases: registry }, []));
      }
      const changes = ledger.changes.list();
      // A change shows the fact it proposes, with that fact's evidence, whether it still follows its
      // key's row or took its own copy when the row moved on or the change was decided or superseded.
      for (const c of changes) {
        if (c.kind === 'removed') continue;
        expect(c.fact?.value, `step ${i}: change ${c.id} (${c.status})`).toEqual(c.new_value);
        if (c.fact!.status === 'overridden') continue;
        const supported = c.fact!.claims.some((e) => e.supports && JSON.stringify(e.value) === JSON.stringify(c.new_value));
        expect(supported, `step ${i}: change ${c.id} (${c.status}) shows evidence for ${JSON.stringify(c.new_value)}`).toBe(true);
      }
      states.push({ step: i, facts: ledger.facts.list(), changes, history: ledger.history.list(), absences: [...ledger.facts.absences()].sort() });
    }
  } finally {
    ledger.close();
  }
  return { states, summaries, captures };
}

describe('incremental sync', () => {
  it('holds the same facts, queue and history as a full reconcile after random sequences of syncs', async () => {
    let skipped = 0;
    let incrementalCaptures = 0;
    let partial = 0;
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const steps = script(seed, 24);
      const incremental = await play(steps, false);
      const full = await play(steps, true);
      for (let i = 0; i < incremental.states.length; i++) expect(incremental.states[i], `seed ${seed}`).toEqual(full.states[i]);
      expect(full.summaries.every((s) => s.reconciled === 'full')).toBe(true);
      for (const [i, s] of incremental.summaries.entries()) expect(s, `seed ${seed} sync ${i}`).toMatchObject({ claims: full.summaries[i].claims, facts: full.summaries[i].facts, conflicts: full.summaries[i].conflicts });
      const ran = incremental.summaries.filter((s) => s.reconciled === 'incremental');
      // Each sequence must take the incremental path, or the comparison above proves nothing about it.
      expect(ran.length, `seed ${seed}`).toBeGreaterThan(0);
      partial += ran.filter((s) => s.reconciled_keys! * 2 < s.facts).length;
      skipped += incremental.summaries.filter((s) => s.reconciled === 'skipped').length;
      incrementalCaptures += incremental.captures.filter((s) => s.reconciled === 'incremental').length;
    }
    // The sequences must exercise the skip, and captures that change a few keys must run incrementally.
    expect(skipped).toBeGreaterThan(5);
    expect(incrementalCaptures).toBeGreaterThan(2);
    expect(partial).toBeGreaterThan(3);
  }, 120_000);

  it('reconciles only the keys of a capture taken a week later that moves one figure, the source weights staying within their noise', async () => {
    // The model's second spelling states the same figures as its first: a page stating two for one model contradicts itself, and has no vote on it.
    const figuresOf = (name: string, m: number) => (name === 'Claude-Sonnet-4.5' ? m - 1 : m);
    const rows: Row[] = MODELS.map((name, m) => [name, PRICES[figuresOf(name, m) % PRICES.length], PRICES[figuresOf(name, m) % PRICES.length] * 4, CONTEXTS[figuresOf(name, m) % CONTEXTS.length]]);
    const moved: Row[] = rows.map((r, m) => (m === 0 ? [r[0], 2.5, r[2], r[3]] : r));
    const steps: Step[] = [
      ...SOURCES.map((source): Step => ({ kind: 'capture', source, body: html(rows), observedAt: '2026-08-02T00:00:00.000Z' })),
      { kind: 'capture', source: SOURCES[1], body: html(moved), observedAt: '2026-08-09T00:00:00.000Z' },
    ];
    const incremental = await play(steps, false);
    const last = incremental.summaries[incremental.summaries.length - 1];
    // Beta now disagrees on one figure: what each source is worth moves, but by less than it can be known to.
    expect(last.reconciled).toBe('incremental');
    expect(last.reconciled_keys).toBeLessThanOrEqual(last.facts);
    // Its pending change now cites beta's new capture, and the figure is outvoted two to one.
    expect(last.changes.refreshed).toBeGreaterThan(0);
    expect(last.conflicts.resolved).toBeGreaterThan(0);
    expect(incremental.states).toEqual((await play(steps, true)).states);
  });

  it('keeps the id with approved values canonical while its only source contradicts itself on it', async () => {
    // Alpha then lists one model under two spellings with two prices: it has no vote on either, so
    // the approved id has no fact for a while. A re-read that changed nothing must not re-link the
    // spellings (full did: it took the ids with facts as the established ones), nor count absences.
    const [alpha, beta] = SOURCES;
    const steps: Step[] = [
      { kind: 'capture', source: alpha, body: html([['Claude-Sonnet-4-5', 3, 15, 200], ['GPT-5.2', 1.75, 14, 400]]), observedAt: '2026-08-01T00:00:00.000Z' },
      { kind: 'capture', source: beta, body: html([['GPT-5.2', 1.75, 14, 400], ['Gemini 2.5 Pro', 1.25, 10, 1000]]), observedAt: '2026-08-01T00:00:00.000Z' },
      { kind: 'approve', share: 1 },
      { kind: 'capture', source: alpha, body: html([['Claude-Sonnet-4-5', 3, 15, 200], ['Claude Sonnet 4.5', 4, 16, 100], ['GPT-5.2', 1.75, 14, 400]]), observedAt: '2026-08-02T00:00:00.000Z' },
      { kind: 'reread', sources: [alpha, beta] },
      { kind: 'capture', source: beta, body: html([['GPT-5.2', 1.75, 14, 400], ['Gemini 2.5 Pro', 1.5, 10, 1000]]), observedAt: '2026-08-04T00:00:00.000Z' },
      { kind: 'reread', sources: [alpha, beta] },
    ];
    const incremental = await play(steps, false);
    expect(incremental.summaries[3].reconciled).toBe('skipped');
    expect(incremental.states).toEqual((await play(steps, true)).states);
  });

  it('skips reconcile on a re-read that changed nothing, and runs it again after a decision', async () => {
    const steps: Step[] = [
      ...SOURCES.map((source, i): Step => ({ kind: 'capture', source, body: page(prng(7 + i)), observedAt: '2026-08-02T00:00:00.000Z' })),
      { kind: 'reread' },
      { kind: 'approve', share: 0.5 },
      { kind: 'reread' },
      { kind: 'reread' },
      { kind: 'aliases', registry: 1 },
      { kind: 'reread' },
    ];
    const { summaries } = await play(steps, false);
    // The decision touched a few keys: only they are reconciled and diffed again. An alias edit weighs on every key.
    expect(summaries.map((s) => s.reconciled)).toEqual(['full', 'full', 'full', 'skipped', 'incremental', 'skipped', 'full', 'skipped']);
    expect(summaries[4].reconciled_keys).toBeGreaterThan(0);
    expect(summaries[4].reconciled_keys).toBeLessThan(summaries[4].facts);
    // A skipped run reports the figures of the reconciliation it stands on.
    expect(summaries[3]).toMatchObject({ claims: summaries[2].claims, facts: summaries[2].facts, changes: { queued: 0, refreshed: 0, superseded: 0, pending: summaries[2].changes.pending } });
    expect(summaries[2].facts).toBeGreaterThan(0);
  });
});

describe('ingest --full', () => {
  it('runs the whole reconcile where a plain ingest of the same capture runs incrementally, and both queue the same', async () => {
    const queues: unknown[] = [];
    for (const full of [false, true]) {
      const db = join(mkdtempSync(join(tmpdir(), 'ml-ingest-full-')), 'ledger.sqlite');
      const ingest = (file: string, date: string, ...flags: string[]) => cli(['--db', db, 'ingest', join(FIXTURES, file), '--source', 'openrouter', '--observed-at', date, '--json', ...flags]);
      await ingest('openrouter-2026-07-17.json', '2026-07-17');
      const second = (await ingest('openrouter-2026-07-21.json', '2026-07-21', ...(full ? ['--full'] : []))).json();
      expect(second.reconciled).toBe(full ? 'full' : 'incremental');
      queues.push((await cli(['--db', db, 'changes', '--json'])).json().map(({ id, model, field, condition, kind, new_value }: Record<string, unknown>) => ({ id, model, field, condition, kind, new_value })));
    }
    expect(queues[0]).toEqual(queues[1]);
    expect((queues[0] as unknown[]).length).toBeGreaterThan(0);
  });
});
