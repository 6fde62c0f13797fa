import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { cli, cliProcess } from '../helpers/cli.ts';
import { DEMO_SNAPSHOTS, DEMO_SOURCES } from '../helpers/cli.ts';
import { readManifest } from '../../src/pipeline/manifest.ts';

/**
 * The whole ledger through the CLI, on the shipped sources and snapshots:
 * offline sync -> explain -> approve -> export -> re-sync -> ingest a moved price -> history.
 */
describe('the offline ledger, end to end', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ml-e2e-'));
  const db = join(dir, 'ledger.sqlite');
  const run = (...args: string[]) => cli(['--db', db, ...args]);
  const json = async (...args: string[]) => (await run(...args)).json();
  let firstSync: any;

  beforeAll(() => {
    // The first sync goes through the real binary, as `npm start` does.
    const result = cliProcess(['--db', db, 'sync', '--offline', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    firstSync = result.json();
  });

  it('reads every shipped source and reports claims, facts, conflicts and pending changes', () => {
    expect(firstSync.sources.map((s: any) => s.outcome)).toEqual(firstSync.sources.map(() => 'updated'));
    expect(firstSync.sources.length).toBe(new Set(readManifest(DEMO_SNAPSHOTS).map((e) => e.source_id)).size);
    expect(firstSync.claims).toBeGreaterThan(50);
    expect(firstSync.facts).toBeGreaterThan(20);
    expect(firstSync.conflicts.resolved + firstSync.conflicts.disputed).toBeGreaterThan(0);
    expect(firstSync.changes.pending).toBe(firstSync.facts);
  });

  it('explains the GPT-5.2 Codex context window conflict with both claims and their sources', async () => {
    const fact = await json('explain', 'openai/gpt-5.2-codex', 'context_window', '--json');
    expect(['disputed', 'resolved']).toContain(fact.status);
    const byValue = (v: number) => fact.claims.filter((c: any) => c.value === v).map((c: any) => c.source_id);
    expect(byValue(400000)).toEqual(expect.arrayContaining(['aggregator-compare', 'openrouter']));
    expect(byValue(256000)).toEqual(['aggregator-modelmatch']);
    for (const claim of fact.claims) {
      expect(claim.snapshot_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(claim.quote.length).toBeGreaterThan(0);
      expect(claim.locator.length).toBeGreaterThan(0);
      expect(claim.observed_at).toMatch(/^2026-/);
    }
  });

  it('resolves it to the first-party figure, which outranks the api and aggregator pages', async () => {
    const fact = await json('explain', 'openai/gpt-5.2-codex', 'context_window', '--json');
    expect(fact).toMatchObject({ value: 400000, status: 'resolved', rule: 'source-kind' });
    expect(fact.claims.find((c: any) => c.supports && c.source_kind === 'first-party').source_id).toBe('openai-models');
    expect(fact.explanation).toMatch(/openai-models \(first-party\) outranks/);
  });

  it('calls the context window disputed, with both values and sources, when only aggregators disagree', async () => {
    const aggregatorsOnly = mkdtempSync(join(tmpdir(), 'ml-agg-'));
    for (const id of ['aggregator-compare', 'aggregator-modelmatch', 'aggregator-versus']) {
      writeFileSync(join(aggregatorsOnly, `${id}.json`), readFileSync(join(DEMO_SOURCES, `${id}.json`)));
    }
    const agg = (...args: string[]) => cli(['--db', join(aggregatorsOnly, 'l.sqlite'), '--sources', aggregatorsOnly, ...args]);
    expect((await agg('sync', '--offline', '--quiet')).code).toBe(0);
    const fact = (await agg('explain', 'openai/gpt-5.2-codex', 'context_window', '--json')).json();
    expect(fact.status).toBe('disputed');
    expect(fact.claims.map((c: any) => [c.source_id, c.value]).sort()).toEqual([
      ['aggregator-compare', 400000],
      ['aggregator-modelmatch', 256000],
    ]);
  });

  it('keeps both sides of the other seeded conflicts', async () => {
    const facts = await json('explain', 'GPT-5.2 Codex', '--json');
    const field = (name: string) => facts.find((f: any) => f.field === name && f.condition === '');
    const values = (name: string) => [...new Set(field(name).claims.map((c: any) => c.value))].sort();
    expect(values('input_price')).toEqual([1.75, 3]);
    expect(values('output_price')).toEqual([12, 14]);
    expect(values('vision')).toEqual([false, true]);
  });

  it('lists first-sync additions as pending, publishes them on approval, and exports a valid dataset', async () => {
    const pending = await json('changes', '--json');
    expect(pending.length).toBe(firstSync.facts);
    expect(new Set(pending.map((c: any) => c.kind))).toEqual(new Set(['added']));

    expect((await run('approve', '--all', '--note', 'first import', '--reviewer', 'ana')).code).toBe(0);
    expect(await json('changes', '--json')).toEqual([]);

    const out = join(dir, 'export');
    expect((await run('export', '--out', out)).code).toBe(0);
    const dataset = JSON.parse(readFileSync(join(out, 'dataset.json'), 'utf8'));
    const validate = new Ajv({ strict: false }).compile(JSON.parse(readFileSync(join(out, 'dataset.schema.json'), 'utf8')));
    expect(validate(dataset), JSON.stringify(validate.errors)).toBe(true);
    const codex = dataset.models.find((m: any) => m.id === 'openai/gpt-5.2-codex');
    expect(codex.aliases).toEqual(expect.arrayContaining(['GPT-5.2 Codex', 'GPT-5.2-Codex']));
    expect(codex.values.find((v: any) => v.field === 'input_price' && v.condition === '').sources.length).toBeGreaterThan(0);
  });

  it('queues nothing on a second offline sync, and does not re-extract unchanged snapshots', async () => {
    const second = await json('sync', '--offline', '--json');
    expect(second.sources.map((s: any) => s.outcome)).toEqual(second.sources.map(() => 'unchanged'));
    expect(second.changes).toMatchObject({ queued: 0, pending: 0 });
  });

  it('queues exactly the moved price when a changed capture is ingested, and keeps both in history', async () => {
    const entry = readManifest(DEMO_SNAPSHOTS).find((e) => e.source_id === 'aggregator-versus')!;
    const body = readFileSync(join(DEMO_SNAPSHOTS, entry.file), 'utf8').replaceAll('$2.50', '$2.25');
    const file = join(dir, 'versus-moved.txt');
    writeFileSync(file, body);
    expect((await run('ingest', file, '--source', 'aggregator-versus', '--observed-at', '2026-06-01', '--json')).code).toBe(0);

    const pending = await json('changes', '--json');
    expect(pending.map((c: any) => [c.model, c.field, c.condition, c.kind, c.old_value, c.new_value])).toEqual([
      ['openai/gpt-4o-audio', 'input_price', '', 'changed', 2.5, 2.25],
    ]);
    expect((await run('approve', String(pending[0].id), '--reviewer', 'ana')).code).toBe(0);

    const history = await json('history', 'openai/gpt-4o-audio', 'input_price', '--json');
    expect(history.map((h: any) => [h.value, h.valid_from.slice(0, 10), h.valid_to?.slice(0, 10) ?? null])).toEqual([
      [2.5, '2026-05-22', '2026-06-01'],
      [2.25, '2026-06-01', null],
    ]);
    const atMay30 = await json('history', 'openai/gpt-4o-audio', 'input_price', '--at', '2026-05-30', '--json');
    expect(atMay30.map((h: any) => h.value)).toEqual([2.5]);
  });

  it('reports a page with no figures as drift and removes or zeroes nothing', async () => {
    const file = join(dir, 'docs-home.md');
    writeFileSync(file, '# Welcome to the docs\n\nStart here: guides, API reference, and release notes.\n\n- [Quickstart](/quickstart)\n- [Models](/models)\n');
    const before = await json('export', '--out', join(dir, 'before'), '--json');
    const ingest = await run('ingest', file, '--source', 'aggregator-versus', '--json');
    expect(ingest.code).toBe(1);
    const report = ingest.json().sources.find((s: any) => s.source_id === 'aggregator-versus');
    expect(report.outcome).toBe('drift');
    expect(report.problems.join(' ')).toMatch(/no figures found/);
    expect(await json('changes', '--json')).toEqual([]);
    const after = await json('export', '--out', join(dir, 'after'), '--json');
    expect(after.values).toBe(before.values);
    const versus = (await json('sources', '--json')).find((s: any) => s.id === 'aggregator-versus');
    expect(versus.consecutive_failures).toBe(1);
    expect(versus.last_error).toMatch(/no figures found/);
    expect(versus.basis.observed_at.slice(0, 10)).toBe('2026-06-01');
  });

  it('gives clear errors for unknown models, fields and sources', async () => {
    const unknownModel = await run('explain', 'no-such-model');
    expect(unknownModel.code).toBe(65);
    expect(unknownModel.stderr).toMatch(/no model named "no-such-model"/);
    expect((await run('explain', 'openai/gpt-5.2-codex', 'colour')).stderr).toMatch(/unknown field "colour"/);
    expect((await run('sync', '--offline', '--source', 'nope')).stderr).toMatch(/unknown source id\(s\): nope/);
  });
});

describe('reconcile --claims', () => {
  it('reconciles a CSV of claims from the command line, and rejects an empty one clearly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ml-rc-'));
    const file = join(dir, 'claims.csv');
    writeFileSync(file, 'source,entity,field,value\na,m1,ctx,400000\nb,m1,ctx,400000\nc,m1,ctx,256000\na,m2,ctx,128000\n');
    const values = await cli(['reconcile', '--claims', file, '--values-only']);
    expect(values.code).toBe(0);
    expect(values.stdout).toBe('entity,field,value\nm1,ctx,400000\nm2,ctx,128000\n');
    const json = (await cli(['reconcile', '--claims', file, '--json'])).json();
    expect(json.chosen.find((c: any) => c.entity === 'm1').dissent).toEqual([{ source: 'c', value: '256000' }]);
    writeFileSync(file, 'source,entity,field,value\n');
    const empty = await cli(['reconcile', '--claims', file]);
    expect(empty.code).toBe(65);
    expect(empty.stderr).toMatch(/holds no claims/);
  });
});

