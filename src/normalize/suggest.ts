/**
 * Did-you-mean: the known names closest to one a person typed. Names are compared with case,
 * punctuation and separators folded away, so "gpt5.2-codex" is one edit from nothing at all and
 * "claude-sonet-4.5" one letter from "claude-sonnet-4.5".
 */
import { editDistance } from './aliases.ts';

const fold = (name: string): string => name.toLowerCase().replace(/[\s_\-.:]+/g, '');

/** Up to `limit` of `known` within a few edits of `typed` (folded), closest first; none when nothing is close. */
export function closestNames(typed: string, known: Iterable<string>, limit = 3): string[] {
  const target = fold(typed);
  const budget = Math.max(1, Math.floor(target.length / 6));
  const scored: Array<[string, number]> = [];
  for (const name of new Set(known)) {
    const candidate = fold(name);
    if (Math.abs(candidate.length - target.length) > budget) continue;
    const distance = editDistance(target, candidate);
    if (distance <= budget) scored.push([name, distance]);
  }
  return scored
    .sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, limit)
    .map(([name]) => name);
}

/** "; did you mean a or b?" or nothing. */
export function didYouMean(typed: string, known: Iterable<string>): string {
  const close = closestNames(typed, known);
  return close.length ? `; did you mean ${close.join(' or ')}?` : '';
}
