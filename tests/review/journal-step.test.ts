import { copyFileSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, DEMO_SNAPSHOTS } from '../helpers/cli.ts';
import { readManifest } from '../../src/pipeline/manifest.ts';
import { processStart } from '../../src/pipeline/lock.ts';
import { hostname } from 'node:os';
import { PACKAGE_ROOT } from '../../src/paths.ts';

/** A fresh directory holding a ledger's place, its aliases and its journal; `run` runs the CLI on a ledger there. */
function workspaceIn(prefix: string) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const aliases = join(dir, 'aliases.yaml');
  const journal = join(dir, 'decisions.ndjson');
  copyFileSync(join(PACKAGE_ROOT, 'aliases.yaml'), aliases);
  const run = (ledger: string, ...args: string[]) => cli(['--db', ledger, '--aliases', aliases, '--journal', journal, ...args]);
  return { dir, db: join(dir, 'ledger.sqlite'), aliases, journal, run };
}

/**
 * A command killed after its decision reached the journal but before the ledger committed it
 * leaves the journal one decision ahead. Deciding on from the ledger would then lose a decision
 * (the journal is what a rebuild, and the weekly job, replays): the ledger refuses until rebuilt.
 */
describe('a ledger out of step with its journal', () => {
  it('refuses decisions and syncs until it is rebuilt from the journal, and then loses nothing', async () => {
    const { dir, db, aliases, journal, run } = workspaceIn('ml-journal-step-');
    expect((await run(db, 'sync', '--offline', '--quiet')).code).toBe(0);
    const pending = (await run(db, 'changes', '--json')).json() as Array<{ id: number; model: string; field: string }>;
    const first = pending[0];

    // The approval reaches the journal, not this ledger: as if its command died before committing.
    const twin = join(dir, 'twin.sqlite');
    copyFileSync(db, twin);
    expect((await run(twin, 'approve', String(first.id), '--reviewer', 'ana')).code).toBe(0);
    const journalAhead = readFileSync(journal, 'utf8');

    const rejected = await run(db, 'reject', '--all', '--reason', 'not now', '--reviewer', 'bob');
    expect(rejected.code).toBe(65);
    expect(rejected.stderr).toMatch(/not in step with its journal .*model-ledger rebuild/s);
    expect((await run(db, 'sync', '--offline', '--quiet')).code).toBe(65);
    // An alias the journal refuses is not written into the registry either: a sync would apply what no decision recorded.
    const registry = readFileSync(aliases, 'utf8');
    expect((await run(db, 'alias', 'some-other-name', first.model, '--reviewer', 'bob')).code).toBe(65);
    expect(readFileSync(aliases, 'utf8')).toBe(registry);
    expect(readFileSync(journal, 'utf8')).toBe(journalAhead);
    expect((await run(db, 'changes', '--json')).json()).toHaveLength(pending.length);

    renameSync(db, join(dir, 'aside.sqlite'));
    expect((await run(db, 'rebuild', '--journal', journal)).code).toBe(0);
    expect((await run(db, 'reject', '--all', '--reason', 'not now', '--reviewer', 'bob')).code).toBe(0);
    const decided = (await run(db, 'changes', '--status', 'approved', '--json')).json() as Array<{ model: string; field: string; reviewer: string }>;
    expect(decided).toEqual([expect.objectContaining({ model: first.model, field: first.field, reviewer: 'ana' })]);
    expect((await run(db, 'changes', '--status', 'rejected', '--json')).json()).toHaveLength(pending.length - 1);
  });

  it('refuses to decide on what a sync queued after it stopped short of its journal line, until rebuilt', async () => {
    const { dir, db, journal, run: runOn } = workspaceIn('ml-journal-owed-');
    const run = (...args: string[]) => runOn(db, ...args);
    expect((await run('sync', '--offline', '--quiet')).code).toBe(0);
    expect((await run('approve', '--all', '--reviewer', 'ana')).code).toBe(0);

    // A bad source file stops a sync before it records anything: its ledger's trace did not move, nothing is owed, the next one runs.
    const sources = join(dir, 'sources');
    writeFileSync(sources, 'not a directory');
    expect((await run('sync', '--offline', '--quiet', '--sources', sources)).code).toBe(65);
    expect((await run('sync', '--offline', '--quiet')).code).toBe(0);
    const journalBefore = readFileSync(journal, 'utf8');

    // The ingest commits its capture and queues its change, then cannot keep the body beside the
    // journal (a file where the captures directory goes): its journal line is never written.
    const entry = readManifest(DEMO_SNAPSHOTS).find((e) => e.source_id === 'aggregator-versus')!;
    const moved = join(dir, 'versus-moved.txt');
    writeFileSync(moved, readFileSync(join(DEMO_SNAPSHOTS, entry.file), 'utf8').replaceAll('$2.50', '$2.25'));
    writeFileSync(join(dir, 'captures'), 'in the way');
    const ingested = await run('ingest', moved, '--source', 'aggregator-versus', '--observed-at', '2026-06-01', '--quiet');
    expect(ingested.code).not.toBe(0);
    expect(readFileSync(journal, 'utf8')).toBe(journalBefore);
    const queued = (await run('changes', '--json')).json() as Array<{ id: number }>;
    expect(queued.length).toBeGreaterThan(0);

    // While a sync in another process holds the ledger's lock (here: this test's parent, alive), its
    // line may still be coming: a decision waits (75), it is not told to rebuild.
    const holder = { pid: process.ppid, start: processStart(process.ppid), host: hostname(), started_at: new Date().toISOString(), token: 'another-sync' };
    writeFileSync(`${db}.lock`, JSON.stringify(holder));
    const meanwhile = await run('approve', '--all', '--reviewer', 'bob');
    rmSync(`${db}.lock`);
    expect(meanwhile.code).toBe(75);
    expect(meanwhile.stderr).toMatch(/another sync holds the ledger lock/);

    const approved = await run('approve', '--all', '--reviewer', 'bob');
    expect(approved.code, approved.stderr).toBe(65);
    expect(approved.stderr).toMatch(/ahead of its journal .*begun at .*model-ledger rebuild/s);
    expect((await run('sync', '--offline', '--quiet')).code).toBe(65);
    expect(readFileSync(journal, 'utf8')).toBe(journalBefore);

    // Rebuilt from the journal, the ledger has no trace of the ingest the journal never recorded.
    rmSync(join(dir, 'captures'));
    renameSync(db, join(dir, 'aside.sqlite'));
    expect((await run('rebuild', '--journal', journal)).code).toBe(0);
    expect((await run('changes', '--json')).json()).toEqual([]);
    expect((await run('ingest', moved, '--source', 'aggregator-versus', '--observed-at', '2026-06-01', '--quiet')).code).toBe(0);
    expect(((await run('changes', '--json')).json() as unknown[]).length).toBe(queued.length);
  });
});
