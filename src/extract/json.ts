/** Small helpers shared by the JSON extractors. */
import { perTokenToPerMillion } from '../normalize/units.ts';

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One JSON Pointer reference token (RFC 6901): "~" and "/" escaped. */
export function escapePointer(key: string | number): string {
  const token = String(key);
  // Most keys need no escaping: skip the two regex passes (this runs per entry on big files).
  if (!token.includes('~') && !token.includes('/')) return token;
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

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
