import { describe, expect, it } from 'vitest';
import { emptyRegistry, parseAliasRegistry } from '../../src/normalize/aliases.ts';
import { linkModels, nameKey } from '../../src/normalize/links.ts';

const linked = (ids: string[], registry = emptyRegistry()) =>
  Object.fromEntries([...linkModels(ids, registry).values()].map((l) => [l.alias, l.route ? `${l.model} (${l.evidence}, route ${l.route})` : `${l.model} (${l.evidence})`]));

describe('identity links', () => {
  it('links the spellings of one name across sources, onto the dotted version spelling', () => {
    expect(linked(['anthropic/claude-sonnet-4-5', 'anthropic/claude-sonnet-4.5', 'anthropic/claude-4.5-sonnet'])).toEqual({
      'anthropic/claude-sonnet-4-5': 'anthropic/claude-sonnet-4.5 (same-name)',
      'anthropic/claude-4.5-sonnet': 'anthropic/claude-sonnet-4.5 (same-name)',
    });
    expect(linked(['meta-llama/llama-v3p1-8b-instruct', 'meta-llama/llama-3.1-8b-instruct', 'openai/gpt4o', 'openai/gpt-4o'])).toEqual({
      'meta-llama/llama-v3p1-8b-instruct': 'meta-llama/llama-3.1-8b-instruct (same-name)',
      'openai/gpt4o': 'openai/gpt-4o (same-name)',
    });
    // Fireworks' p for the dot, and a dashed version after a letter: one name.
    expect(linked(['minimax/minimax-m2p5', 'minimax/minimax-m2-5', 'minimax/minimax-m2.5', 'z-ai/glm-4p7', 'z-ai/glm-4.7', 'meta-llama/llama3-1-8b-instruct', 'meta-llama/llama-3.1-8b-instruct'])).toEqual({
      'minimax/minimax-m2p5': 'minimax/minimax-m2.5 (same-name)',
      'minimax/minimax-m2-5': 'minimax/minimax-m2.5 (same-name)',
      'z-ai/glm-4p7': 'z-ai/glm-4.7 (same-name)',
      'meta-llama/llama3-1-8b-instruct': 'meta-llama/llama-3.1-8b-instruct (same-name)',
    });
    // A "v" before a version is spelled by some and not others; the spelling more claims carry is canonical.
    expect(linked(['deepseek/deepseek-v3.2', 'deepseek/deepseek-v3.2', 'deepseek/deepseek-3.2', 'deepseek/deepseek-v3p2', 'meta-llama/llama-v2-13b', 'meta-llama/llama-2-13b'])).toEqual({
      'deepseek/deepseek-3.2': 'deepseek/deepseek-v3.2 (same-name)',
      'deepseek/deepseek-v3p2': 'deepseek/deepseek-v3.2 (same-name)',
      'meta-llama/llama-v2-13b': 'meta-llama/llama-2-13b (same-name)',
    });
    // A dated snapshot's two date spellings are one version.
    expect(linked(['anthropic/claude-sonnet-4-5-20250929', 'anthropic/claude-sonnet-4.5-2025-09-29'])).toEqual({
      'anthropic/claude-sonnet-4-5-20250929': 'anthropic/claude-sonnet-4.5-2025-09-29 (same-name)',
    });
  });

  it('links a name that repeats its vendor before the model, under the vendor or a host, only onto a model the vendor has', () => {
    expect(linked(['meta-llama/meta-llama-3.1-8b-instruct', 'meta-llama/meta-llama-3-1-8b-instruct', 'meta-llama/llama-3.1-8b-instruct', 'deepseek/r1', 'deepseek/deepseek-r1'])).toEqual({
      'meta-llama/meta-llama-3.1-8b-instruct': 'meta-llama/llama-3.1-8b-instruct (same-name)',
      'meta-llama/meta-llama-3-1-8b-instruct': 'meta-llama/llama-3.1-8b-instruct (same-name)',
      // Before a bare version the vendor's name is part of the model's: deepseek-r1 stays canonical.
      'deepseek/r1': 'deepseek/deepseek-r1 (same-name)',
    });
    expect(linked(['venice/zai-org-glm-4.7', 'gradient-ai/openai-gpt-4o', 'z-ai/glm-4.7', 'openai/gpt-4o'])).toEqual({
      'venice/zai-org-glm-4.7': 'z-ai/glm-4.7 (reseller, route venice)',
      'gradient-ai/openai-gpt-4o': 'openai/gpt-4o (reseller, route gradient-ai)',
    });
    const [link] = linkModels(['cohere/cohere-command-r', 'cohere/command-r'], emptyRegistry()).values();
    expect(link.detail).toMatch(/vendor's name repeated/);
    // No such model of that vendor: the name stays its own.
    expect(linked(['gradient-ai/openai-gpt-9', 'openai/gpt-4o', 'cohere/cohere-embed-v4'])).toEqual({});
  });

  it('never merges near-misses: versions, sizes, variants, other providers', () => {
    const nearMisses = [
      ['anthropic/claude-sonnet-4.5', 'anthropic/claude-sonnet-4-5-20250929'],
      ['openai/gpt-4o', 'openai/gpt-4o-mini'],
      ['openai/gpt-5', 'openai/gpt-5-nano'],
      ['openai/o3', 'openai/o3-pro'],
      ['qwen/qwen3-8b', 'qwen/qwen3-8b:free'],
      ['qwen/qwen3-235b-a22b', 'qwen/qwen3-235b-a22b-thinking-2507'],
      ['meta-llama/llama-3.3-70b-instruct', 'meta-llama/llama-3.3-70b'],
      ['meta-llama/llama-3.1-8b-instruct', 'meta-llama/llama-3.1-70b-instruct'],
      ['openai/gpt-4.1', 'openai/gpt-4'],
      ['openai/gpt-4', 'openai/gpt-4-0613'],
      ['mistralai/mistral-large', 'mistralai/mistral-large-2411'],
      ['google/gemini-2.0-flash', 'google/gemini-2.0-flash-001'],
      ['google/gemini-2.5-flash', 'google/gemini-2.5-flash-lite'],
      ['google/gemma-3-1b', 'google/gemma-3.1b'],
      ['google/gemma-2-9b', 'google/gemma-2.9b'],
      ['minimax/minimax-m2', 'minimax/minimax-m2-5'],
      ['deepseek/deepseek-r1-0528', 'deepseek/deepseek-r1.0528'],
      ['z-ai/glm-4-32b-0414', 'z-ai/glm-4.32b-0414'],
      ['acme/widget-7b', 'globex/widget-7b'],
    ];
    for (const pair of nearMisses) expect(linked(pair), pair.join(' ~ ')).toEqual({});
    for (const [a, b] of nearMisses) expect(nameKey(a), `${a} ~ ${b}`).not.toBe(nameKey(b));
  });

  it('makes a host\'s listing of one vendor\'s model a route of it, and leaves two vendors of one name alone', () => {
    expect(linked(['fireworks/minimax-m2', 'minimax/minimax-m2', 'openrouter/eva-qwen-2.5-72b', 'eva-unit-01/eva-qwen-2.5-72b'])).toEqual({
      'fireworks/minimax-m2': 'minimax/minimax-m2 (reseller, route fireworks)',
      'openrouter/eva-qwen-2.5-72b': 'eva-unit-01/eva-qwen-2.5-72b (reseller, route openrouter)',
    });
    expect(linked(['fireworks/widget-7b', 'acme/widget-7b', 'globex/widget-7b'])).toEqual({});
    // Spelled otherwise under the host too: both spellings land on the vendor's model.
    expect(linked(['fireworks/minimax-m2p1', 'fireworks/minimax-m2.1', 'minimax/minimax-m2.1'])).toEqual({
      'fireworks/minimax-m2.1': 'minimax/minimax-m2.1 (reseller, route fireworks)',
      'fireworks/minimax-m2p1': 'minimax/minimax-m2.1 (same-name, route fireworks)',
    });
  });

  it('follows the registry first and never links a pair it calls distinct', () => {
    const registry = parseAliasRegistry('models:\n  anthropic/claude-3.5-sonnet:\n    - claude-3-5-sonnet-latest\ndistinct:\n  - [openai/gpt4o, openai/gpt-4o]\n');
    expect(linked(['anthropic/claude-3-5-sonnet-latest', 'openai/gpt4o', 'openai/gpt-4o'], registry)).toEqual({
      'anthropic/claude-3-5-sonnet-latest': 'anthropic/claude-3.5-sonnet (registry)',
    });
  });

  it('keeps the id the ledger already reconciled under when a new spelling arrives', () => {
    const ids = ['anthropic/claude-sonnet-4-6', 'anthropic/claude-sonnet-4.6'];
    expect(linked(ids)).toEqual({ 'anthropic/claude-sonnet-4-6': 'anthropic/claude-sonnet-4.6 (same-name)' });
    const established = new Set(['anthropic/claude-sonnet-4-6']);
    const links = [...linkModels(ids, emptyRegistry(), established).values()];
    expect(links.map((l) => [l.alias, l.model])).toEqual([['anthropic/claude-sonnet-4.6', 'anthropic/claude-sonnet-4-6']]);
  });
});
