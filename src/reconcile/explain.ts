/**
 * Plain-words explanations of why a fact's value won. explainDecision runs once per fact during
 * reconciliation (hundreds of thousands of times at scale), so it uses plain loops.
 */
import type { EvidenceClaim, Fact, Override } from '../schema/fact.ts';
import { KIND_RANK, UNKNOWN_RANK } from './truth.ts';
import { boundsAnomaly } from '../normalize/units.ts';

/** One sentence naming the rule that decided and the sources on each side, and any source not counted for contradicting itself. */
export function explainDecision(fact: Fact, share: number, override?: Override): string {
  return decision(fact, share, override) + selfContradiction(fact);
}

/**
 * " X states 0.875 and 1.75 for it at once: not counted." for each source the truth run gave no
 * vote (every claim of it weighs 0) while it stated two values at one time. Whether a source
 * contradicts itself is the truth run's to decide (indexVotes); this only says so.
 */
function selfContradiction(fact: Fact): string {
  if (fact.claims.length < 2 || new Set(fact.claims.map((c) => c.source_id)).size === fact.claims.length) return '';
  const said = new Map<string, Set<string>>();
  const counted = new Set<string>();
  for (const c of fact.claims) {
    const key = `${c.source_id}\u0000${c.observed_at}`;
    if (c.weight > 0) counted.add(key);
    if (boundsAnomaly(fact.field, c.value)) continue;
    const values = said.get(key) ?? new Set<string>();
    values.add(String(c.value));
    said.set(key, values);
  }
  let text = '';
  for (const [key, values] of said) {
    if (values.size > 1 && !counted.has(key)) text += ` ${key.slice(0, key.indexOf('\u0000'))} states ${[...values].sort().join(' and ')} for it at once: not counted.`;
  }
  return text;
}

function decision(fact: Fact, share: number, override?: Override): string {
  const value = String(fact.value);
  const backing: EvidenceClaim[] = [];
  const dissent: EvidenceClaim[] = [];
  for (const c of fact.claims) {
    if (c.supports) backing.push(c);
    else if (c.weight > 0) dissent.push(c);
  }
  switch (fact.rule) {
    case 'override': {
      const pinned = override
        ? `${value} was pinned by ${override.reviewer || 'a reviewer'} on ${day(override.created_at)}: ${sentence(override.reason)}`
        : `${value} was pinned by a reviewer.`;
      return `${pinned}${dissent.length ? ` It overrides ${dissentPhrase(dissent)}.` : ''}`;
    }
    case 'unanimous':
      return `${value} is stated by every source that gives this figure: ${sourceList(backing)}.`;
    case 'source-kind': {
      const top = topKindClaims(backing);
      // Name every lower-ranked dissenter, even one whose learned weight fell to zero: the
      // reader wants to see who was outranked, not only who still counted.
      const outranked = fact.claims.filter((c) => !c.supports && !boundsAnomaly(fact.field, c.value));
      return `${value} was chosen because ${sourceList(top)} ${verb(top, 'outranks', 'outrank')} ${dissentPhrase(outranked)}.`;
    }
    case 'recency': {
      const newest = newestClaim(topKindClaims(backing));
      return (
        `${value} was chosen because ${named(newest)} stated it on ${day(newest.observed_at)}, ` +
        `later than ${datedDissent(dissent)}.`
      );
    }
    case 'weighted-vote':
      return (
        `${value} was chosen by weighted vote: ${sourceList(backing)} ${verb(backing, 'outweighs', 'outweigh')} ` +
        `${dissentPhrase(dissent)} (${percent(share)} of the weight, after learning each source's reliability).`
      );
    default:
      return (
        `Sources of comparable weight disagree: ${sayings(backing.concat(dissent))}. ` +
        `${value} is only the best guess (${percent(share)} of the weight) and needs review.`
      );
  }
}

