import { describe, expect, it } from 'vitest';
import { canonicalModelId, identify, inferProvider, providerSlug, slugifyModelName, snapshotVersion } from '../../src/normalize/identity.ts';

describe('canonicalModelId', () => {
  it('gives every spelling of GPT-5.2 Codex one id', () => {
    for (const name of ['GPT-5.2 Codex', 'GPT-5.2-Codex', 'gpt-5.2-codex', 'openai/gpt-5.2-codex', 'OpenAI: GPT-5.2-Codex', 'openrouter/openai/gpt-5.2-codex']) {
      expect(canonicalModelId(name), name).toBe('openai/gpt-5.2-codex');
    }
  });

  it('reads LiteLLM route keys as the vendor model (the route is a condition, not an identity)', () => {
    expect(canonicalModelId('azure/gpt-5')).toBe('openai/gpt-5');
    expect(canonicalModelId('vertex_ai/gemini-2.5-pro')).toBe('google/gemini-2.5-pro');
    expect(canonicalModelId('groq/llama-3.1-8b-instant')).toBe('meta-llama/llama-3.1-8b-instant');
    expect(canonicalModelId('vertex_ai/claude-3-opus@20240229')).toBe('anthropic/claude-3-opus-20240229');
  });

  it('reads Bedrock ids: region prefix, vendor prefix and revision suffix', () => {
    expect(canonicalModelId('bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0')).toBe('anthropic/claude-3-5-sonnet-20240620');
    expect(canonicalModelId('us.anthropic.claude-3-5-sonnet-20240620-v1:0')).toBe('anthropic/claude-3-5-sonnet-20240620');
    expect(canonicalModelId('bedrock/meta.llama3-1-70b-instruct-v1:0')).toBe('meta-llama/llama3-1-70b-instruct');
  });

  it('uses the default provider only for names nothing else places', () => {
    expect(canonicalModelId('Some Model 7B', 'acme')).toBe('acme/some-model-7b');
    expect(canonicalModelId('gpt-5', 'acme')).toBe('openai/gpt-5');
    expect(canonicalModelId('mystery-model')).toBe('unknown/mystery-model');
  });

  it("keeps a vendor's own family that a name prefix would give another vendor", () => {
    expect(canonicalModelId('deepgram/nova-3')).toBe('deepgram/nova-3');
    expect(canonicalModelId('Nova-2', 'Deepgram')).toBe('deepgram/nova-2');
    // Deepgram also hosts OpenAI's Whisper, and Amazon's Nova stays Amazon's wherever it is listed.
    expect(canonicalModelId('deepgram/whisper-large')).toBe('openai/whisper-large');
    expect(canonicalModelId('amazon-nova/nova-micro-v1')).toBe('amazon/nova-micro-v1');
    expect(canonicalModelId('bedrock/amazon.nova-pro-v1:0')).toBe('amazon/nova-pro');
    expect(canonicalModelId('nova-lite')).toBe('amazon/nova-lite');
  });

  it('reads a vendor printed with a counter as that vendor, and keeps numbers that are part of a name', () => {
    expect(canonicalModelId('NousResearch 2/Hermes-4-70B:thinking')).toBe('nousresearch/hermes-4-70b:thinking');
    expect(canonicalModelId('TheDrummer 2/Cydonia-24B-v4')).toBe('thedrummer/cydonia-24b-v4');
    expect(canonicalModelId('01-ai/yi-large')).toBe('01-ai/yi-large');
    expect(canonicalModelId('Qwen 2.5 72B')).toBe('qwen/qwen-2.5-72b');
  });

  it('files a vendor under one slug however a catalogue spells it', () => {
    expect(canonicalModelId('MiniMaxAI/MiniMax-M2.1')).toBe('minimax/minimax-m2.1');
    expect(canonicalModelId('zero-one-ai/Yi-34B')).toBe('01-ai/yi-34b');
    expect(canonicalModelId('PrimeIntellect/INTELLECT-3')).toBe('prime-intellect/intellect-3');
    expect(canonicalModelId('sarvamai/sarvam-m')).toBe('sarvam/sarvam-m');
    expect(canonicalModelId('ibm-granite/granite-4.0-h-micro')).toBe('ibm/granite-4.0-h-micro');
    // A host's path names the vendor it resells when that vendor is known.
    expect(canonicalModelId('openrouter/nvidia/nemotron-nano-9b-v2')).toBe('nvidia/nemotron-nano-9b-v2');
  });

  it('reads a Bedrock revision off, and keeps a version the suffix is', () => {
    expect(canonicalModelId('bedrock/amazon.nova-pro-v1:0')).toBe('amazon/nova-pro');
    expect(canonicalModelId('anthropic.claude-3-5-sonnet-20241022-v2:0')).toBe('anthropic/claude-3-5-sonnet-20241022');
    expect(canonicalModelId('anthropic.claude-v2:1')).toBe('anthropic/claude-v2.1');
    expect(canonicalModelId('anthropic.claude-v2')).toBe('anthropic/claude-v2');
    expect(canonicalModelId('mistral.mistral-7b-instruct-v0:2')).toBe('mistralai/mistral-7b-instruct-v0.2');
    expect(canonicalModelId('amazon.titan-embed-text-v2:0')).toBe('amazon/titan-embed-text-v2');
  });

  it('gives no family to a longer word it begins (Writer\'s Palmyra is no PaLM), and Sonar to Perplexity', () => {
    expect(canonicalModelId('writer/palmyra-x5')).toBe('writer/palmyra-x5');
    expect(canonicalModelId('palm-2')).toBe('google/palm-2');
    expect(canonicalModelId('llama-3.1-sonar-large-128k-online', 'perplexity')).toBe('perplexity/llama-3.1-sonar-large-128k-online');
  });

  it('is a fixed point on canonical ids', () => {
    for (const id of ['openai/gpt-5.2-codex', 'anthropic/claude-3-5-sonnet-20240620', 'qwen/qwen3-235b-a22b-2507', 'perplexity/sonar-pro']) {
      expect(canonicalModelId(id)).toBe(id);
    }
  });
});

