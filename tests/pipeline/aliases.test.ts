import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cli } from '../helpers/cli.ts';

/**
 * New names become candidates for review, look-alikes are proposed (never merged), and a
 * reviewer's alias moves a name's claims onto its model at the next reconciliation.
 */
describe('new models and the alias registry', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ml-alias-'));
  const aliases = join(dir, 'aliases.yaml');
  writeFileSync(aliases, '# reviewers edit this file\nmodels: {}\ndistinct: []\n');
  const run = (...args: string[]) => cli(['--db', join(dir, 'l.sqlite'), '--aliases', aliases, ...args]);

  it('lists first-seen models with look-alike proposals, merging nothing on its own', async () => {
    const sync = (await run('sync', '--offline', '--json')).json();
    expect(sync.new_models).toBeGreaterThan(5);
    const candidates = (await run('models', '--new', '--json')).json();
    // Whichever spelling a source named second is proposed as a look-alike of the first.
    const ids = ['anthropic/claude-sonnet-4.5', 'anthropic/claude-sonnet-4-5'];
    const second = candidates.find((c: any) => ids.includes(c.model_id) && c.proposals.length > 0);
    expect(second.proposals[0]).toMatchObject({ id: ids.find((id) => id !== second.model_id), reason: 'same name apart from punctuation' });
    // Not merged: both ids still have their own facts.
    expect((await run('explain', 'anthropic/claude-sonnet-4.5', 'input_price', '--json')).code).toBe(0);
    expect((await run('explain', 'anthropic/claude-sonnet-4-5', 'input_price', '--json')).code).toBe(0);
  });

  it('applies an accepted alias: the registry file gains it and the claims land on one model', async () => {
    const before = (await run('changes', '--json')).json().filter((c: any) => c.model === 'anthropic/claude-sonnet-4-5');
    expect(before.length).toBeGreaterThan(0);
    const accepted = await run('alias', 'claude-sonnet-4-5', 'anthropic/claude-sonnet-4.5', '--reviewer', 'ana');
    expect(accepted.code).toBe(0);
    expect(parse(readFileSync(aliases, 'utf8')).models).toEqual({ 'anthropic/claude-sonnet-4.5': ['claude-sonnet-4-5'] });
    expect(readFileSync(aliases, 'utf8')).toMatch(/^# reviewers edit this file/);

    const facts = (await run('explain', 'anthropic/claude-sonnet-4.5', 'input_price', '--json')).json();
    const fact = facts.find((f: any) => f.condition === '');
    expect(new Set(fact.claims.map((c: any) => c.source_id))).toEqual(new Set(['litellm', 'openrouter']));
    const pending = (await run('changes', '--json')).json();
    expect(pending.filter((c: any) => c.model === 'anthropic/claude-sonnet-4-5')).toEqual([]);
    // The name now finds the model, and the phantom id is gone from the model list.
    expect((await run('explain', 'claude-sonnet-4-5', 'context_window', '--json')).json().model).toBe('anthropic/claude-sonnet-4.5');
    const models = (await run('models', '--json')).json();
    expect(models.map((m: any) => m.id)).not.toContain('anthropic/claude-sonnet-4-5');
    expect(models.find((m: any) => m.id === 'anthropic/claude-sonnet-4.5').aliases).toContain('claude-sonnet-4-5');
    const superseded = (await run('changes', '--status', 'superseded', '--json')).json();
    expect(superseded.map((c: any) => c.id)).toEqual(expect.arrayContaining(before.map((c: any) => c.id)));
  });

  it('records "different models" so the pair is never proposed again, and approval confirms new models', async () => {
    expect((await run('alias', 'openai/gpt-5.2', 'openai/gpt-5.2-codex', '--not', '--reviewer', 'ana')).code).toBe(0);
    expect(parse(readFileSync(aliases, 'utf8')).distinct).toEqual([['openai/gpt-5.2', 'openai/gpt-5.2-codex']]);
    await run('approve', '--all', '--reviewer', 'ana');
    expect((await run('models', '--new', '--json')).json()).toEqual([]);
  });

  it('refuses an alias onto a model nobody has stated', async () => {
    const bad = await run('alias', 'whatever', 'no/such-model');
    expect(bad.code).toBe(65);
    expect(bad.stderr).toMatch(/no model no\/such-model/);
    expect(parse(readFileSync(aliases, 'utf8')).models).not.toHaveProperty('no/such-model');
  });
});
