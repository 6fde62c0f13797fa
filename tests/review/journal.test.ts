import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, DEMO_SNAPSHOTS, DEMO_SOURCES } from '../helpers/cli.ts';
import { PACKAGE_ROOT } from '../../src/paths.ts';
import { readManifest } from '../../src/pipeline/manifest.ts';

/** Every file under `dir`, by relative path, with its bytes as text. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

/**
 * The decisions journal: every decision appended as a line, and `rebuild` recreating from the
 * snapshots and the journal a ledger whose export is byte-identical to the original's.
 */
describe('decisions journal and rebuild', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ml-journal-'));
  const db = join(dir, 'ledger.sqlite');
  const aliases = join(dir, 'aliases.yaml');
  const journal = join(dir, 'decisions.ndjson');
  const run = (...args: string[]) => cli(['--db', db, '--aliases', aliases, ...args]);
  const ok = async (...args: string[]) => {
    const r = await run(...args);
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    return r;
  };

  beforeAll(async () => {
    copyFileSync(join(PACKAGE_ROOT, 'aliases.yaml'), aliases);
    await ok('sync', '--offline', '--quiet');
    await ok('reject', '--model', 'openai/gpt-5.2-codex', '--field', 'context_window', '--reason', 'two sources disagree', '--reviewer', 'ana');
    await ok('alias', 'openai/gpt-4o-audio-preview', 'openai/gpt-4o-audio', '--reviewer', 'ana');
    await ok('approve', '--all', '--reviewer', 'ana', '--note', 'first import');
    await ok('override', 'openai/gpt-5.2', 'input_price', '1.5', '--reason', 'the vendor said so', '--reviewer', 'bob');
    await ok('approve', '--all', '--reviewer', 'bob');
    const entry = readManifest(DEMO_SNAPSHOTS).find((e) => e.source_id === 'aggregator-versus')!;
    const moved = join(dir, 'versus-moved.txt');
    writeFileSync(moved, readFileSync(join(DEMO_SNAPSHOTS, entry.file), 'utf8').replaceAll('$2.50', '$2.25'));
    await ok('ingest', moved, '--source', 'aggregator-versus', '--observed-at', '2026-06-01', '--quiet');
    // The page stops stating knowledge cutoffs, over two captures: their removal is queued and approved.
    const cut = join(dir, 'versus-cut.txt');
    writeFileSync(cut, readFileSync(moved, 'utf8').replace(/^\| Knowledge cutoff .*\n/m, ''));
    await ok('ingest', cut, '--source', 'aggregator-versus', '--observed-at', '2026-06-02', '--quiet');
    writeFileSync(cut, readFileSync(cut, 'utf8') + '\n');
    await ok('ingest', cut, '--source', 'aggregator-versus', '--observed-at', '2026-06-03', '--quiet');
    await ok('approve', '--all', '--reviewer', 'carla');
    await ok('override', 'openai/gpt-5.2', 'input_price', '--lift', '--reviewer', 'bob');
    await ok('reject', '--all', '--reason', 'keep the pinned price for now', '--reviewer', 'bob');
    await ok('export', '--out', join(dir, 'before'), '--format', 'all');
  });

  it('appends every decision as one line naming who, when and what, never a change id', () => {
    const lines = readFileSync(journal, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    const actions = lines.map((l) => l.action);
    expect(actions.filter((a) => a === 'sync')).toHaveLength(4);
    for (const a of ['approve', 'reject', 'pin', 'lift', 'alias']) expect(actions).toContain(a);
    for (const l of lines) {
      expect(Object.keys(l).slice(0, 3)).toEqual(['at', 'by', 'action']);
      expect(l).not.toHaveProperty('change_id');
      expect(l).not.toHaveProperty('id', expect.any(Number));
    }
    const rejected = lines.find((l) => l.action === 'reject');
    expect(rejected).toMatchObject({ by: 'ana', model: 'openai/gpt-5.2-codex', field: 'context_window', condition: '', reason: 'two sources disagree' });
    expect(Object.keys(rejected)).toEqual(['at', 'by', 'action', 'model', 'field', 'condition', 'kind', 'old_value', 'new_value', 'evidence_key', 'reason']);
    // The ingested capture is not a shipped snapshot: its body is kept beside the journal.
    const ingest = lines.filter((l) => l.action === 'sync')[1].reads[0];
    expect(ingest).toMatchObject({ source: 'aggregator-versus', read: 'snapshot', origin: 'ingest', observed_at: '2026-06-01T00:00:00.000Z' });
    expect(existsSync(join(dir, 'captures', 'aggregator-versus', `${ingest.sha256}.br`))).toBe(true);
  });

  it('rebuilds a ledger whose export is byte-identical to the original', async () => {
    const before = tree(join(dir, 'before'));
    // Removals are part of it: their intervals end when the sync that queued them ran.
    const intervals = JSON.parse(before['history.json']).intervals as Array<{ model: string; field: string; valid_to: string | null }>;
    expect(intervals.find((h) => h.model === 'openai/gpt-4o-audio' && h.field === 'knowledge_cutoff')?.valid_to).toEqual(expect.any(String));
    expect(JSON.parse(before['dataset.json']).models.length).toBeGreaterThan(3);
    renameSync(db, join(dir, 'old.sqlite'));
    // The registry as it was shipped, without the reviewer's alias: the journal brings it back.
    const registryAfter = readFileSync(aliases, 'utf8');
    copyFileSync(join(PACKAGE_ROOT, 'aliases.yaml'), aliases);
    expect(readFileSync(aliases, 'utf8')).not.toContain('openai/gpt-4o-audio-preview');
    const journalBefore = readFileSync(journal, 'utf8');
    const rebuilt = await run('rebuild', '--journal', journal, '--json');
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(readFileSync(aliases, 'utf8')).toBe(registryAfter);
    expect(rebuilt.json()).toMatchObject({ syncs: 4, skipped: [], restored: [{ name: 'openai/gpt-4o-audio-preview', id: 'openai/gpt-4o-audio', relation: 'alias' }] });
    expect(readFileSync(journal, 'utf8')).toBe(journalBefore); // replaying writes nothing to the journal
    await ok('export', '--out', join(dir, 'after'), '--format', 'all');
    expect(tree(join(dir, 'after'))).toEqual(before);
    // Same history, same change ids, same reviewers.
    const history = (await ok('history', 'openai/gpt-5.2', 'input_price', '--json')).json();
    expect(history.map((h: any) => h.value)).toContain(1.5);
  });

  it('names a kept capture that is damaged apart from one that is missing, and rebuilds nothing', async () => {
    const { cpSync, rmSync } = await import('node:fs');
    const copy = join(dir, 'damaged');
    cpSync(join(dir, 'captures'), join(copy, 'captures'), { recursive: true });
    cpSync(journal, join(copy, 'decisions.ndjson'));
    const ingest = readFileSync(journal, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l)).filter((l) => l.action === 'sync')[1].reads[0];
    const kept = join(copy, 'captures', 'aggregator-versus', `${ingest.sha256}.br`);
    writeFileSync(kept, 'not brotli');
    const target = join(copy, 'l.sqlite');
    const damaged = await cli(['--db', target, '--aliases', aliases, 'rebuild', '--journal', join(copy, 'decisions.ndjson')]);
    expect(damaged.code).toBe(65);
    expect(damaged.stderr).toMatch(/of aggregator-versus is kept in .*\.br, but that file does not decompress to a body with its hash/);
    rmSync(kept);
    const missing = await cli(['--db', target, '--aliases', aliases, 'rebuild', '--journal', join(copy, 'decisions.ndjson')]);
    expect(missing.stderr).toMatch(/is neither a shipped snapshot nor kept in captures\//);
    expect(existsSync(target)).toBe(false);
  });

  it('refuses to rebuild over a ledger that holds one', async () => {
    const r = await run('rebuild', '--journal', journal);
    expect(r.code).toBe(65);
    expect(r.stderr).toMatch(/already holds a ledger/);
  });

  it('refuses a malformed journal naming the line, and applies nothing from it', async () => {
    const bad = join(dir, 'bad.ndjson');
    const lines = readFileSync(journal, 'utf8').trimEnd().split('\n');
    lines.splice(3, 0, '{"at":"2026-01-01T00:00:00Z","by":"ana","action":"approve","model":"openai/gpt-5.2"}');
    writeFileSync(bad, lines.join('\n') + '\n');
    const target = join(dir, 'bad.sqlite');
    const r = await cli(['--db', target, '--aliases', aliases, 'rebuild', '--journal', bad]);
    expect(r.code).toBe(65);
    expect(r.stderr).toMatch(/bad\.ndjson:4: /);
    expect(existsSync(target)).toBe(false);

    writeFileSync(bad, lines.slice(0, 2).join('\n') + '\nnot json\n');
    const r2 = await cli(['--db', target, '--aliases', aliases, 'rebuild', '--journal', bad]);
    expect(r2.code).toBe(65);
    expect(r2.stderr).toMatch(/bad\.ndjson:3: not a JSON line/);
    expect(existsSync(target)).toBe(false);
  });

  it('merges two journals by concatenation and sort; of two decisions on one change the earlier stands', async () => {
    const lines = readFileSync(journal, 'utf8').trimEnd().split('\n');
    const rejection = JSON.parse(lines.find((l) => JSON.parse(l).action === 'reject')!);
    // Another reviewer, on another branch, approved the same change ten minutes later.
    const later = { ...rejection, at: new Date(Date.parse(rejection.at) + 600_000).toISOString(), by: 'zoe', action: 'approve', note: 'looks fine' };
    delete later.reason;
    const theirs = join(dir, 'theirs.ndjson');
    writeFileSync(theirs, JSON.stringify(later) + '\n');
    const merged = join(dir, 'merged', 'decisions.ndjson');
    const all = [...new Set([...lines, JSON.stringify(later)])].sort();
    (await import('node:fs')).mkdirSync(join(dir, 'merged', 'captures'), { recursive: true });
    (await import('node:fs')).cpSync(join(dir, 'captures'), join(dir, 'merged', 'captures'), { recursive: true });
    writeFileSync(merged, all.join('\n') + '\n');
    const target = join(dir, 'merged.sqlite');
    const registry = readFileSync(aliases, 'utf8');
    const r = await cli(['--db', target, '--aliases', aliases, 'rebuild', '--journal', merged, '--json']);
    expect(r.code, r.stderr).toBe(0);
    // A registry that holds the journal's alias decisions is left as it is.
    expect(r.json().restored).toEqual([]);
    expect(readFileSync(aliases, 'utf8')).toBe(registry);
    expect(r.json().skipped).toEqual([{ line: all.indexOf(JSON.stringify(later)) + 1, action: 'approve', reason: expect.stringMatching(/no pending change openai\/gpt-5.2-codex context_window/) }]);
    const rejected = (await cli(['--db', target, '--journal', join(dir, 'merged', 'x.ndjson'), 'changes', '--status', 'rejected', '--json'])).json();
    expect(rejected.find((c: any) => c.model === 'openai/gpt-5.2-codex' && c.field === 'context_window')).toMatchObject({ reviewer: 'ana' });

    // Merged by concatenation instead (theirs, then ours): the later approval would replay first and stand.
    const union = join(dir, 'merged', 'union.ndjson');
    writeFileSync(union, [JSON.stringify(later), ...lines].join('\n') + '\n');
    const unsorted = await cli(['--db', join(dir, 'union.sqlite'), '--aliases', aliases, 'rebuild', '--journal', union]);
    expect(unsorted.code).toBe(65);
    expect(unsorted.stderr).toMatch(/union\.ndjson:\d+: a decision dated .*, before the decision on line 1 .*out of time order.*sort -u/);
    expect(existsSync(join(dir, 'union.sqlite'))).toBe(false);

    // A sync's line carries the time its run began, and is appended after what was decided meanwhile: not out of order.
    const parsed = lines.map((l) => JSON.parse(l));
    const second = parsed.findIndex((l, i) => l.action === 'sync' && i > 0 && parsed[i - 1].action !== 'sync');
    const began = new Date(Date.parse(parsed[second - 1].at) - 600_000).toISOString();
    const concurrent = lines.map((l, i) => (i === second ? JSON.stringify({ ...parsed[i], at: began }) : l));
    writeFileSync(union, concurrent.join('\n') + '\n');
    const replayed = await cli(['--db', join(dir, 'concurrent.sqlite'), '--aliases', aliases, 'rebuild', '--journal', union]);
    expect(replayed.code, replayed.stderr).toBe(0);
  });
});

