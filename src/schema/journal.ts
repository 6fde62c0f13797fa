/**
 * The decisions journal (decisions.ndjson): every reviewer decision, and every sync's reading of
 * its sources, as one JSON line each, in a fixed key order. Committed beside the export, it is what
 * `model-ledger rebuild` replays to recreate a ledger; the SQLite file is only a cache of it.
 */
import { z } from 'zod';
import { ChangeKindSchema } from './change.ts';
import { ClaimValueSchema } from './claim.ts';
import { FieldNameSchema } from './fields.ts';

const Base = { at: z.string().min(1).describe('When it was decided (ISO timestamp)'), by: z.string().min(1).describe('Who decided: a reviewer, or policy:RULE') };

/** A change is named by what it is, never by its id: a rebuilt ledger may number changes differently. */
const ChangeKey = {
  model: z.string().min(1),
  field: FieldNameSchema,
  condition: z.string(),
  kind: ChangeKindSchema,
  old_value: ClaimValueSchema.nullable(),
  new_value: ClaimValueSchema.nullable(),
  evidence_key: z.string(),
};

export const SyncReadSchema = z
  .object({
    source: z.string().min(1),
    read: z.enum(['snapshot', 'unchanged', 'failed']),
    sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
    observed_at: z.string().optional(),
    origin: z.enum(['fetch', 'replay', 'ingest']).optional(),
    error: z.string().optional(),
  })
  .strict()
  .refine((r) => r.read !== 'snapshot' || (r.sha256 && r.observed_at), { message: 'a snapshot read names its sha256 and observed_at' });
export type SyncRead = z.infer<typeof SyncReadSchema>;

/**
 * The capture limits a sync was run with, when not the defaults: they decide whether a capture is
 * drift (too large, too many new models, shrunk), so a rebuild replays the sync with them.
 */
export const SyncLimitsSchema = z
  .object({
    max_claims: z.number().int().min(1).optional(),
    max_new_models: z.number().int().min(1).optional(),
    min_yield_pct: z.number().int().min(0).max(100).optional(),
  })
  .strict();
export type SyncLimits = z.infer<typeof SyncLimitsSchema>;

/** Each journalled limit's name among the pipeline's CaptureLimits. */
export const LIMIT_NAMES = { max_claims: 'maxClaims', max_new_models: 'maxNewModels', min_yield_pct: 'minYieldPct' } as const;

export const JournalEntrySchema = z.discriminatedUnion('action', [
  z.object({ ...Base, action: z.literal('approve'), rule: z.string().optional(), ...ChangeKey, note: z.string().nullable().optional() }).strict(),
  z.object({ ...Base, action: z.literal('reject'), ...ChangeKey, reason: z.string().min(1) }).strict(),
  z.object({ ...Base, action: z.literal('pin'), model: z.string().min(1), field: FieldNameSchema, condition: z.string(), value: ClaimValueSchema, reason: z.string().min(1) }).strict(),
  z.object({ ...Base, action: z.literal('lift'), model: z.string().min(1), field: FieldNameSchema, condition: z.string() }).strict(),
  z.object({ ...Base, action: z.literal('alias'), name: z.string().min(1), id: z.string().min(1) }).strict(),
  z.object({ ...Base, action: z.literal('distinct'), name: z.string().min(1), id: z.string().min(1) }).strict(),
  z.object({ ...Base, action: z.literal('sync'), limits: SyncLimitsSchema.optional(), reads: z.array(SyncReadSchema) }).strict(),
]);
export type JournalEntry = z.infer<typeof JournalEntrySchema>;
export type JournalAction = JournalEntry['action'];

/** The one key order every line is written in: when, who, what, then the details. */
const KEY_ORDER = ['at', 'by', 'action', 'rule', 'model', 'field', 'condition', 'kind', 'old_value', 'new_value', 'evidence_key', 'value', 'note', 'reason', 'name', 'id', 'limits', 'reads'];
const READ_ORDER = ['source', 'read', 'sha256', 'observed_at', 'origin', 'error'];

function ordered(o: Record<string, unknown>, order: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of order) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

/**
 * One entry as its line (no newline): keys in a fixed order, so lines sort by time then
 * reviewer, and the same decision always writes the same bytes.
 */
export function journalLine(entry: JournalEntry): string {
  const o = ordered(entry as Record<string, unknown>, KEY_ORDER);
  if (entry.action === 'sync') o.reads = entry.reads.map((r) => ordered(r as Record<string, unknown>, READ_ORDER));
  return JSON.stringify(o);
}
