/**
 * The alias registry (aliases.yaml, edited by reviewers) and model-name resolution against it.
 * A name resolves to a known id exactly, through a registered alias, or not at all: then it is
 * a new model candidate, and look-alike known ids are PROPOSED as likely aliases, never merged.
 */
import { createRequire } from 'node:module';
import type { Document } from 'yaml';
import { z } from 'zod';
import { canonicalModelId } from './identity.ts';
import { nameKey, preferred, sameVersion } from './links.ts';
import { inputError } from '../errors.ts';

/**
 * yaml, required when a registry is first parsed or edited: a command reads the parsed registry
 * from the ledger's cache while the file is unchanged, and need not load the parser (~30 ms).
 */
const yaml = (): typeof import('yaml') => createRequire(import.meta.url)('yaml');

const CANONICAL_ID = /^[a-z0-9][a-z0-9.-]*\/[a-z0-9][a-z0-9.:-]*$/;

const RegistryFileSchema = z
  .object({
    models: z.record(z.string().regex(CANONICAL_ID, 'a canonical id is provider/model in lower case'), z.array(z.string().min(1))).default({}),
    distinct: z.array(z.tuple([z.string(), z.string()])).default([]),
  })
  .strict();

export interface AliasRegistry {
  /** canonical id of an alias name -> the id it names */
  byAlias: Map<string, string>;
  /** ids the registry lists */
  ids: Set<string>;
  /** pairs ("a\nb", a < b) a reviewer declared different models */
  distinct: Set<string>;
}

export function emptyRegistry(): AliasRegistry {
  return { byAlias: new Map(), ids: new Set(), distinct: new Set() };
}

export function parseAliasRegistry(text: string, where = 'aliases.yaml'): AliasRegistry {
  let raw: unknown;
  try {
    raw = yaml().parse(text) ?? {};
  } catch (err) {
    const line = err instanceof yaml().YAMLParseError && err.linePos ? ` (line ${err.linePos[0].line})` : '';
    throw inputError(`${where} is not valid YAML${line}: ${(err as Error).message.split('\n')[0]}`);
  }
  const parsed = RegistryFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw inputError(`${where}: ${issue.path.join('.') || 'top level'}: ${issue.message}`);
  }
  const registry = emptyRegistry();
  for (const id of Object.keys(parsed.data.models)) registry.ids.add(id);
  for (const [id, aliases] of Object.entries(parsed.data.models)) {
    for (const alias of aliases) {
      const key = canonicalModelId(alias);
      if (key === id) continue; // already canonicalizes to its id
      const other = registry.byAlias.get(key);
      if (other && other !== id) throw inputError(`${where}: "${alias}" is listed for both ${other} and ${id}`);
      if (registry.ids.has(key)) throw inputError(`${where}: "${alias}" (${key}) is itself a listed model, so it cannot also be an alias of ${id}`);
      registry.byAlias.set(key, id);
    }
  }
  for (const [a, b] of parsed.data.distinct) registry.distinct.add(pairKey(a, b));
  return registry;
}

export interface ModelCandidate {
  id: string;
  /** 0..1, higher is more alike */
  score: number;
  reason: string;
}

export interface ModelResolution {
  id: string;
  match: 'exact' | 'alias' | 'new';
  /** For a new name: known ids it may be an alias of, best first, for a reviewer to accept or reject. */
  candidates: ModelCandidate[];
}

/** Below this score a look-alike is not worth a reviewer's time. */
const MIN_CANDIDATE_SCORE = 0.75;
const MAX_CANDIDATES = 5;

export function resolveModel(
  name: string,
  registry: AliasRegistry,
  knownIds: Iterable<string>,
  options: { defaultProvider?: string } = {},
): ModelResolution {
  const id = canonicalModelId(name, options.defaultProvider);
  const aliased = registry.byAlias.get(id);
  if (aliased) return { id: aliased, match: 'alias', candidates: [] };
  const known = new Set(knownIds);
  if (known.has(id) || registry.ids.has(id)) return { id, match: 'exact', candidates: [] };
  for (const r of registry.ids) known.add(r);
  const key = nameKey(id);
  const sameName = [...known].filter((k) => nameKey(k) === key && sameVersion(k, id));
  if (sameName.length > 0) return { id: preferred(sameName, registry), match: 'alias', candidates: [] };
  return { id, match: 'new', candidates: proposeAliases(id, known, registry) };
}

/** Known ids that look like `id`, with why: the reviewer decides whether any is the same model. */
export function proposeAliases(id: string, knownIds: Iterable<string>, registry: AliasRegistry = emptyRegistry()): ModelCandidate[] {
  const candidates: ModelCandidate[] = [];
  for (const other of knownIds) {
    if (other === id || registry.distinct.has(pairKey(id, other))) continue;
    const candidate = likeness(id, other);
    if (candidate && candidate.score >= MIN_CANDIDATE_SCORE) candidates.push(candidate);
  }
  return candidates
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1))
    .slice(0, MAX_CANDIDATES);
}

/**
 * Known ids grouped by the key `likeness` compares (the model's name without its provider), so a
 * new id is compared only with the ids it can look like: proposing for each of n new names costs
 * a map look-up and a walk of its own small group, not a pass over every id that shares a word
 * (quadratic when a page lists thousands of names under one leading word).
 */
export class LikenessIndex {
  /** model-name key -> the ids with that key, sorted (the order proposals are listed in). */
  private readonly groups = new Map<string, string[]>();

