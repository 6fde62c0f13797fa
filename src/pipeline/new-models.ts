import { LikenessIndex, type AliasRegistry } from '../normalize/aliases.ts';
import type { ExtractedClaim } from '../schema/claim.ts';
import type { Ledger } from '../store/ledger.ts';

/**
 * Finds the model ids a capture names for the first time and records as a candidate for review
 * each that may be another name of a known id (proposeAliases says which, and why). Look-alikes
 * are sought through an index of the known ids by name, so a capture of n new names costs n
 * look-ups, however many of them share a word.
 */
export class NewModelDetector {
  private readonly index = new LikenessIndex();
  private readonly known = new Set<string>();
  /** `id\u0000name` of every model row this run has recorded under that name. */
  private readonly named = new Set<string>();

  constructor(
    private readonly ledger: Ledger,
    private readonly registry: AliasRegistry,
  ) {
    for (const m of ledger.models.list()) this.remember(m.id);
    for (const id of registry.ids) this.remember(id);
  }

  private remember(id: string): void {
    if (this.known.has(id)) return;
    this.known.add(id);
    this.index.add(id);
  }

  /** The id a claim's model names once the registry's aliases are applied. */
  canonical(id: string): string {
    return this.registry.byAlias.get(id) ?? id;
  }

  /** Whether the ledger or the registry knows the id a claim's model names (or this run has recorded it). */
  isKnown(id: string): boolean {
    return this.known.has(this.canonical(id));
  }

  /**
   * Whether this run has yet to record model `id` under `name`. Recording the same pair again is a
   * no-op (its row and display name stand), and a thousand pages name the same models again and again.
   */
  firstNaming(id: string, name: string): boolean {
    const key = `${id}\u0000${name}`;
    if (this.named.has(key)) return false;
    this.named.add(key);
    return true;
  }

  /** Records candidates for the unseen ids among `claims`; returns how many there were. */
  record(claims: readonly ExtractedClaim[], sourceId: string, at: string): number {
    let found = 0;
    for (const claim of claims) {
      const id = this.canonical(claim.model);
      if (this.known.has(id)) continue;
      const proposals = this.index.propose(id, this.registry);
      this.remember(id);
      // A name like no other is a new model, reviewed through its changes; only a doubt needs a reviewer here.
      if (proposals.length === 0) continue;
      this.ledger.models.addCandidate({ model_id: id, name: claim.model_name, source_id: sourceId, first_seen: at, proposals });
      found++;
    }
    return found;
  }
}
