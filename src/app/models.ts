import { inputError } from '../errors.ts';
import { addAlias, addDistinct, resolveModel, type AliasRegistry } from '../normalize/aliases.ts';
import { canonicalModelId, slugifyModelName } from '../normalize/identity.ts';
import { resolveReviewer } from '../review/decide.ts';
import type { ModelCandidate, ModelRecord } from '../schema/model.ts';
import { editAliasFile } from '../store/alias-file.ts';
import type { Ledger } from '../store/ledger.ts';
import { reconcileNow } from './sync.ts';
import { aliasesOf, withLedger, type Workspace } from './workspace.ts';

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
  throw inputError(`no model named "${name}" in the ledger (try a canonical id such as openai/gpt-5.2-codex, or \`model-ledger models\`)`);
}

function unique(ids: string[], name: string): string | null {
  const distinct = [...new Set(ids)];
  if (distinct.length > 1) throw inputError(`"${name}" names several models: ${distinct.join(', ')}`);
  return distinct[0] ?? null;
}

export type ModelListing = ModelRecord & { aliases: string[]; links: Array<{ id: string; evidence: string; detail: string }> };

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
export function settleAlias(ws: Workspace, request: { name: string; id: string; distinct?: boolean; reviewer?: string }): AliasSettlement {
  const { name, id, distinct = false } = request;
  return withLedger(ws, (ledger) => {
    const reviewer = resolveReviewer(request.reviewer);
    const at = new Date().toISOString();
    const nameId = canonicalModelId(name);
    if (!ledger.models.has(id) && !aliasesOf(ws).ids.has(id)) {
      throw inputError(`no model ${id} in the ledger or the alias registry: name a model a source has stated (see \`model-ledger models\`)`);
    }
    editAliasFile(ws.aliasesFile, (text) => (distinct ? addDistinct(text, nameId, id) : addAlias(text, id, name)));
    ledger.models.decideCandidate(nameId, distinct ? 'new' : 'alias', reviewer, at, distinct ? `not ${id}` : `alias of ${id}`);
    if (!distinct) ledger.models.merge(nameId, id, at);
    ledger.audit.record(reviewer, distinct ? 'distinct' : 'alias', nameId, { name, id }, at);
    // Re-reconcile at once: an alias moves the name's claims onto its model.
    const summary = reconcileNow(ledger, ws);
    return { name, id, relation: distinct ? 'distinct' : 'alias', pending: summary.changes.pending };
  });
}
