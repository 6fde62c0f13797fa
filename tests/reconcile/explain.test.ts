import { describe, expect, it } from 'vitest';
import { explainFact, reconcile } from '../../src/reconcile/index.ts';
import { SOURCES, claim } from './helpers.ts';
import { explainDecision } from '../../src/reconcile/explain.ts';
import type { Fact } from '../../src/schema/fact.ts';

it('names an outranked dissenter even when its learned weight fell to zero', () => {
  const base = { source_kind: 'aggregator', snapshot_hash: 'h', locator: 'l', quote: 'q', observed_at: '2026-05-20T00:00:00.000Z' };
  const fact: Fact = {
    model: 'openai/gpt-5.2-codex',
    field: 'input_price',
    condition: '',
    value: 1.75,
    status: 'resolved',
    confidence: 0.98,
    rule: 'source-kind',
    explanation: '',
    claims: [
      { ...base, source_id: 'openai-pricing', source_kind: 'first-party', value: 1.75, weight: 2, supports: true },
      { ...base, source_id: 'aggregator-c', value: 3, weight: 0, supports: false },
    ],
  };
  expect(explainDecision(fact, 0.98)).toBe('1.75 was chosen because openai-pricing (first-party) outranks aggregator-c (aggregator), which says 3.');
});

describe('explainFact', () => {
  it('says in plain words what won, why, and lists every claim with its role', () => {
    const [fact] = reconcile(
      [
        claim('openai-docs', 400000, { quote: '400,000 context window', locator: 'models table / Context' }),
        claim('aggregator-c', 256000),
        claim('aggregator-a', 4, { anomaly: 'below the field minimum' }),
      ],
      { sources: SOURCES },
    ).facts;
    const text = explainFact(fact);
    const lines = text.split('\n');
    expect(lines[0]).toBe('openai/gpt-5.2-codex context_window = 400000 (resolved, confidence ' + fact.confidence.toFixed(2) + ', rule: source-kind)');
    expect(lines[1]).toBe('400000 was chosen because openai-docs (first-party) outranks aggregator-c (aggregator), which says 256000.');
    expect(text).toMatch(/openai-docs \(first-party\) says 400000 \[supports, weight [\d.]+\] on 2026-01-10 at models table \/ Context "400,000 context window"/);
    expect(text).toMatch(/aggregator-c \(aggregator\) says 256000 \[disagrees, weight [\d.]+\]/);
    expect(text).toMatch(/aggregator-a \(aggregator\) says 4 \[not counted, weight 0\]/);
  });

  it('names the condition a figure holds under', () => {
    const [fact] = reconcile([claim('openrouter', 6, { field: 'input_price', condition: 'context>200000' })], { sources: SOURCES }).facts;
    expect(explainFact(fact).split('\n')[0]).toMatch(/^openai\/gpt-5.2-codex input_price when context>200000 = 6 \(agreed/);
  });

  it('explains a dispute by listing who says what', () => {
    const [fact] = reconcile([claim('aggregator-a', 400000), claim('aggregator-b', 256000)], { sources: SOURCES }).facts;
    expect(fact.explanation).toMatch(/^Sources of comparable weight disagree: aggregator-\w \(aggregator\) says \d+; aggregator-\w \(aggregator\) says \d+\. \d+ is only the best guess \(50% of the weight\) and needs review\.$/);
  });
});
