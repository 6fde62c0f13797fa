import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cli } from '../helpers/cli.ts';

/**
 * The same name spelled otherwise is linked on its own; a reviewer's alias moves a name's claims
 * onto its model at the next reconciliation; nothing else is merged.
 */
describe('new models and the alias registry', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ml-alias-'));
  const aliases = join(dir, 'aliases.yaml');
  writeFileSync(aliases, '# reviewers edit this file\nmodels: {}\ndistinct: []\n');
  const run = (...args: string[]) => cli(['--db', join(dir, 'l.sqlite'), '--aliases', aliases, ...args]);

  it('links the same name spelled otherwise on its own, saying why, and merges nothing else', async () => {
    const sync = (await run('sync', '--offline', '--json')).json();
    expect(sync.facts).toBeGreaterThan(0);
    // LiteLLM's claude-sonnet-4-5 and OpenRouter's claude-sonnet-4.5 are one model, without a reviewer.
    const facts = (await run('explain', 'anthropic/claude-sonnet-4.5', 'input_price', '--json')).json();
    const fact = facts.find((f: any) => f.condition === '');
    expect(new Set(fact.claims.map((c: any) => c.source_id))).toEqual(new Set(['litellm', 'openrouter']));
    const linked = fact.claims.find((c: any) => c.source_id === 'litellm');
    expect(linked.linked_from).toMatchObject({ model: 'anthropic/claude-sonnet-4-5', evidence: 'same-name' });
    const models = (await run('models', '--json')).json();
    expect(models.map((m: any) => m.id)).not.toContain('anthropic/claude-sonnet-4-5');
    expect(models.find((m: any) => m.id === 'anthropic/claude-sonnet-4.5').links).toEqual([
      { id: 'anthropic/claude-sonnet-4-5', evidence: 'same-name', detail: expect.stringMatching(/punctuation/) },
    ]);
    expect((await run('models', '--new', '--json')).json().map((c: any) => c.model_id)).not.toContain('anthropic/claude-sonnet-4-5');
  });

  it('applies an alias a reviewer accepts: the registry file gains it and the claims land on one model', async () => {
    const accepted = await run('alias', 'claude-sonnet-4-5', 'anthropic/claude-sonnet-4.5', '--reviewer', 'ana');
    expect(accepted.code).toBe(0);
    expect(parse(readFileSync(aliases, 'utf8')).models).toEqual({ 'anthropic/claude-sonnet-4.5': ['claude-sonnet-4-5'] });
    expect(readFileSync(aliases, 'utf8')).toMatch(/^# reviewers edit this file/);
    const facts = (await run('explain', 'anthropic/claude-sonnet-4.5', 'input_price', '--json')).json();
    const linked = facts.find((f: any) => f.condition === '').claims.find((c: any) => c.source_id === 'litellm');
    expect(linked.linked_from).toMatchObject({ model: 'anthropic/claude-sonnet-4-5', evidence: 'registry' });
    // The name now finds the model.
    expect((await run('explain', 'claude-sonnet-4-5', 'context_window', '--json')).json().model).toBe('anthropic/claude-sonnet-4.5');
    const pending = (await run('changes', '--json')).json();
    expect(pending.filter((c: any) => c.model === 'anthropic/claude-sonnet-4-5')).toEqual([]);
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

  it('refuses to fold a model with a pinned value into another, and a model into itself', async () => {
    const registry = readFileSync(aliases, 'utf8');
    expect((await run('override', 'openai/gpt-5.2', 'input_price', '9.99', '--reason', 'pin', '--reviewer', 'ana')).code).toBe(0);
    const folded = await run('alias', 'openai/gpt-5.2', 'openai/gpt-5.2-codex', '--reviewer', 'ana');
    expect(folded.code).toBe(65);
    expect(folded.stderr).toMatch(/openai\/gpt-5\.2 has pinned values \(input_price\): lift them first/);
    expect(readFileSync(aliases, 'utf8')).toBe(registry);
    // The pin can still be lifted under its own id; then the alias is taken.
    expect((await run('override', 'openai/gpt-5.2', 'input_price', '--lift', '--reviewer', 'ana')).code).toBe(0);
    const self = await run('alias', 'openai/gpt-5.2-codex', 'openai/gpt-5.2-codex', '--reviewer', 'ana');
    expect(self.code).toBe(65);
    expect(self.stderr).toMatch(/is openai\/gpt-5\.2-codex itself/);
    expect((await run('alias', 'openai/gpt-5.2-codex', 'openai/gpt-5.2-codex', '--not', '--reviewer', 'ana')).code).toBe(65);
    // An alias is no target: the message names the model it is another name of.
    const onto = await run('alias', 'some-other-name', 'anthropic/claude-sonnet-4-5', '--reviewer', 'ana');
    expect(onto.code).toBe(65);
    expect(onto.stderr).toMatch(/anthropic\/claude-sonnet-4-5 is itself another name of anthropic\/claude-sonnet-4\.5: alias some-other-name to anthropic\/claude-sonnet-4\.5/);
  });
});

describe('an alias of a published model', () => {
  it('proposes the renamed id\'s approved values as gone at once, and approving them leaves only the model', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ml-alias-published-'));
    const aliases = join(dir, 'aliases.yaml');
    writeFileSync(aliases, 'models: {}\ndistinct: []\n');
    const run = (...args: string[]) => cli(['--db', join(dir, 'l.sqlite'), '--aliases', aliases, ...args]);
    expect((await run('sync', '--offline')).code).toBe(0);
    expect((await run('approve', '--all', '--reviewer', 'ana')).code).toBe(0);
    const preview = 'openai/gpt-4o-audio-preview';
    const published = (await run('explain', preview, '--json')).json().length;
    expect(published).toBeGreaterThan(0);

    expect((await run('alias', preview, 'openai/gpt-4o-audio', '--reviewer', 'ana')).code).toBe(0);
    const gone = (await run('changes', '--json')).json().filter((c: any) => c.model === preview);
    expect(gone.length).toBe(published);
    expect(new Set(gone.map((c: any) => c.kind))).toEqual(new Set(['removed']));

    expect((await run('approve', '--all', '--reviewer', 'ana')).code).toBe(0);
    expect((await run('export', '--out', join(dir, 'out'))).code).toBe(0);
    const models = JSON.parse(readFileSync(join(dir, 'out', 'dataset.json'), 'utf8')).models.map((m: any) => m.id);
    expect(models).toContain('openai/gpt-4o-audio');
    expect(models).not.toContain(preview);
  });
});
