import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApi } from '../../scripts/build-models-dev-api.ts';

/** A providers/ tree in a temporary directory, from path -> TOML text. */
function tree(files: Record<string, string>): string {
  const root = join(mkdtempSync(join(tmpdir(), 'md-tree-')), 'providers');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const OPENAI_GPT = `name = "GPT-5.4"
release_date = "2026-03-05"
reasoning = true
reasoning_options = [{ type = "effort", values = ["low", "high"] }]

[cost]
input = 2.50
output = 15.00

[[cost.tiers]]
tier = { type = "context", size = 200_000 }
input = 5.00
output = 22.50

[limit]
context = 1_050_000
input = 922_000
output = 128_000

[modalities]
input = ["text", "image"]
output = ["text"]
`;

describe('build-models-dev-api', () => {
  const root = tree({
    'openai/provider.toml': 'name = "OpenAI"\nenv = ["OPENAI_API_KEY"]\nnpm = "@ai-sdk/openai"\ndoc = "https://platform.openai.com/docs/models"\n',
    'openai/models/gpt-5.4.toml': OPENAI_GPT,
    'openai/models/gpt-9.toml': 'base_model = "openai/gpt-9"\n\n[cost]\ninput = 9.00\noutput = 90.00\n',
    'amazon-bedrock/provider.toml': 'name = "Amazon Bedrock"\nenv = ["AWS_ACCESS_KEY_ID"]\nnpm = "@ai-sdk/amazon-bedrock"\ndoc = "https://docs.aws.amazon.com/bedrock/"\n',
    'amazon-bedrock/models/openai.gpt-5.4.toml': `base_model = "openai/gpt-5.4"
base_model_omit = ["limit.input", "cost.tiers"]

[cost]
input = 2.75
output = 16.50

[limit]
context = 272_000
`,
    'openrouter/provider.toml': 'name = "OpenRouter"\nenv = ["OPENROUTER_API_KEY"]\nnpm = "@openrouter/ai-sdk-provider"\ndoc = "https://openrouter.ai/models"\n',
    'openrouter/models/openai/gpt-5.4.toml': '[extends]\nfrom = "openai/gpt-5.4"\nomit = ["reasoning_options"]\n\n[cost]\ninput = 3.00\noutput = 15.00\n',
  });
  symlinkSync('../../nowhere/models/gone.toml', join(root, 'openrouter', 'models', 'gone.toml'));
  const { api, report } = buildApi(root);
  const models = (provider: string) => api[provider].models as Record<string, any>;

  it('assembles providers with id and models keyed by their path under models/', () => {
    expect(Object.keys(api)).toEqual(['amazon-bedrock', 'openai', 'openrouter']);
    expect(api.openai).toMatchObject({ id: 'openai', name: 'OpenAI', env: ['OPENAI_API_KEY'], npm: '@ai-sdk/openai' });
    expect(Object.keys(models('openrouter'))).toEqual(['openai/gpt-5.4']);
    expect(models('openai')['gpt-5.4']).toMatchObject({ id: 'gpt-5.4', limit: { context: 1050000, input: 922000, output: 128000 } });
    expect(report).toMatchObject({ providers: 3, models: 4 });
  });

  it('sorts keys at every level, so a build is deterministic', () => {
    const model = models('openai')['gpt-5.4'];
    expect(Object.keys(model)).toEqual([...Object.keys(model)].sort());
    expect(Object.keys(model.cost)).toEqual(['context_over_200k', 'input', 'output', 'tiers']);
  });

  it('resolves base_model from the lab\'s own provider folder without its provider-only keys, then applies base_model_omit', () => {
    const bedrock = models('amazon-bedrock')['openai.gpt-5.4'];
    expect(bedrock.name).toBe('GPT-5.4');
    expect(bedrock.release_date).toBe('2026-03-05');
    expect(bedrock.cost).toEqual({ input: 2.75, output: 16.5 });
    expect(bedrock.limit).toEqual({ context: 272000, output: 128000 });
    expect(bedrock.reasoning_options).toBeUndefined();
    expect(bedrock.base_model).toBeUndefined();
  });

  it('resolves [extends] with everything inherited, then drops the omitted paths', () => {
    const routed = models('openrouter')['openai/gpt-5.4'];
    expect(routed.cost.input).toBe(3);
    expect(routed.cost.tiers).toEqual([{ tier: { type: 'context', size: 200000 }, input: 5, output: 22.5 }]);
    expect(routed.reasoning_options).toBeUndefined();
    expect(routed.extends).toBeUndefined();
  });

  it('adds the legacy context_over_200k only for a single tier at 200k', () => {
    expect(models('openai')['gpt-5.4'].cost.context_over_200k).toEqual({ input: 5, output: 22.5 });
    expect(models('amazon-bedrock')['openai.gpt-5.4'].cost.context_over_200k).toBeUndefined();
  });

  it('reports a base_model without a stand-in and a dangling symlink, keeping what the file says', () => {
    expect(models('openai')['gpt-9']).toEqual({ id: 'gpt-9', cost: { input: 9, output: 90 } });
    expect(report.warnings.map((w) => w.kind)).toEqual(
      expect.arrayContaining(['base_model has no stand-in under providers/: kept as written', 'dangling symlink skipped']),
    );
  });
});
