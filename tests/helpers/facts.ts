import type { Fact } from '../../src/schema/fact.ts';
import type { FieldName } from '../../src/schema/fields.ts';

/** A fact as the reconciler would produce it, supported by one claim from `source`. */
export function fact(model: string, field: FieldName, value: number | string | boolean, options: { condition?: string; snapshot?: string; observedAt?: string; source?: string } = {}): Fact {
  return {
    model,
    field,
    condition: options.condition ?? '',
    value,
    status: 'agreed',
    confidence: 0.9,
    rule: 'unanimous',
    explanation: 'all sources agree',
    claims: [
      {
        source_id: options.source ?? 'src-a',
        source_kind: 'api',
        value,
        snapshot_hash: options.snapshot ?? 'aaa',
        locator: '/0/x',
        quote: String(value),
        observed_at: options.observedAt ?? '2026-07-17T00:00:00.000Z',
        weight: 1,
        supports: true,
      },
    ],
  };
}
