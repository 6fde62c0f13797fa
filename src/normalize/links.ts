/**
 * Identity across sources: which model ids name the same model. The same Claude model is
 * `anthropic/claude-sonnet-4-5` in one source and `anthropic/claude-sonnet-4.5` in another, and
 * OpenRouter's canonical slug spells it `claude-4.5-sonnet`. Ids are linked automatically only on
 * strong evidence, each link saying why:
 *   - registry: a reviewer listed the name in aliases.yaml;
 *   - same-name: within one provider the names differ only in punctuation, letter-digit spacing,
 *     version spelling (`v3p1` = `3.1`, `m2p5` = `m2-5` = `m2.5`, `20250929` = `2025-09-29`) or word order;
 *   - reseller: an inference host lists the model under its own name (`fireworks/minimax-m2`) and
 *     exactly one model vendor has that name (`minimax/minimax-m2`): the host's offering is a route
 *     of the vendor's model (its claims gain `route:<host>`); so is a host's name that repeats the
 *     vendor's name before the model's (`venice/zai-org-glm-4.7`), and under the vendor itself such a
 *     name is a same-name link (`meta-llama/meta-llama-3.1-8b` = `meta-llama/llama-3.1-8b`).
 * Never linked: a dated snapshot and its undated family (versions of a family, not aliases), names
 * with a word the other lacks (`-mini`, `-nano`, `-pro`, `-thinking`, `:free`, `-instruct`, sizes),
 * other version numbers, other providers, and pairs a reviewer declared distinct.
 */
import type { AliasRegistry } from './aliases.ts';
import { identify, knownVendor } from './identity.ts';

export type LinkEvidence = 'registry' | 'same-name' | 'reseller';

export interface ModelLink {
  /** The id a source's claims carry. */
  alias: string;
  /** The canonical id they are reconciled under. */
  model: string;
  evidence: LinkEvidence;
  detail: string;
  /** For a reseller link: the route its claims carry on the vendor's model. */
  route?: string;
}

/**
 * Providers that are inference hosts, gateways or resellers rather than model vendors: a model
 * id under one of them is some vendor's model the host's listing did not name.
 */
export const HOSTS = new Set([
  '302ai', 'aihubmix', 'anyscale', 'azure', 'azure-ai', 'baseten', 'bedrock', 'cerebras', 'chutes', 'cloudflare', 'cortecs',
  'deepinfra', 'digitalocean', 'featherless', 'fireworks', 'fireworks-ai', 'friendli', 'github-copilot', 'groq', 'helicone',
  'huggingface', 'hyperbolic', 'inference', 'kilo', 'kilo-auto', 'lambda', 'lambda-ai', 'nano-gpt', 'nebius', 'novita', 'novita-ai',
  'openrouter', 'orcarouter', 'ovhcloud', 'parasail', 'qiniu-ai', 'replicate', 'requesty', 'sambanova', 'scaleway', 'siliconflow',
  'siliconflow-cn', 'together', 'together-ai', 'togetherai', 'umans-ai-coding-plan', 'venice', 'vercel', 'vertex-ai', 'volcengine',
]);

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
  // Fireworks spells 3.1 as v3p1, and 2.5 after a letter as p: minimax-m2p5, glm-4p7.
  name = name.replace(/(^|-)v(\d+)p(\d+)(?=$|-)/g, '$1$2.$3');
  name = name.replace(/(?<![\d.])(\d+)p(\d+)(?=$|[-:])/g, '$1.$2');
  // Single- and double-digit parts joined by a dash are one version number: 3-5 = 3.5, m2-5 = m2.5.
  name = name.replace(/(?<![\d.])(\d{1,2})-(\d{1,2})(?=$|[-:])/g, '$1.$2');
  const tokens = name
    .split(/[-_\s]+/)
    .flatMap((t) => t.split(/(?<=[a-z])(?=\d)/))
    // A "v" before a version is how some spell it and others not: deepseek-v3.2 = deepseek-3.2.
    .filter((t, i, all) => t && !(t === 'v' && /^\d/.test(all[i + 1] ?? '')));
  return `${provider}/${tokens.sort().join(' ')}`;
}

/**
 * Which of several ids naming one model is canonical: a registry id; else one with approved values
 * (`established`: a new spelling arriving later must not move a published model's history to
 * another id); else the vendor's usual spelling: without the vendor's name again
 * before a family name (llama-3.1-8b, not meta-llama-3.1-8b; but deepseek-r1, not r1), dotted
 * versions (4.5), dashed words (gpt-4o), the version after the name (claude-sonnet-4.5, a "v" before
 * it aside); else the spelling more claims carry (`usage`: deepseek-v3.2 over deepseek-3.2, llama-2-13b
 * over llama-v2-13b); else the shortest, else the first.
 */
export function preferred(ids: string[], registry: AliasRegistry, established: ReadonlySet<string> = new Set(), usage: ReadonlyMap<string, number> = new Map()): string {
  const score = (id: string): number[] => [
    Number(registry.ids.has(id)),
    Number(established.has(id)),
    Number(!repeatsVendorBeforeFamily(id)),
    id.match(/\d\.\d/g)?.length ?? 0,
    id.split('-').length,
    id.slice(id.indexOf('/') + 1).replace(/(^|-)v(?=\d)/, '$1').search(/\d/),
    usage.get(id) ?? 0,
    -id.length,
  ];
  return [...ids].sort((a, b) => {
    const [sa, sb] = [score(a), score(b)];
    for (let i = 0; i < sa.length; i++) if (sa[i] !== sb[i]) return sb[i] - sa[i];
    return a < b ? -1 : a > b ? 1 : 0;
  })[0];
}

