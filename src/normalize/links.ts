/**
 * Identity across sources: which model ids name the same model. The same Claude model is
 * `anthropic/claude-sonnet-4-5` in one source and `anthropic/claude-sonnet-4.5` in another, and
 * OpenRouter's canonical slug spells it `claude-4.5-sonnet`. Ids are linked automatically only on
 * strong evidence, each link saying why:
 *   - registry: a reviewer listed the name in aliases.yaml;
 *   - same-name: within one provider the names differ only in punctuation, letter-digit spacing,
 *     version spelling (`v3p1` = `3.1`, `20250929` = `2025-09-29`) or word order.
 * Never linked: a dated snapshot and its undated family (versions of a family, not aliases), names
 * with a word the other lacks (`-mini`, `-nano`, `-pro`, `-thinking`, `:free`, `-instruct`, sizes),
 * other version numbers, other providers, and pairs a reviewer declared distinct.
 */
import type { AliasRegistry } from './aliases.ts';
import { identify } from './identity.ts';

export type LinkEvidence = 'registry' | 'same-name';

export interface ModelLink {
  /** The id a source's claims carry. */
  alias: string;
  /** The canonical id they are reconciled under. */
  model: string;
  evidence: LinkEvidence;
  detail: string;
}

/**
 * The name of a model with the spelling differences that never distinguish two models taken
 * out: the key two ids share when they are the same model under one provider.
 */
export function nameKey(id: string): string {
  const slash = id.indexOf('/');
  const provider = slash < 0 ? '' : id.slice(0, slash);
  let name = slash < 0 ? id : id.slice(slash + 1);
  // A dated suffix keeps its digits, whatever the dashes: 2025-09-29 = 20250929.
  name = name.replace(/(^|-)(\d{4})-(\d{2})-(\d{2})(?=$|[-:])/, '$1$2$3$4');
  // Fireworks spells 3.1 as v3p1.
  name = name.replace(/(^|-)v(\d+)p(\d+)(?=$|-)/g, '$1$2.$3');
  // Single- and double-digit parts joined by a dash are one version number: 3-5 = 3.5.
  name = name.replace(/(^|-)(\d{1,2})-(\d{1,2})(?=$|[-:])/g, '$1$2.$3');
  const tokens = name
    .split(/[-_\s]+/)
    .flatMap((t) => t.split(/(?<=[a-z])(?=\d)/))
    .filter(Boolean);
  return `${provider}/${tokens.sort().join(' ')}`;
}

/** Which of several ids naming one model is canonical: a registry id, else the dotted version spelling, else the shortest, else the first. */
export function preferred(ids: string[], registry: AliasRegistry): string {
  return [...ids].sort((a, b) => {
    const listed = Number(registry.ids.has(b)) - Number(registry.ids.has(a));
    if (listed) return listed;
    const dots = (b.match(/\d\.\d/g)?.length ?? 0) - (a.match(/\d\.\d/g)?.length ?? 0);
    if (dots) return dots;
    return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  })[0];
}

const pairKey = (a: string, b: string): string => (a < b ? `${a}\n${b}` : `${b}\n${a}`);

/**
 * The links among `ids` (every model id the current claims carry): alias id -> its canonical
 * model. Ids without a link are their own model.
 */
export function linkModels(ids: Iterable<string>, registry: AliasRegistry): Map<string, ModelLink> {
  const links = new Map<string, ModelLink>();
  const groups = new Map<string, string[]>();
  for (const id of new Set(ids)) {
    const listed = registry.byAlias.get(id);
    if (listed && listed !== id) {
      links.set(id, { alias: id, model: listed, evidence: 'registry', detail: `listed under ${listed} in the alias registry` });
      continue;
    }
    const key = nameKey(id);
    const group = groups.get(key);
    if (group) group.push(id);
    else groups.set(key, [id]);
  }
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const model = preferred(group, registry);
    for (const id of group) {
      if (id === model || registry.distinct.has(pairKey(id, model))) continue;
      // The key keeps dates, but a version read differently (a 4-digit MMDD) must still agree.
      if (identify(id).version !== identify(model).version) continue;
      links.set(id, { alias: id, model, evidence: 'same-name', detail: `${id} and ${model} differ only in punctuation, spacing or word order` });
    }
  }
  return links;
}
