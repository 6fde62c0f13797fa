import { inputError } from '../errors.ts';
import { addAlias, addDistinct, pairKey, resolveModel, type AliasRegistry } from '../normalize/aliases.ts';
import { canonicalModelId, slugifyModelName } from '../normalize/identity.ts';
import { closestNames } from '../normalize/suggest.ts';
import { resolveReviewer } from '../review/decide.ts';
import type { ModelCandidate, ModelRecord } from '../schema/model.ts';
import { editAliasFile, loadAliasRegistry } from '../store/alias-file.ts';
import type { Ledger } from '../store/ledger.ts';
import { reconcileNow } from './sync.ts';
import type { Journal } from '../store/journal.ts';
import { aliasesOf, journalOf, withLedger, type Workspace } from './workspace.ts';

/**
 * The model a user-typed name means: an id or a name some source printed, else the name
 * canonicalized the way claims are ("Claude Sonnet 4.5" -> anthropic/claude-sonnet-4.5), else
 * typed without its provider ("qwen3.5-9b"); each mapped through the alias registry.
 */
export function findModel(ledger: Ledger, registry: AliasRegistry, name: string): string {
  const mapped = (id: string) => registry.byAlias.get(id) ?? id;
  const named = unique(ledger.models.find(name).map(mapped), name);
  if (named) return named;
  const { id } = resolveModel(name, registry, []);
  if (ledger.models.has(id)) return id;
  const bare = unique(ledger.models.idsEndingWith(slugifyModelName(name)).map(mapped), name);
  if (bare) return bare;
  // Typed with a provider, a near-miss is sought among ids; typed bare, among the model parts too.
  const ids = ledger.models.list().map((m) => m.id);
  const byPart = new Map(ids.map((id) => [id.slice(id.indexOf('/') + 1), id]));
  const close = name.includes('/') ? closestNames(name, ids) : closestNames(name, byPart.keys()).map((part) => byPart.get(part)!);
  const hint = close.length ? `; did you mean ${close.join(' or ')}?` : ' (see `model-ledger models`)';
  throw inputError(`no model named "${name}" in the ledger${hint}`);
}

function unique(ids: string[], name: string): string | null {
  const distinct = [...new Set(ids)];
  if (distinct.length > 1) throw inputError(`"${name}" names several models: ${distinct.join(', ')}`);
  return distinct[0] ?? null;
}

export type ModelListing = ModelRecord & { aliases: string[]; links: Array<{ id: string; evidence: string; detail: string; route?: string }> };

export function listModels(ws: Workspace): ModelListing[] {
  return withLedger(ws, (ledger) => ledger.models.list().map((m) => ({ ...m, aliases: ledger.models.aliasesOf(m.id), links: ledger.models.linksOf(m.id) })));
}

/** New-model candidates awaiting review, with the known models each may be an alias of. */
export function pendingCandidates(ws: Workspace): ModelCandidate[] {
  return withLedger(ws, (ledger) => ledger.models.candidates('pending'));
}

export interface AliasSettlement {
  name: string;
  id: string;
  relation: 'alias' | 'distinct';
  pending: number;
}

/**
 * Settles a candidate: NAME is another name of model ID (written to the alias registry and
 * applied at once), or with `distinct` a different model, recorded so the pair is never proposed again.
 */
export function settleAlias(ws: Workspace, request: { name: string; id: string; distinct?: boolean; reviewer?: string; at?: string }): AliasSettlement {
  const { name, id, distinct = false } = request;
  return withLedger(ws, (ledger) => {
    const registry = aliasesOf(ws, ledger);
    const target = registry.byAlias.get(id);
    if (target !== undefined && target !== id) throw inputError(`${id} is itself another name of ${target}: alias ${name} to ${target}`);
    if (!ledger.models.has(id) && !registry.ids.has(id)) {
      throw inputError(`no model ${id} in the ledger or the alias registry: name a model a source has stated (see \`model-ledger models\`)`);
    }
    const decision = { name, nameId: canonicalModelId(name), id, distinct };
    const refused = refusal(ledger, decision);
    if (refused) throw inputError(refused);
    const at = request.at ?? new Date().toISOString();
    editAliasFile(ws.aliasesFile, (text) => {
      const edited = registryWith(text, decision);
      // Recorded before the registry is written: a decision the journal refuses leaves the registry as it was.
      record(ledger, decision, resolveReviewer(request.reviewer), at, journalOf(ws, ledger));
      return edited;
    });
    // Re-reconcile at once: an alias moves the name's claims onto its model.
    const summary = reconcileNow(ledger, ws, at);
    return { name, id, relation: distinct ? 'distinct' : 'alias', pending: summary.changes.pending };
  });
}

export interface BulkSettlement {
  settled: Array<Omit<AliasSettlement, 'pending'>>;
  /** Candidates the registry refused (an alias of an alias, say), with why. */
  skipped: Array<{ name: string; id: string; reason: string }>;
  pending: number;
}

/**
 * Settles many candidates at once by their best proposal: all of a provider's, or all whose
 * evidence says `evidence` ("same model name"), as aliases or (`distinct`) as models of their own.
 */
