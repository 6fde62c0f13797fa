import { inputError } from '../errors.ts';
import { resolveReviewer } from '../review/decide.ts';
import type { ClaimValue } from '../schema/claim.ts';
import type { Fact } from '../schema/fact.ts';
import { FIELDS, type FieldName } from '../schema/fields.ts';
import { parseDate } from '../normalize/dates.ts';
import { canonicalCondition, parseCondition } from '../schema/condition.ts';
import type { Ledger } from '../store/ledger.ts';
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
  if (!request.reason?.trim()) throw inputError('pinning a value needs a reason (--reason TEXT)');
  const { value, reason } = request;
  return onOverride(ws, request, (ledger, key, reviewer, at) => {
    const pinned = parseFieldValue(key.field, value);
    checkCondition(ledger, key);
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

/** A pin's condition: canonical, and either in the condition grammar or one the model's figures already carry. */
function checkCondition(ledger: Ledger, key: Key): void {
  if (!key.condition) return;
  const canonical = canonicalCondition(key.condition);
  if (canonical !== key.condition) throw inputError(`condition "${key.condition}" is written "${canonical}" (parts trimmed, sorted and joined by ";")`);
  if (parseCondition(key.condition).every((part) => part.kind !== 'other')) return;
  if (ledger.facts.list({ model: key.model, field: key.field }).some((f) => f.condition === key.condition)) return;
  throw inputError(
    `condition "${key.condition}" is none of context>N, tier:NAME, route:NAME, cache_ttl:DURATION, from:YYYY-MM-DD, and no figure of ${key.model} ${key.field} carries it`,
  );
}

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

/** A decimal as people type one: "1.25", "400000", "1,047,576"; not "", "0x10" or "1e6". */
const DECIMAL = /^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$/;

/**
 * A value typed for a field, in the field's kind: true/false for flags, a number within the field's
 * bounds (a whole one for token and parameter counts), a real calendar date, a non-empty text. A pin
 * is published as it is, so it is held to what any source's figure is held to.
 */
export function parseFieldValue(field: FieldName, text: string): ClaimValue {
  const spec = FIELDS[field];
  const typed = text.trim();
  if (spec.kind === 'boolean') {
    if (!/^(true|false)$/i.test(typed)) throw inputError(`${field} takes true or false, not "${text}"`);
    return typed.toLowerCase() === 'true';
  }
  if (spec.kind === 'tokens' || spec.kind === 'usd_per_mtok' || spec.kind === 'count') {
    const whole = spec.kind !== 'usd_per_mtok';
    const bounds = spec.min !== undefined && spec.max !== undefined ? ` from ${spec.min} to ${spec.max}` : '';
    const wanted = `${field} takes ${whole ? 'a whole number' : 'a decimal number'}${bounds}${whole ? '' : ' (USD per 1M tokens)'}`;
    const n = DECIMAL.test(typed) ? Number(typed.replaceAll(',', '')) : NaN;
    if (!Number.isFinite(n) || (whole && !Number.isInteger(n))) throw inputError(`${wanted}, not "${text}"`);
    if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) {
      throw inputError(`${wanted}: "${text}" is outside what the ledger takes from any source`);
    }
    return n;
  }
  if (spec.kind === 'date') {
    const date = parseDate(typed);
    if (!date) throw inputError(`${field} takes a calendar date (YYYY-MM-DD or YYYY-MM), not "${text}"`);
    return date;
  }
  if (!typed) throw inputError(`${field} takes a text, not an empty one`);
  return typed;
}
