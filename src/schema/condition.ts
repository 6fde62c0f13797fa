/**
 * The condition grammar: a figure that only holds under a condition carries it instead of
 * overwriting the base figure (''). A condition is ';'-joined parts in sorted order, each one of
 *   context>N          a long-context tier (prompts above N tokens)
 *   tier:NAME          a service tier (flex, priority, ...)
 *   route:NAME[/SUB]   a resale route of the same model (route:azure, route:azure/eu, route:top_provider)
 *   cache_ttl:DUR      a cache lifetime (cache_ttl:1h)
 *   from:YYYY-MM-DD    a dated price that starts on that day
 * Extractors build conditions here and exporters parse them here, so both speak one language.
 */
import { z } from 'zod';

export type ConditionPart =
  | { kind: 'context'; above: number }
  | { kind: 'tier'; name: string }
  | { kind: 'route'; name: string }
  | { kind: 'cache_ttl'; ttl: string }
  | { kind: 'from'; date: string }
  | { kind: 'other'; text: string };

/** One trimmed part without ';': already canonical, as most claims' conditions are. */
const isSimple = (condition: string): boolean => !condition.includes(';') && condition.trim() === condition;

/** Conditions combine with ';' in sorted order; empty and repeated parts vanish. */
export function joinConditions(...parts: Array<string | undefined | null>): string {
  // Fast path (most claims): at most one simple part. Extraction of big files runs this per claim.
  let single = '';
  let count = 0;
  for (const p of parts) {
    if (!p) continue;
    count += 1;
    single = p;
  }
  if (count === 0) return '';
  if (count === 1 && isSimple(single)) return single;
  const all = parts.flatMap((p) => (p ? p.split(';') : [])).map((p) => p.trim()).filter(Boolean);
  return [...new Set(all)].sort().join(';');
}

/** A condition string in canonical form. */
export function canonicalCondition(condition = ''): string {
  return isSimple(condition) ? condition : joinConditions(condition);
}

export const condition = {
  context: (aboveTokens: number): string => `context>${aboveTokens}`,
  tier: (name: string): string => `tier:${name}`,
  route: (name: string): string => `route:${name}`,
  cacheTtl: (ttl: string): string => `cache_ttl:${ttl}`,
  from: (date: string): string => `from:${date}`,
};

const NAME = /^[a-z0-9][a-z0-9_.-]*$/;
const ROUTE = /^[a-z0-9][a-z0-9_.-]*(\/[a-z0-9][a-z0-9_.-]*)*$/;
const TTL = /^\d+[smhd]$/;
const isDay = (text: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(text) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text);

/**
 * A part in the grammar, or `other`: a known head with a value outside its grammar (`route:`,
 * `route:AZURE`, `context>0`, `from:2026-02-30`) is `other` too, never a route or tier of that name.
 */
function parsePart(text: string): ConditionPart {
  const context = /^context>([1-9]\d*)$/.exec(text);
  if (context) return { kind: 'context', above: Number(context[1]) };
  const colon = text.indexOf(':');
  if (colon > 0) {
    const head = text.slice(0, colon);
    const rest = text.slice(colon + 1);
    if (head === 'tier' && NAME.test(rest)) return { kind: 'tier', name: rest };
    if (head === 'route' && ROUTE.test(rest)) return { kind: 'route', name: rest };
    if (head === 'cache_ttl' && TTL.test(rest)) return { kind: 'cache_ttl', ttl: rest };
    if (head === 'from' && isDay(rest)) return { kind: 'from', date: rest };
  }
  return { kind: 'other', text };
}

/** The parts of a condition string, in its canonical order. */
export function parseCondition(condition: string): ConditionPart[] {
  return condition ? canonicalCondition(condition).split(';').map(parsePart) : [];
}

/** The route a condition names (`route:azure;tier:flex` -> azure), or null. */
export function routeOf(condition: string): string | null {
  for (const part of parseCondition(condition)) if (part.kind === 'route') return part.name;
  return null;
}

/** The condition without its parts of one kind. */
export function without(condition: string, kind: ConditionPart['kind']): string {
  return condition
    ? canonicalCondition(condition).split(';').filter((p) => parsePart(p).kind !== kind).join(';')
    : '';
}

/** The condition without its route part. */
export function withoutRoute(condition: string): string {
  return without(condition, 'route');
}

/** A condition as stored: canonical (sorted, no empty parts). */
export const ConditionSchema = z
  .string()
  .refine((c) => c === canonicalCondition(c), { message: 'condition parts must be sorted, trimmed and joined by ";"' });