describe('dated snapshots', () => {
  it('are versions of their family and keep their own id', () => {
    expect(identify('gpt-4o-audio-preview-2024-12-17')).toEqual({
      id: 'openai/gpt-4o-audio-preview-2024-12-17',
      provider: 'openai',
      family: 'gpt-4o-audio-preview',
      version: '2024-12-17',
    });
    expect(identify('gpt-4o-audio-preview').id).not.toBe(identify('gpt-4o-audio-preview-2024-12-17').id);
  });

  it('recognizes the four-digit forms vendors use, and only those', () => {
    expect(snapshotVersion('gpt-4-0613')).toBe('0613');
    expect(snapshotVersion('mistral-large-2411')).toBe('2411');
    expect(snapshotVersion('claude-3-5-sonnet-20241022')).toBe('20241022');
    expect(snapshotVersion('some-model-4096')).toBeNull();
    expect(snapshotVersion('gpt-5')).toBeNull();
    expect(identify('gpt-4-0613')).toMatchObject({ family: 'gpt-4', version: '0613', id: 'openai/gpt-4-0613' });
  });
});

describe('helpers', () => {
  it('slugifies names', () => {
    expect(slugifyModelName('  GPT-5.2   Codex ')).toBe('gpt-5.2-codex');
    expect(slugifyModelName('claude_3_opus@2024')).toBe('claude-3-opus-2024');
  });

  it('maps vendors and prefixes to provider slugs', () => {
    expect(providerSlug('Meta')).toBe('meta-llama');
    expect(providerSlug('xAI')).toBe('x-ai');
    expect(inferProvider('sonar-reasoning')).toBe('perplexity');
    expect(inferProvider('ft:gpt-4o-mini')).toBe('openai');
    expect(inferProvider('acme-1')).toBeUndefined();
  });
});

it('files CodeLlama under Meta, whoever resells it', async () => {
  const { identify } = await import('../../src/normalize/identity.ts');
  expect(identify('togethercomputer/CodeLlama-34b-Instruct').id).toBe('meta-llama/codellama-34b-instruct');
});

it('shows a name without what its provider already says', async () => {
  const { displayName } = await import('../../src/normalize/identity.ts');
  expect(displayName('OpenAI: GPT-5.2 Codex')).toBe('GPT-5.2 Codex');
  expect(displayName('azure/gpt-5.2')).toBe('gpt-5.2');
  expect(displayName('bedrock/us.anthropic.claude-3-5-sonnet-20240620-v1:0')).toBe('claude-3-5-sonnet-20240620');
  expect(displayName('Alibaba-NLP/Tongyi-DeepResearch-30B-A3B')).toBe('Tongyi-DeepResearch-30B-A3B');
  expect(displayName('NousResearch 2/Hermes-4-70B:thinking')).toBe('Hermes-4-70B:thinking');
  // A printed name with spaces is a name, not a path: its slash is kept.
  expect(displayName('GPT-4o / GPT-4o mini')).toBe('GPT-4o / GPT-4o mini');
  expect(displayName('trailing/')).toBe('trailing/');
});
