/** Small helpers shared by the JSON extractors. */

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One JSON Pointer reference token (RFC 6901): "~" and "/" escaped. */
export function escapePointer(key: string | number): string {
  return String(key).replace(/~/g, '~0').replace(/\//g, '~1');
}
