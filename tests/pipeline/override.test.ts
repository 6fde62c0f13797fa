import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.ts';

/** A reviewer's pinned value holds across syncs until lifted; the disagreeing claims stay visible. */
describe('reviewer overrides', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ml-override-'));
  const run = (...args: string[]) => cli(['--db', join(dir, 'l.sqlite'), ...args]);
  const contextOf = async () => (await run('explain', 'openai/gpt-5.2-codex', 'context_window', '--json')).json();

  it('pins a value with a reason, queues it for review, and keeps it through later syncs', async () => {
    await run('sync', '--offline', '--quiet');
    await run('approve', '--all', '--reviewer', 'ana');
    const pinned = await run('override', 'GPT-5.2 Codex', 'context_window', '272000', '--reason', 'input limit is what callers hit', '--reviewer', 'ana', '--json');
    expect(pinned.code).toBe(0);
    expect(pinned.json().fact).toMatchObject({ value: 272000, status: 'overridden', rule: 'override' });

    const pending = (await run('changes', '--json')).json();
    expect(pending.map((c: any) => [c.model, c.field, c.old_value, c.new_value])).toEqual([['openai/gpt-5.2-codex', 'context_window', 400000, 272000]]);

    await run('sync', '--offline', '--quiet');
    const fact = await contextOf();
    expect(fact).toMatchObject({ value: 272000, status: 'overridden' });
    expect(fact.explanation).toMatch(/pinned by ana on \d{4}-\d{2}-\d{2}: input limit is what callers hit/);
    // The claims that disagree with the pin are still there to see.
    expect(fact.claims.filter((c: any) => !c.supports).map((c: any) => c.value)).toEqual(expect.arrayContaining([400000, 256000]));
  });

  it('publishes an approved pin from the moment it was pinned, leaving earlier history alone', async () => {
    const ledgerDir = mkdtempSync(join(tmpdir(), 'ml-override-approve-'));
    const own = (...args: string[]) => cli(['--db', join(ledgerDir, 'l.sqlite'), ...args]);
    await own('sync', '--offline', '--quiet');
    await own('approve', '--all', '--reviewer', 'ana');
    const before = new Date().toISOString();
    await own('override', 'openai/gpt-5.2-codex', 'context_window', '256000', '--reason', 'pin', '--reviewer', 'ana');
    await own('approve', '--all', '--reviewer', 'ana');
    const history = (await own('history', 'openai/gpt-5.2-codex', 'context_window', '--json')).json();
    expect(history.map((h: any) => h.value)).toEqual([400000, 256000]);
    expect(history[1].valid_from >= before).toBe(true);
    expect(history[0].valid_to).toBe(history[1].valid_from);
    expect(history[0].valid_from < before).toBe(true);
  });

  it('lifts the pin: the reconciled value returns and the pending change is superseded', async () => {
    const lifted = await run('override', 'openai/gpt-5.2-codex', 'context_window', '--lift', '--reviewer', 'ana');
    expect(lifted.code).toBe(0);
    expect(await contextOf()).toMatchObject({ value: 400000, status: 'resolved' });
    expect((await run('changes', '--json')).json()).toEqual([]);
    const audit = (await run('override', 'openai/gpt-5.2-codex', 'context_window', '--lift')).stderr;
    expect(audit).toMatch(/no pinned value/);
  });

  it('refuses a pin without a reason or with a value of the wrong kind', async () => {
    expect((await run('override', 'openai/gpt-5.2-codex', 'context_window', '1')).stderr).toMatch(/needs a reason/);
    expect((await run('override', 'openai/gpt-5.2-codex', 'vision', 'maybe', '--reason', 'x')).stderr).toMatch(/takes true or false/);
    expect((await run('override', 'openai/gpt-5.2-codex', 'input_price', '-3', '--reason', 'x')).stderr).toMatch(/non-negative number/);
  });
});