/** A sync's capture limits decide which captures are drift: a rebuild replays the sync with them. */
describe('rebuild and the limits a sync ran with', () => {
  it('records the same captures, drift and all, as the sync that was given limits', async () => {
    const { ingestFile, rebuildLedger, withLedger, workspace } = await import('../../src/app/index.ts');
    const dir = mkdtempSync(join(tmpdir(), 'ml-journal-limits-'));
    const ws = workspace({ db: join(dir, 'ledger.sqlite'), sourcesDir: DEMO_SOURCES, snapshotsDir: DEMO_SNAPSHOTS, aliasesFile: join(dir, 'aliases.yaml'), journal: join(dir, 'decisions.ndjson') });
    const entry = readManifest(DEMO_SNAPSHOTS).find((e) => e.source_id === 'aggregator-versus')!;
    const page = join(DEMO_SNAPSHOTS, entry.file);
    const moved = join(dir, 'versus-moved.txt');
    writeFileSync(moved, readFileSync(page, 'utf8').replaceAll('$2.50', '$2.25'));
    await ingestFile(ws, page, { source: 'aggregator-versus', observedAt: '2026-06-01' });
    // Over its claim limit, the second capture is drift: its claims do not become the source's.
    const limited = await ingestFile(ws, moved, { source: 'aggregator-versus', observedAt: '2026-06-02', limits: { maxClaims: 3 } });
    expect(limited.sources[0].outcome).toBe('drift');
    const lines = readFileSync(ws.journal!, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.limits)).toEqual([undefined, { max_claims: 3 }]);

    const captures = (db: string) => withLedger({ ...ws, db }, (ledger) => ({ captures: ledger.captures.of('aggregator-versus').map((c) => [c.observed_at, c.outcome, c.claim_count]), current: ledger.claims.current().length }));
    const rebuilt = join(dir, 'rebuilt.sqlite');
    await rebuildLedger({ ...ws, db: rebuilt, journal: null }, ws.journal!);
    expect(captures(rebuilt)).toEqual(captures(ws.db));
  });
});