  add(id: string): void {
    const key = modelKey(id);
    const group = this.groups.get(key);
    if (!group) {
      this.groups.set(key, [id]);
      return;
    }
    let lo = 0;
    let hi = group.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (group[mid] < id) lo = mid + 1;
      else hi = mid;
    }
    if (group[lo] !== id) group.splice(lo, 0, id);
  }

  /** What proposeAliases(id, every added id, registry) proposes. */
  propose(id: string, registry: AliasRegistry = emptyRegistry()): ModelCandidate[] {
    const candidates: ModelCandidate[] = [];
    // Every look-alike in a group scores alike, so the group's sorted order is the proposals' order:
    // stop at MAX_CANDIDATES rather than rank the whole group.
    for (const other of this.groups.get(modelKey(id)) ?? []) {
      if (other === id || registry.distinct.has(pairKey(id, other))) continue;
      const candidate = likeness(id, other);
      if (candidate && candidate.score >= MIN_CANDIDATE_SCORE) candidates.push(candidate);
      if (candidates.length === MAX_CANDIDATES) break;
    }
    return candidates.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
  }
}

/** The key two ids' model names share when `likeness` may find them alike. */
const modelKey = (id: string): string => nameKey(`/${splitId(id)[1]}`);

/**
 * Whether `other` may be the model `id` names, and why: the same name under two providers that
 * links.ts could not settle. Null when it certainly is (the same name spelled otherwise, or a
 * host's listing of one vendor's model: linked automatically) or certainly is not (under one
 * provider, any word, size or version the other lacks makes another model: a dated snapshot, a
 * `-001` revision, a `-preview` or a `-latest` pointer is a version of its family, not an alias).
 */
function likeness(id: string, other: string): ModelCandidate | null {
  const [provider] = splitId(id);
  const [otherProvider] = splitId(other);
  if (provider !== otherProvider) {
    return modelKey(id) === modelKey(other) ? { id: other, score: 0.9, reason: `same model name under provider ${otherProvider}` } : null;
  }
  return null;
}

function splitId(id: string): [string, string] {
  const slash = id.indexOf('/');
  return slash < 0 ? ['', id] : [id.slice(0, slash), id.slice(slash + 1)];
}

/** Levenshtein distance, two rows. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let row = new Array<number>(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    [prev, row] = [row, prev];
  }
  return prev[b.length];
}

export function pairKey(a: string, b: string): string {
  return a < b ? `${a}\n${b}` : `${b}\n${a}`;
}

/**
 * The registry text with `alias` added under `id` (comments and order kept): what accepting a
 * proposed alias writes back to aliases.yaml.
 */
export function addAlias(text: string, id: string, alias: string): string {
  if (!CANONICAL_ID.test(id)) throw inputError(`"${id}" is not a canonical id (provider/model in lower case)`);
  const doc = yaml().parseDocument(text);
  const existing = doc.getIn(['models', id]);
  if (existing === undefined) doc.setIn(['models', id], doc.createNode([alias]));
  else if (!(doc.getIn(['models', id]) as { items: Array<{ value: unknown }> }).items.some((i) => i.value === alias)) {
    doc.addIn(['models', id], alias);
  }
  const out = render(doc);
  parseAliasRegistry(out); // refuse to write a registry that would not load
  return out;
}

/** The registry text with (a, b) recorded as different models: what rejecting a proposal writes. */
export function addDistinct(text: string, a: string, b: string): string {
  const doc = yaml().parseDocument(text);
  const pairs = (doc.get('distinct') as { items: Array<{ toJSON(): unknown }> } | undefined)?.items ?? [];
  if (pairs.some((p) => pairKey(...(p.toJSON() as [string, string])) === pairKey(a, b))) return text;
  const pair = doc.createNode([a, b]);
  pair.flow = true;
  if (doc.get('distinct') === undefined) doc.set('distinct', doc.createNode([]));
  doc.addIn(['distinct'], pair);
  return render(doc);
}

/** The document in the reviewers' own style (`[a, b]`, not yaml's `[ a, b ]`), so untouched lines stay byte-identical. */
function render(doc: Document): string {
  return doc.toString({ flowCollectionPadding: false });
}

/**
 * The registry text without `alias` under `id` (the id's entry goes when it lists nothing else):
 * how a rebuild finds the registry as it stood before a journal's alias decisions.
 */
export function removeAlias(text: string, id: string, alias: string): string {
  const doc = yaml().parseDocument(text);
  const list = doc.getIn(['models', id]) as { items: Array<{ value: unknown }> } | undefined;
  if (!list?.items) return text;
  const index = list.items.findIndex((i) => i.value === alias);
  if (index < 0) return text;
  list.items.splice(index, 1);
  if (list.items.length === 0) doc.deleteIn(['models', id]);
  return render(doc);
}

/** The registry text without the pair (a, b) among its distinct models. */
export function removeDistinct(text: string, a: string, b: string): string {
  const doc = yaml().parseDocument(text);
  const pairs = (doc.get('distinct') as { items: Array<{ toJSON(): unknown }> } | undefined)?.items;
  if (!pairs) return text;
  const index = pairs.findIndex((p) => pairKey(...(p.toJSON() as [string, string])) === pairKey(a, b));
  if (index < 0) return text;
  pairs.splice(index, 1);
  return render(doc);
}
