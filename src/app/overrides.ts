import { inputError } from '../errors.ts';
import { resolveReviewer } from '../review/decide.ts';
import type { ClaimValue } from '../schema/claim.ts';
import type { Fact } from '../schema/fact.ts';
import { FIELDS, type FieldName } from '../schema/fields.ts';
import { fieldNamed } from './facts.ts';
import { findModel } from './models.ts';
import { reconcileNow } from './sync.ts';
import { aliasesOf, withLedger, type Workspace } from './workspace.ts';

export interface OverrideRequest {
  model: string;
  field: string;
  condition?: string;
  reviewer?: string;
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
    ledger.overrides.pin({ ...key, value: parseFieldValue(key.field, value), reason, reviewer, created_at: at });
  });
}

/** Lifts a pinned value; claims decide the figure again. */
export function liftValue(ws: Workspace, request: OverrideRequest): OverrideResult {
  return onOverride(ws, request, (ledger, key, reviewer, at) => {
    if (!ledger.overrides.lift(key.model, key.field, key.condition, reviewer, at)) {
      throw inputError(`no pinned value for ${key.model} ${key.field}${key.condition ? ` [${key.condition}]` : ''}`);
    }
    ledger.audit.record(reviewer, 'lift-override', `${key.model} ${key.field}`, { condition: key.condition }, at);
  });
}

type Key = { model: string; field: FieldName; condition: string };

function onOverride(
  ws: Workspace,
  request: OverrideRequest,
  act: (ledger: Parameters<Parameters<typeof withLedger>[1]>[0], key: Key, reviewer: string, at: string) => void,
): OverrideResult {
  return withLedger(ws, (ledger) => {
    const key: Key = { model: findModel(ledger, aliasesOf(ws), request.model), field: fieldNamed(request.field)!, condition: request.condition ?? '' };
    act(ledger, key, resolveReviewer(request.reviewer), new Date().toISOString());
    const summary = reconcileNow(ledger, ws);
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