/** A fact in plain words: the value, its status and why, then every claim behind it. */
export function explainFact(fact: Fact): string {
  const where = fact.condition ? ` when ${fact.condition}` : '';
  const lines = [
    `${fact.model} ${fact.field}${where} = ${String(fact.value)} ` +
      `(${fact.status}, confidence ${fact.confidence.toFixed(2)}, rule: ${fact.rule})`,
    fact.explanation,
  ];
  if (fact.claims.length) lines.push('Claims:');
  for (const c of fact.claims) {
    const role = c.supports ? 'supports' : c.weight > 0 ? 'disagrees' : 'not counted';
    const at = c.locator ? ` at ${c.locator}` : '';
    const quote = c.quote ? ` "${c.quote}"` : '';
    lines.push(`  - ${named(c)} says ${String(c.value)} [${role}, weight ${c.weight}] on ${day(c.observed_at)}${at}${quote}`);
  }
  return lines.join('\n');
}

function named(c: EvidenceClaim): string {
  return `${c.source_id} (${c.source_kind})`;
}

/** Distinct sources in order: "a (aggregator), b (api)". */
function sourceList(claims: EvidenceClaim[]): string {
  const seen = new Set<string>();
  const names: string[] = [];
  for (const c of claims) {
    if (seen.has(c.source_id)) continue;
    seen.add(c.source_id);
    names.push(named(c));
  }
  return names.length ? names.join(', ') : 'no source';
}

function sourceCount(claims: EvidenceClaim[]): number {
  return new Set(claims.map((c) => c.source_id)).size;
}

function verb(subjects: EvidenceClaim[], one: string, many: string): string {
  return sourceCount(subjects) > 1 ? many : one;
}

/** "b (aggregator), which says 256000" / "b (aggregator), c (aggregator), which say 256000 or 300000" */
function dissentPhrase(dissent: EvidenceClaim[]): string {
  if (!dissent.length) return 'no counted source';
  const values = [...new Set(dissent.map((c) => String(c.value)))];
  return `${sourceList(dissent)}, which ${verb(dissent, 'says', 'say')} ${values.join(' or ')}`;
}

/** "a (aggregator) says 400000; b (aggregator), c (aggregator) say 256000" */
function sayings(claims: EvidenceClaim[]): string {
  // Grouped in one pass: a figure a thousand pages state must not cost a million comparisons.
  const groups = new Map<string, EvidenceClaim[]>();
  for (const c of claims) {
    const value = String(c.value);
    const group = groups.get(value);
    if (group) group.push(c);
    else groups.set(value, [c]);
  }
  const parts: string[] = [];
  for (const [value, group] of groups) parts.push(`${sourceList(group)} ${verb(group, 'says', 'say')} ${value}`);
  return parts.join('; ');
}

function datedDissent(dissent: EvidenceClaim[]): string {
  if (!dissent.length) return 'every other claim';
  const parts: string[] = [];
  for (const c of dissent) parts.push(`${named(c)}, which said ${String(c.value)} on ${day(c.observed_at)}`);
  return parts.join('; ');
}

function newestClaim(claims: EvidenceClaim[]): EvidenceClaim {
  let newest = claims[0];
  for (const c of claims) if (c.observed_at > newest.observed_at) newest = c;
  return newest;
}

/** The claims of the best-ranked kind among these (first-party before api before ...). */
function topKindClaims(claims: EvidenceClaim[]): EvidenceClaim[] {
  let best = Infinity;
  for (const c of claims) best = Math.min(best, KIND_RANK[c.source_kind] ?? UNKNOWN_RANK);
  const top: EvidenceClaim[] = [];
  for (const c of claims) if ((KIND_RANK[c.source_kind] ?? UNKNOWN_RANK) === best) top.push(c);
  return top;
}

function day(iso: string): string {
  return iso ? iso.slice(0, 10) : 'an unknown date';
}

/** A reviewer's reason closed with one full stop, whether or not they typed one. */
function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}