/** `meta-llama/meta-llama-3.1-8b`, `cohere/cohere-command-r`: the provider's name again, then a family name of three letters or more. */
function repeatsVendorBeforeFamily(id: string): boolean {
  const [word, ...rest] = id.slice(id.indexOf('/') + 1).split('-');
  return knownVendor(word) === providerOf(id) && /^[a-z]{3,}/.test(rest.join('-'));
}

const pairKey = (a: string, b: string): string => (a < b ? `${a}\n${b}` : `${b}\n${a}`);

/**
 * The links among `ids` (every model id the current claims carry): alias id -> its canonical
 * model. Ids without a link are their own model.
 */
export function linkModels(ids: Iterable<string>, registry: AliasRegistry, established: ReadonlySet<string> = new Set()): Map<string, ModelLink> {
  const links = new Map<string, ModelLink>();
  const groups = new Map<string, string[]>();
  const usage = new Map<string, number>();
  for (const id of ids) usage.set(id, (usage.get(id) ?? 0) + 1);
  for (const id of usage.keys()) {
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
  const resold = regroupVendorWords(groups);
  linkSameNames(groups, registry, established, usage, links);
  linkResales([...groups.values()].map((group) => links.get(group[0])?.model ?? group[0]), registry, links);
  for (const { id, key } of resold) {
    const group = groups.get(key)!;
    const model = links.get(group[0])?.model ?? preferred(group, registry, established, usage);
    if (links.has(id) || registry.distinct.has(pairKey(id, model)) || !sameVersion(id, model)) continue;
    const host = providerOf(id);
    links.set(id, { alias: id, model, evidence: 'reseller', detail: `${host} lists ${model} under its own name, the vendor's name before it`, route: host });
  }
  return links;
}

/**
 * Names that carry their vendor's name before the model's (`meta-llama/meta-llama-3.1-8b-instruct`,
 * `cohere/cohere-command-r`, a host's `venice/zai-org-glm-4.7`), where the vendor has the model
 * under the rest of the name. Under the vendor itself such an id joins the model's group (a
 * same-name link); under another provider it is returned, to be linked as that provider's route.
 * A vendor word with no such model leaves the id alone.
 */
function regroupVendorWords(groups: Map<string, string[]>): Array<{ id: string; key: string }> {
  const resold: Array<{ id: string; key: string }> = [];
  for (const [key, group] of [...groups]) {
    // The spellings of one name share its key: the group moves as one.
    const provider = providerOf(group[0]);
    const parts = group[0].slice(provider.length + 1).split('-');
    for (const n of [1, 2]) {
      const vendor = parts.length > n ? knownVendor(parts.slice(0, n).join('-')) : undefined;
      if (!vendor) continue;
      const target = nameKey(`${vendor}/${parts.slice(n).join('-')}`);
      if (target === key || !groups.get(target)?.some((other) => providerOf(other) === vendor)) continue;
      groups.delete(key);
      if (vendor === provider) groups.get(target)!.push(...group);
      else resold.push(...group.map((id) => ({ id, key: target })));
      break;
    }
  }
  return resold;
}

function linkSameNames(
  groups: Map<string, string[]>,
  registry: AliasRegistry,
  established: ReadonlySet<string>,
  usage: ReadonlyMap<string, number>,
  links: Map<string, ModelLink>,
): void {
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const model = preferred(group, registry, established, usage);
    for (const id of group) {
      if (id === model || registry.distinct.has(pairKey(id, model))) continue;
      // The key keeps dates, but a version read differently (a 4-digit MMDD) must still agree.
      if (!sameVersion(id, model)) continue;
      const detail = nameKey(id) === nameKey(model) ? 'differ only in punctuation, spacing or word order' : "differ in the vendor's name repeated before the model's";
      links.set(id, { alias: id, model, evidence: 'same-name', detail: `${id} and ${model} ${detail}` });
    }
  }
}

/** Links each host's id to the one vendor's model of that name; with two vendors of one name, nothing. */
function linkResales(models: string[], registry: AliasRegistry, links: Map<string, ModelLink>): void {
  const byName = new Map<string, string[]>();
  for (const id of new Set(models)) {
    const key = nameKey(`/${id.slice(id.indexOf('/') + 1)}`);
    const group = byName.get(key);
    if (group) group.push(id);
    else byName.set(key, [id]);
  }
  // The aliases already linked onto each id (registry, same-name), looked up once instead of a
  // pass over every link per resold id. Reseller links added below point at vendors, never at the
  // host ids this loop moves, so the index stays true.
  const aliasesOf = new Map<string, string[]>();
  for (const [alias, link] of links) {
    const list = aliasesOf.get(link.model);
    if (list) list.push(alias);
    else aliasesOf.set(link.model, [alias]);
  }
  for (const group of byName.values()) {
    if (group.length < 2) continue;
    const vendors = group.filter((id) => !HOSTS.has(providerOf(id)));
    if (vendors.length !== 1) continue;
    const [model] = vendors;
    for (const id of group) {
      if (id === model || registry.distinct.has(pairKey(id, model)) || !sameVersion(id, model)) continue;
      const host = providerOf(id);
      for (const alias of aliasesOf.get(id) ?? []) links.set(alias, { ...links.get(alias)!, model, route: host });
      links.set(id, { alias: id, model, evidence: 'reseller', detail: `${host} lists ${model} under its own name`, route: host });
    }
  }
}

/** Whether two ids carry the same dated version (or none), whatever the date's dashes. */
export function sameVersion(a: string, b: string): boolean {
  return identify(a).version?.replaceAll('-', '') === identify(b).version?.replaceAll('-', '');
}

const providerOf = (id: string): string => id.slice(0, Math.max(0, id.indexOf('/')));
