import type { Claim } from '../../src/schema/claim.ts';
import type { Source } from '../../src/schema/source.ts';

/** The sources the reconciler tests use: one per kind, with the kind's usual trust. */
export const SOURCES: Array<Pick<Source, 'id' | 'kind' | 'trust'>> = [
  { id: 'openai-docs', kind: 'first-party', trust: 0.95 },
  { id: 'openai-pricing', kind: 'first-party', trust: 0.95 },
  { id: 'openrouter', kind: 'api', trust: 0.85 },
  { id: 'hf-card', kind: 'model-card', trust: 0.8 },
  { id: 'aggregator-a', kind: 'aggregator', trust: 0.7 },
  { id: 'aggregator-b', kind: 'aggregator', trust: 0.7 },
  { id: 'aggregator-c', kind: 'aggregator', trust: 0.7 },
];

/** A claim with plausible defaults; tests set only what they are about. */
export function claim(source_id: string, value: Claim['value'], over: Partial<Claim> = {}): Claim {
  return {
    model: 'openai/gpt-5.2-codex',
    model_name: 'GPT-5.2 Codex',
    field: 'context_window',
    value,
    unit: 'tokens',
    condition: '',
    locator: `table 1 / row ${String(value)}`,
    quote: `${String(value)} tokens`,
    confidence: 1,
    source_id,
    snapshot_hash: `sha256-${source_id}`,
    observed_at: '2026-01-10T00:00:00Z',
    ...over,
  };
}