describe('points in time', () => {
  it('refuses an --at or --observed-at that is not a real date instead of answering for today', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ml-at-'));
    const run = (...args: string[]) => cli(['--db', join(dir, 'l.sqlite'), ...args]);
    await run('sync', '--offline', '--quiet');
    for (const bad of ['garbage', '2026-13-45', '2026-02-30', '', '2026-02-30T00:00:00Z', '2026-07-18T12:00:00']) {
      const history = await run('history', 'openai/gpt-5.2-codex', '--at', bad);
      expect(history.code, bad).toBe(65);
      expect(history.stderr).toMatch(/not a date|names no time zone/);
      expect((await run('export', '--out', join(dir, 'x'), '--at', bad)).code).toBe(65);
      expect((await run('ingest', join(dir, 'l.sqlite'), '--source', 'openrouter', '--observed-at', bad)).code).toBe(65);
    }
    expect((await run('history', 'openai/gpt-5.2-codex', '--at', '2026-07-18', '--json')).code).toBe(0);
    expect((await run('history', 'openai/gpt-5.2-codex', '--at', '2026-07-18T12:00:00Z', '--json')).code).toBe(0);
    // Before anything was approved: an empty answer that says for when, not "nothing is approved yet".
    expect((await run('history', 'openai/gpt-5.2-codex', '--at', '2020-01-01')).stdout).toMatch(/no approved values for openai\/gpt-5\.2-codex in force at 2020-01-01/);
    const early = await run('export', '--out', join(dir, 'early'), '--at', '2020-01-01');
    expect(early.code).toBe(0);
    expect(early.stdout).toMatch(/nothing approved was in force at 2020-01-01/);
    expect(early.stdout).not.toMatch(/approved yet/);
  });

  it('finds a model by its canonical name or its bare name, not only by a name a source printed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ml-names-'));
    const run = (...args: string[]) => cli(['--db', join(dir, 'l.sqlite'), ...args]);
    await run('sync', '--offline', '--quiet');
    for (const name of ['Qwen3.5-9B', 'qwen3.5-9b', 'qwen/qwen3.5-9b']) {
      const facts = (await run('explain', name, 'context_window', '--json')).json();
      expect(facts.model, name).toBe('qwen/qwen3.5-9b');
    }
    // The shipped registry names claude-sonnet-4-5 an alias of claude-sonnet-4.5.
    expect((await run('explain', 'claude-sonnet-4-5', 'output_price', '--json')).json()).toEqual(
      expect.arrayContaining([expect.objectContaining({ model: 'anthropic/claude-sonnet-4.5' })]),
    );
    expect((await run('approve', '--all')).code).toBe(0);
    const again = await run('approve', '--all');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/no pending changes/);
  });
});
