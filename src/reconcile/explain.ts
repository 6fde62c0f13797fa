/** Plain-words explanations of why a fact's value won. */
import type { EvidenceClaim, Fact, Override } from '../schema/fact.ts';
import { KIND_RANK, UNKNOWN_RANK } from './truth.ts';

/** One sentence naming the rule that decided and the sources on each side. */
export function explainDecision(fact: Fact, share: number, override?: Override): string {
  const value = String(fact.value);
  const backers = sourcesOf(fact.claims.filter((c) => c.supports));
  const dissent = fact.claims.filter((c) => !c.supports && c.weight > 0);
  const against = dissentPhrase(dissent);
  switch (fact.rule) {
    case 'override': {
      const by = override ? ` by ${override.reviewer} on ${override.created_at.slice(0, 10)}: ${override.reason}` : '';
      return `${value} was pinned by a reviewer${by}.${dissent.length ? ` It overrides ${against}.` : ''}`;
    }
    case 'unanimous':
      return `${value} is stated by every source that gives this figure: ${backers}.`;
    case 'source-kind': {
      const top = topKindClaims(fact.claims.filter((c) => c.supports));
      return `${value} was chosen because ${sourcesOf(top)} ${outrank(top)} ${against}.`;
    }
    case 'recency': {
      const newest = fact.claims.filter((c) => c.supports).sort((a, b) => (a.observed_at < b.observed_at ? 1 : -1))[0];
      return (
        `${value} was chosen because ${newest.source_id} (${newest.source_kind}) stated it on ${day(newest.observed_at)}, ` +
        `later than ${againstWithDates(dissent)}.`
      );
    }
    case 'weighted-vote':
      return `${value} was chosen by weighted vote: ${backers} outweigh ${against} (${percent(share)} of the weight, after learning each source's reliability).`;
    default:
      return (
        `Sources of comparable weight disagree: ${sayings(fact.claims.filter((c) => c.weight > 0))}. ` +
        `${value} is only the best guess (${percent(share)} of the weight) and needs review.`
      );
  }
}

/** A fact in plain words: the value, its status and why, then every claim behind it. */
export function explainFact(fact: Fact): string {
  const where = fact.condition ? ` when ${fact.condition}` : '';
  const lines = [
    `${fact.model} ${fact.field}${where} = ${String(fact.value)} (${fact.status}, confidence ${fact.confidence.toFixed(2)}, rule: ${fact.rule})`,
    fact.explanation,
  ];
  if (fact.claims.length) lines.push('Claims:');
  for (const c of fact.claims) {
    const role = c.supports ? 'supports' : c.weight > 0 ? 'disagrees' : 'not counted';
    const at = c.locator ? ` at ${c.locator}` : '';
    const quote = c.quote ? ` "${c.quote}"` : '';
    lines.push(`  - ${c.source_id} (${c.source_kind}) says ${String(c.value)} [${role}, weight ${c.weight}] on ${day(c.observed_at)}${at}${quote}`);
  }
  return lines.join('\n');
}

function sourcesOf(claims: EvidenceClaim[]): string {
  const seen = new Map<string, string>();
  for (const c of claims) if (!seen.has(c.source_id)) seen.set(c.source_id, `${c.source_id} (${c.source_kind})`);
  return [...seen.values()].join(', ') || 'no source';
}

/** "aggregator-b (aggregator), which says 256000" / "a and b, which say 256000 and 300000" */
function dissentPhrase(dissent: EvidenceClaim[]): string {
  if (!dissent.length) return 'no counted source';
  const values = [...new Set(dissent.map((c) => String(c.value)))];
  const sources = new Set(dissent.map((c) => c.source_id));
  return `${sourcesOf(dissent)}, which ${sources.size > 1 ? 'say' : 'says'} ${values.join(' or ')}`;
}

/** "a (aggregator) says 400000; b (aggregator) and c (aggregator) say 256000" */
function sayings(claims: EvidenceClaim[]): string {
  const byValue = new Map<string, EvidenceClaim[]>();
  for (const c of claims) byValue.set(String(c.value), [...(byValue.get(String(c.value)) ?? []), c]);
  return [...byValue]
    .map(([v, cs]) => `${sourcesOf(cs)} ${new Set(cs.map((c) => c.source_id)).size > 1 ? 'say' : 'says'} ${v}`)
    .join('; ');
}

function againstWithDates(dissent: EvidenceClaim[]): string {
  if (!dissent.length) return 'every other claim';
  return dissent.map((c) => `${c.source_id} (${c.source_kind}), which said ${String(c.value)} on ${day(c.observed_at)}`).join('; ');
}

function outrank(backers: EvidenceClaim[]): string {
  return new Set(backers.map((c) => c.source_id)).size > 1 ? 'outrank' : 'outranks';
}

/** The claims of the best-ranked kind among these (first-party before api before ...). */
function topKindClaims(claims: EvidenceClaim[]): EvidenceClaim[] {
  const rank = (c: EvidenceClaim) => KIND_RANK[c.source_kind] ?? UNKNOWN_RANK;
  const best = Math.min(...claims.map(rank));
  return claims.filter((c) => rank(c) === best);
}

function day(iso: string): string {
  return iso ? iso.slice(0, 10) : 'an unknown date';
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}