export function settleCandidates(ws: Workspace, request: { provider?: string; evidence?: string; distinct?: boolean; reviewer?: string }): BulkSettlement {
  const distinct = request.distinct ?? false;
  return withLedger(ws, (ledger) => {
    const chosen = ledger.models
      .candidates('pending')
      .filter((c) => c.proposals.length > 0)
      .filter((c) => !request.provider || c.model_id.startsWith(`${request.provider}/`))
      .filter((c) => !request.evidence || c.proposals[0].reason.includes(request.evidence));
    if (chosen.length === 0) throw inputError(`no pending candidates${request.provider ? ` of ${request.provider}` : ''}${request.evidence ? ` whose evidence says "${request.evidence}"` : ''} (see \`model-ledger models --new\`)`);
    const reviewer = resolveReviewer(request.reviewer);
    const at = new Date().toISOString();
    const result: BulkSettlement = { settled: [], skipped: [], pending: 0 };
    editAliasFile(ws.aliasesFile, (text) => {
      for (const c of chosen) {
        const decision = { name: c.model_id, nameId: c.model_id, id: c.proposals[0].id, distinct };
        const refused = refusal(ledger, decision);
        if (refused) {
          result.skipped.push({ name: c.model_id, id: decision.id, reason: refused });
          continue;
        }
        try {
          text = registryWith(text, decision);
        } catch (e) {
          result.skipped.push({ name: c.model_id, id: decision.id, reason: (e as Error).message });
          continue;
        }
        record(ledger, decision, reviewer, at, journalOf(ws, ledger));
        result.settled.push({ name: c.model_id, id: decision.id, relation: distinct ? 'distinct' : 'alias' });
      }
      return text;
    });
    result.pending = reconcileNow(ledger, ws, at).changes.pending;
    return result;
  });
}

/**
 * Applies alias decisions as a rebuild replays them from the journal: written to the registry file,
 * recorded, and reconciled once, as the command that made them did.
 */
export function replayAliasDecisions(ledger: Ledger, ws: Workspace, decisions: Array<{ name: string; id: string; distinct: boolean }>, reviewer: string, at: string): void {
  editAliasFile(ws.aliasesFile, (text) => {
    for (const d of decisions) {
      const decision = { ...d, nameId: canonicalModelId(d.name) };
      text = registryWith(text, decision);
      record(ledger, decision, reviewer, at, undefined);
    }
    return text;
  });
  reconcileNow(ledger, ws, at);
}

/**
 * Writes into the registry file the journal's alias decisions it lacks (a registry restored from
 * an older copy, a fresh checkout), so that the next sync reconciles with what a rebuild replayed.
 * Returns those it wrote; decisions the file already holds leave it untouched.
 */
export function restoreAliasDecisions(file: string, decisions: Array<{ name: string; id: string; distinct: boolean }>): Array<{ name: string; id: string; distinct: boolean }> {
  const held = loadAliasRegistry(file);
  const missing = decisions.filter((d) => {
    const nameId = canonicalModelId(d.name);
    if (d.distinct) return !held.distinct.has(pairKey(nameId, d.id));
    return nameId !== d.id && held.byAlias.get(nameId) !== d.id;
  });
  if (missing.length) editAliasFile(file, (text) => missing.reduce((t, d) => registryWith(t, { ...d, nameId: canonicalModelId(d.name) }), text));
  return missing;
}

interface Decision {
  name: string;
  nameId: string;
  id: string;
  distinct: boolean;
}

/**
 * Why a decision cannot be taken, or null. A name is not its own alias nor distinct from itself;
 * and a model with a pinned value is not folded into another: every lookup of its id then resolves
 * to the other, so the pin could never be lifted while its value stayed published under the old id.
 */
function refusal(ledger: Ledger, d: Decision): string | null {
  if (d.nameId === d.id) return `${d.name} is ${d.id} itself: name another model`;
  if (d.distinct) return null;
  const pinned = ledger.overrides.active().filter((o) => o.model === d.nameId);
  if (pinned.length === 0) return null;
  const fields = pinned.map((o) => o.field + (o.condition ? ` [${o.condition}]` : ''));
  return `${d.nameId} has pinned values (${fields.join(', ')}): lift them first (\`model-ledger override ${d.nameId} FIELD --lift\`), then alias it`;
}

function registryWith(text: string, d: Decision): string {
  return d.distinct ? addDistinct(text, d.nameId, d.id) : addAlias(text, d.id, d.name);
}

function record(ledger: Ledger, d: Decision, reviewer: string, at: string, journal: Journal | undefined): void {
  journal?.append([{ at, by: reviewer, action: d.distinct ? 'distinct' : 'alias', name: d.name, id: d.id }]);
  ledger.models.decideCandidate(d.nameId, d.distinct ? 'new' : 'alias', reviewer, at, d.distinct ? `not ${d.id}` : `alias of ${d.id}`);
  if (!d.distinct) ledger.models.merge(d.nameId, d.id, at);
  ledger.audit.record(reviewer, d.distinct ? 'distinct' : 'alias', d.nameId, { name: d.name, id: d.id }, at);
}
