import { inputError } from '../errors.ts';
import { resolveReviewer } from '../review/decide.ts';
import type { ClaimValue } from '../schema/claim.ts';
import type { Fact } from '../schema/fact.ts';
import { FIELDS, type FieldName } from '../schema/fields.ts';
import { fieldNamed } from './facts.ts';
import { findModel } from './models.ts';
import { reconcileNow } from './sync.ts';
import { aliasesOf, journalOf, withLedger, type Workspace } from './workspace.ts';

export interface OverrideRequest {
  model: string;
  field: string;
  condition?: string;
  reviewer?: string;
  /** When (default now); a rebuild replays a journal's own times. */
  at?: string;
}

export interface OverrideResult {
  fact: Fact | null;
  pending: number;
}

/** Pins a value (status `overridden`) until a reviewer lifts it; the pin shows at once as a change to review. */
export function pinValue(ws: Workspace, request: OverrideRequest & { value: string | undefined; reason?: string }): OverrideResult {
  if (request.value === undefined) throw inputError('name the value to pin, or use --lift');
  if (!request.reason) throw inputError('pinning a value needs a reason (--reason TEXT)');
  const { value, reason } = request;
  return onOverride(ws, request, (ledger, key, reviewer, at) => {
    const pinned = parseFieldValue(key.field, value);
    ledger.overrides.pin({ ...key, value: pinned, reason, reviewer, created_at: at });
    journalOf(ws, ledger)?.append([{ at, by: reviewer, action: 'pin', ...key, value: pinned, reason }]);
  });
}

/** Lifts a pinned value; claims decide the figure again. */
export function liftValue(ws: Workspace, request: OverrideRequest): OverrideResult {
  return onOverride(ws, request, (ledger, key, reviewer, at) => {
    if (!ledger.overrides.lift(key.model, key.field, key.condition, reviewer, at)) {
      throw inputError(`no pinned value for ${key.model} ${key.field}${key.condition ? ` [${key.condition}]` : ''}`);
    }
    ledger.audit.record(reviewer, 'lift-override', `${key.model} ${key.field}`, { condition: key.condition }, at);
    journalOf(ws, ledger)?.append([{ at, by: reviewer, action: 'lift', ...key }]);
  });
}

type Key = { model: string; field: FieldName; condition: string };

function onOverride(
  ws: Workspace,
  request: OverrideRequest,
  act: (ledger: Parameters<Parameters<typeof withLedger>[1]>[0], key: Key, reviewer: string, at: string) => void,
): OverrideResult {
  return withLedger(ws, (ledger) => {
    const key: Key = { model: findModel(ledger, aliasesOf(ws, ledger), request.model), field: fieldNamed(request.field)!, condition: request.condition ?? '' };
    const at = request.at ?? new Date().toISOString();
    act(ledger, key, resolveReviewer(request.reviewer), at);
    // Reconciled as of the pin's own time, so a rebuild replaying it dates the pinned value the same.
    const summary = reconcileNow(ledger, ws, at);
    const fact = ledger.facts.list({ model: key.model, field: key.field }).find((f) => f.condition === key.condition) ?? null;
    return { fact, pending: summary.changes.pending };
  });
}

/** A value typed for a field, in the field's kind: true/false for flags, a non-negative number for figures. */
export function parseFieldValue(field: FieldName, text: string): ClaimValue {
  const kind = FIELDS[field].kind;
  if (kind === 'boolean') {
    if (!/^(true|false)$/i.test(text)) throw inputError(`${field} takes true or false, not "${text}"`);
    return text.toLowerCase() === 'true';
  }
  if (kind === 'tokens' || kind === 'usd_per_mtok' || kind === 'count') {
    const n = Number(text.replaceAll(',', ''));
    if (!Number.isFinite(n) || n < 0) throw inputError(`${field} takes a non-negative number, not "${text}"`);
    return n;
  }
  return text;
}
