import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { addAlias, addDistinct, editDistance, emptyRegistry, LikenessIndex, parseAliasRegistry, proposeAliases, resolveModel } from '../../src/normalize/aliases.ts';
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

  it('never merges a dated snapshot into its family, nor asks: it is a version of the family', () => {
    const r = resolveModel('gpt-4o-audio-preview-2024-12-17', registry, KNOWN);
    expect(r).toEqual({ id: 'openai/gpt-4o-audio-preview-2024-12-17', match: 'new', candidates: [] });
  });

  it('keeps near-misses apart without asking: a word, a size or a version the other lacks', () => {
    const known = ['openai/gpt-5.2-codex', 'openai/gpt-4o', 'google/gemini-2.5-flash', 'meta-llama/llama-3.1-8b-instruct', 'qwen/qwen3-8b'];
    for (const name of ['gpt-5.2-codex-max', 'gpt-4o-mini', 'gpt-4o-nano', 'google/gemini-2.5-flash-lite', 'google/gemini-2.5-pro', 'meta-llama/llama-3.1-70b-instruct', 'meta-llama/llama-3.1-8b', 'qwen/qwen3-8b:free', 'qwen/qwen3-8b-thinking', 'gpt-5.1-codex']) {
      expect(resolveModel(name, emptyRegistry(), known), name).toMatchObject({ match: 'new', candidates: [] });
    }
  });

  it('resolves the same name spelled otherwise, and asks about a preview or a revision', () => {
    expect(resolveModel('claude-3-5-haiku', parseAliasRegistry(''), ['anthropic/claude-3.5-haiku'])).toEqual({ id: 'anthropic/claude-3.5-haiku', match: 'alias', candidates: [] });
    expect(resolveModel('anthropic/claude-4.5-sonnet', parseAliasRegistry(''), ['anthropic/claude-sonnet-4-5'])).toMatchObject({ id: 'anthropic/claude-sonnet-4-5', match: 'alias' });
    expect(resolveModel('acme/widget-1', emptyRegistry(), ['acme/widget-1']).match).toBe('exact');
    expect(resolveModel('Strange Model', emptyRegistry(), ['acme/strange-model']).candidates[0]).toMatchObject({
      id: 'acme/strange-model',
      reason: 'same model name under provider acme',
    });
    // A revision pin, a preview or a "latest" pointer is a version of its family, as a dated snapshot is.
    for (const name of ['google/gemini-2.0-flash-001', 'google/gemini-2.0-flash-preview', 'google/gemini-2.0-flash-latest']) {
      expect(resolveModel(name, emptyRegistry(), ['google/gemini-2.0-flash']), name).toMatchObject({ match: 'new', candidates: [] });
    }
  });

  it('does not propose a pair a reviewer declared distinct', () => {
    const distinct = parseAliasRegistry('distinct:\n  - [acme/strange-model, unknown/strange-model]\n');
    expect(resolveModel('Strange Model', distinct, ['acme/strange-model']).candidates).toEqual([]);
    expect(resolveModel('Strange Model', emptyRegistry(), ['acme/strange-model']).candidates).toHaveLength(1);
  });

  it('proposes nothing for an unrelated name', () => {
    expect(resolveModel('totally-different-thing', registry, KNOWN)).toMatchObject({ match: 'new', candidates: [] });
  });
});

describe('LikenessIndex', () => {
  it('proposes what proposeAliases over every known id proposes, in the same order, among thousands of names sharing a word', () => {
    const ids = ['acme/nimbus-7', 'beta/nimbus-7', 'gamma/nimbus-7', 'delta/nimbus-7', 'eps/nimbus-7', 'zeta/nimbus-7', 'eta/nimbus-7', 'beta/7-nimbus', 'acme/nimbus-8'];
    for (let i = 0; i < 2000; i++) ids.push(`acme/nimbus-${i}-turbo`);
    const registry = parseAliasRegistry('distinct:\n  - [acme/nimbus-7, gamma/nimbus-7]\n');
    const index = new LikenessIndex();
    for (const id of ids) index.add(id);
    for (const id of ['acme/nimbus-7', 'omega/nimbus-7', 'omega/nimbus-8', 'omega/nimbus-1999-turbo', 'omega/turbo-nimbus-5', 'omega/nimbus-9']) {
      expect(index.propose(id, registry)).toEqual(proposeAliases(id, ids, registry));
    }
    expect(index.propose('acme/nimbus-7', registry).map((c) => c.id)).toEqual(['beta/7-nimbus', 'beta/nimbus-7', 'delta/nimbus-7', 'eps/nimbus-7', 'eta/nimbus-7']);
    expect(index.propose('omega/nimbus-9', registry)).toEqual([]);
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
