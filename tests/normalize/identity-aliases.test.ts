import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { addAlias, addDistinct, editDistance, emptyRegistry, parseAliasRegistry, resolveModel } from '../../src/normalize/aliases.ts';
import { loadAliasRegistry } from '../../src/store/alias-file.ts';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/reconcile');
const REGISTRY = `
models:
  anthropic/claude-3.5-sonnet:
    - claude-3-5-sonnet
    - Claude 3.5 Sonnet
distinct:
  - [openai/gpt-5.2-codex, openai/gpt-5.1-codex]
`;
const KNOWN = ['openai/gpt-5.2-codex', 'openai/gpt-5.1-codex', 'openai/gpt-4o-audio-preview', 'anthropic/claude-3.5-sonnet', 'google/gemini-2.5-pro'];

describe('resolveModel', () => {
  const registry = parseAliasRegistry(REGISTRY);

  it('matches every spelling of a known model exactly', () => {
    for (const name of ['GPT-5.2 Codex', 'GPT-5.2-Codex', 'gpt-5.2-codex', 'openai/gpt-5.2-codex']) {
      expect(resolveModel(name, registry, KNOWN)).toEqual({ id: 'openai/gpt-5.2-codex', match: 'exact', candidates: [] });
    }
  });

  it('follows a registered alias', () => {
    expect(resolveModel('claude-3-5-sonnet', registry, KNOWN)).toMatchObject({ id: 'anthropic/claude-3.5-sonnet', match: 'alias' });
    expect(resolveModel('anthropic/claude-3-5-sonnet', registry, KNOWN)).toMatchObject({ id: 'anthropic/claude-3.5-sonnet', match: 'alias' });
  });

  it('never merges a dated snapshot into its family, but proposes it', () => {
    const r = resolveModel('gpt-4o-audio-preview-2024-12-17', registry, KNOWN);
    expect(r.match).toBe('new');
    expect(r.id).toBe('openai/gpt-4o-audio-preview-2024-12-17');
    expect(r.candidates[0]).toMatchObject({ id: 'openai/gpt-4o-audio-preview' });
    expect(r.candidates[0].reason).toMatch(/dated snapshot \(2024-12-17\)/);
  });

  it('proposes near-misses instead of merging them, best first', () => {
    const r = resolveModel('gpt-5.2-codex-max', registry, KNOWN);
    expect(r).toMatchObject({ id: 'openai/gpt-5.2-codex-max', match: 'new' });
    expect(r.candidates.map((c) => c.id)[0]).toBe('openai/gpt-5.2-codex');
    for (const c of r.candidates) expect(c.score).toBeGreaterThanOrEqual(0.75);
    expect(r.candidates[0].reason).toMatch(/similar name/);
  });

  it('proposes the same name with other punctuation, and under another provider', () => {
    expect(resolveModel('claude-3-5-haiku', parseAliasRegistry(''), ['anthropic/claude-3.5-haiku']).candidates[0]).toMatchObject({
      id: 'anthropic/claude-3.5-haiku',
      reason: 'same name apart from punctuation',
    });
    expect(resolveModel('acme/widget-1', emptyRegistry(), ['acme/widget-1']).match).toBe('exact');
    expect(resolveModel('Strange Model', emptyRegistry(), ['acme/strange-model']).candidates[0]).toMatchObject({
      id: 'acme/strange-model',
      reason: 'same model name under provider acme',
    });
  });

  it('does not propose a pair a reviewer declared distinct', () => {
    const r = resolveModel('gpt-5.1-codex', registry, ['openai/gpt-5.2-codex']);
    expect(r.match).toBe('new');
    expect(r.candidates).toEqual([]);
    // without the registry's verdict the look-alike is proposed
    expect(resolveModel('gpt-5.1-codex', emptyRegistry(), ['openai/gpt-5.2-codex']).candidates).toHaveLength(1);
  });

  it('proposes nothing for an unrelated name', () => {
    expect(resolveModel('totally-different-thing', registry, KNOWN)).toMatchObject({ match: 'new', candidates: [] });
  });
});

describe('the alias registry file', () => {
  it('loads the shipped aliases.yaml', () => {
    const registry = loadAliasRegistry();
    expect(registry.byAlias.get('anthropic/claude-3-5-sonnet')).toBe('anthropic/claude-3.5-sonnet');
  });

  it('treats a missing file as empty', () => {
    expect(loadAliasRegistry(path.join(fixtures, 'no-such-aliases.yaml')).byAlias.size).toBe(0);
  });

  it('names the problem in a malformed registry', () => {
    expect(() => parseAliasRegistry('models: [oops')).toThrow(/not valid YAML \(line 1\)/);
    expect(() => parseAliasRegistry('models:\n  Not An Id:\n    - x\n')).toThrow(/canonical id/);
    expect(() => parseAliasRegistry('models:\n  a/x:\n    - foo\n  a/y:\n    - foo\n')).toThrow(/"foo" is listed for both a\/x and a\/y/);
    expect(() => parseAliasRegistry('modles: {}\n')).toThrow(/modles/);
  });

  it('adds an accepted alias and a rejected pair, keeping comments', () => {
    const text = '# reviewers edit this\nmodels:\n  a/x:\n    - x-one # first\n';
    const withAlias = addAlias(text, 'a/x', 'x-two');
    expect(withAlias).toContain('# reviewers edit this');
    expect(withAlias).toContain('# first');
    expect(parseAliasRegistry(withAlias).byAlias.get('unknown/x-two')).toBe('a/x');
    expect(addAlias(withAlias, 'a/x', 'x-two')).toBe(withAlias);
    const withPair = addDistinct(withAlias, 'a/x', 'a/y');
    expect(parseAliasRegistry(withPair).distinct.size).toBe(1);
    expect(addDistinct(withPair, 'a/y', 'a/x')).toBe(withPair);
    expect(() => addAlias(text, 'Not Canonical', 'x')).toThrow(/canonical id/);
  });

  it('leaves every untouched line of a reviewed registry byte-identical', () => {
    const head = '# reviewers edit this\nmodels:\n  a/x:\n    - x-one # first\n';
    const tail = '\n# never the same model\ndistinct:\n  - [a/x, a/y]\n  - [a/p, a/q] # checked by hand\n';
    expect(addAlias(head + tail, 'a/x', 'x-two')).toBe(head + '    - x-two\n' + tail);
    expect(addDistinct(head + tail, 'a/x', 'a/z')).toBe(head + tail + '  - [a/x, a/z]\n');
  });
});

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('gpt-5.2-codex', 'gpt-5.1-codex')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
});

describe('shipped aliases.yaml', () => {
  it('has no alias that canonicalizes to a listed model', () => {
    const text = readFileSync(path.resolve(fixtures, '../../../aliases.yaml'), 'utf8');
    expect(() => parseAliasRegistry(text)).not.toThrow();
  });
});
