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
    expect((await run('override', 'openai/gpt-5.2-codex', 'input_price', '-3', '--reason', 'x')).stderr).toMatch(/takes a decimal number from 0.001 to 2000/);
  });

  it('refuses a value no source could state, as it is, and an unknown condition, pinning nothing', async () => {
    const before = (await run('changes', '--json')).json().length;
    const refused: Array<[string, string, RegExp, string?]> = [
      ['input_price', '', /takes a decimal number/], // an unset shell variable
      ['input_price', '0x10', /takes a decimal number/],
      ['input_price', '0', /outside what the ledger takes/],
      ['input_price', '99999999', /outside what the ledger takes/],
      ['context_window', '1.5', /takes a whole number/],
      ['release_date', '2026-13-45', /takes a calendar date/],
      ['license', '  ', /not an empty one/],
      ['input_price', '1.5', /is written "route:azure;tier:flex"/, 'tier:flex; route:azure'],
      ['input_price', '1.5', /none of context>N/, 'garbage!!'],
      // A known head with nothing, or something else, after it (`--condition "route:$R"` with R unset).
      ...['route:', 'route:AZURE', 'route:azure/', 'tier:', 'cache_ttl:', 'context>0', 'from:2026-02-30'].map(
        (c) => ['input_price', '1.5', /none of context>N/, c] as [string, string, RegExp, string],
      ),
    ];
    for (const [field, value, message, condition] of refused) {
      const r = await run('override', 'openai/gpt-5.2-codex', field, value, '--reason', 'x', ...(condition ? ['--condition', condition] : []));
      expect(r.code, `${field} "${value}" ${condition ?? ''}`).toBe(65);
      expect(r.stderr).toMatch(message);
    }
    // A blank reason is no reason, as for a rejection.
    const blank = await run('override', 'openai/gpt-5.2-codex', 'input_price', '1.5', '--reason', '   ');
    expect(blank.code).toBe(65);
    expect(blank.stderr).toMatch(/needs a reason/);
    expect((await run('changes', '--json')).json()).toHaveLength(before);
    // In the grammar, or with a thousands separator and a written date: pinned.
    expect((await run('override', 'openai/gpt-5.2-codex', 'input_price', '1.5', '--condition', 'tier:flex', '--reason', 'x')).code).toBe(0);
    expect((await run('override', 'openai/gpt-5.2-codex', 'context_window', '1,047,576', '--reason', 'x')).code).toBe(0);
    const dated = await run('override', 'openai/gpt-5.2-codex', 'release_date', 'December 11, 2025', '--reason', 'x', '--json');
    expect(dated.json().fact).toMatchObject({ value: '2025-12-11', status: 'overridden' });
  });
});
