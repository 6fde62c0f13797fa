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
    expect(fact.explanation).toMatch(/pinned by a reviewer by ana .*input limit is what callers hit/);
    // The claims that disagree with the pin are still there to see.
    expect(fact.claims.filter((c: any) => !c.supports).map((c: any) => c.value)).toEqual(expect.arrayContaining([400000, 256000]));
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
