/** Small helpers shared by the JSON extractors. */
import { perTokenToPerMillion } from '../normalize/units.ts';
import type { ExtractResult } from '../schema/claim.ts';
import { finishResult, type Expectations } from './claims.ts';
import type { ExtractInput } from './types.ts';

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export { escapePointer } from '../schema/pointer.ts';

/**
 * perTokenToPerMillion, remembered per printed figure for one file: a big file prints a few
 * hundred distinct per-token prices thousands of times, and the conversion's rounding is costly.
 */
export class PerMillionPrices {
  private readonly seen = new Map<string | number, number | null>();

  of(perToken: string | number): number | null {
    let price = this.seen.get(perToken);
    if (price === undefined) {
      price = perTokenToPerMillion(perToken);
      this.seen.set(perToken, price);
    }
    return price;
  }
}

/** A JSON extractor's body parsed, or, for a body that is not JSON, the result that says so. */
export function parseJsonBody(input: ExtractInput, expect: Partial<Expectations>): { parsed: unknown } | { failed: ExtractResult } {
  try {
    return { parsed: JSON.parse(input.body) };
  } catch (err) {
    return { failed: finishResult([], [`body is not JSON: ${(err as Error).message}`], expect, input.source) };
  }
}
