import { proposeAliases, type AliasRegistry } from '../normalize/aliases.ts';
import type { ExtractedClaim } from '../schema/claim.ts';
import type { Ledger } from '../store/ledger.ts';

/** The leading word of a model name ("claude" in anthropic/claude-sonnet-4.5): look-alikes share it. */
function leadingWord(id: string): string {
  const model = id.slice(id.indexOf('/') + 1);
  return model.match(/^[a-z]+/)?.[0] ?? model.slice(0, 3);
}

/**
 * Finds the model ids a capture names for the first time and records as a candidate for review
 * each that may be another name of a known id (proposeAliases says which, and why). Look-alikes are only sought among ids that
 * share the leading word, which keeps a first sync of thousands of models from comparing every
 * pair of names.
 */
export class NewModelDetector {
  private readonly byWord = new Map<string, Set<string>>();
  private readonly known = new Set<string>();

  constructor(
    private readonly ledger: Ledger,
    private readonly registry: AliasRegistry,
  ) {
    for (const m of ledger.models.list()) this.remember(m.id);
    for (const id of registry.ids) this.remember(id);
  }

  private remember(id: string): void {
    this.known.add(id);
    const word = leadingWord(id);
    if (!this.byWord.has(word)) this.byWord.set(word, new Set());
    this.byWord.get(word)!.add(id);
  }

  /** The id a claim's model names once the registry's aliases are applied. */
  canonical(id: string): string {
    return this.registry.byAlias.get(id) ?? id;
  }

  /** Records candidates for the unseen ids among `claims`; returns how many there were. */
  record(claims: readonly ExtractedClaim[], sourceId: string, at: string): number {
    let found = 0;
    for (const claim of claims) {
      const id = this.canonical(claim.model);
      if (this.known.has(id)) continue;
      const proposals = proposeAliases(id, this.byWord.get(leadingWord(id)) ?? [], this.registry);
      this.remember(id);
      // A name like no other is a new model, reviewed through its changes; only a doubt needs a reviewer here.
      if (proposals.length === 0) continue;
      this.ledger.models.addCandidate({ model_id: id, name: claim.model_name, source_id: sourceId, first_seen: at, proposals });
      found++;
    }
    return found;
  }
}
