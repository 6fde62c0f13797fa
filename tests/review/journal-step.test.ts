import { copyFileSync, mkdtempSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.ts';
import { PACKAGE_ROOT } from '../../src/paths.ts';

/**
 * A command killed after its decision reached the journal but before the ledger committed it
 * leaves the journal one decision ahead. Deciding on from the ledger would then lose a decision
 * (the journal is what a rebuild, and the weekly job, replays): the ledger refuses until rebuilt.
 */
describe('a ledger out of step with its journal', () => {
  it('refuses decisions and syncs until it is rebuilt from the journal, and then loses nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ml-journal-step-'));
    const db = join(dir, 'ledger.sqlite');
    const aliases = join(dir, 'aliases.yaml');
    const journal = join(dir, 'decisions.ndjson');
    copyFileSync(join(PACKAGE_ROOT, 'aliases.yaml'), aliases);
    const run = (ledger: string, ...args: string[]) => cli(['--db', ledger, '--aliases', aliases, '--journal', journal, ...args]);
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
    expect(readFileSync(journal, 'utf8')).toBe(journalAhead);
    expect((await run(db, 'changes', '--json')).json()).toHaveLength(pending.length);

    renameSync(db, join(dir, 'aside.sqlite'));
    expect((await run(db, 'rebuild', '--journal', journal)).code).toBe(0);
    expect((await run(db, 'reject', '--all', '--reason', 'not now', '--reviewer', 'bob')).code).toBe(0);
    const decided = (await run(db, 'changes', '--status', 'approved', '--json')).json() as Array<{ model: string; field: string; reviewer: string }>;
    expect(decided).toEqual([expect.objectContaining({ model: first.model, field: first.field, reviewer: 'ana' })]);
    expect((await run(db, 'changes', '--status', 'rejected', '--json')).json()).toHaveLength(pending.length - 1);
  });
});
