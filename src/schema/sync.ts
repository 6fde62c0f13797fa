import { z } from 'zod';

/**
 * `live-only`: an offline run had nothing to replay for a vendor's page (a first-party source or
 * model card with no shipped or stored capture). Not a failure: a live sync reads it.
 */
export const SourceOutcomeSchema = z.enum(['updated', 'unchanged', 'drift', 'failed', 'backfilled', 'live-only']);
export type SourceOutcome = z.infer<typeof SourceOutcomeSchema>;

/** What one sync made of one source. */
export const SourceReportSchema = z.object({
  source_id: z.string(),
  outcome: SourceOutcomeSchema,
  claims: z.number().int(),
  models: z.number().int(),
  notes: z.array(z.string()),
  problems: z.array(z.string()),
  snapshot: z.string().nullable(),
});
export type SourceReport = z.infer<typeof SourceReportSchema>;

export const SyncSummarySchema = z.object({
  sources: z.array(SourceReportSchema),
  claims: z.number().int(),
  facts: z.number().int(),
  conflicts: z.object({ resolved: z.number().int(), disputed: z.number().int() }),
  anomalies: z.number().int(),
  changes: z.object({ queued: z.number().int(), refreshed: z.number().int(), superseded: z.number().int(), pending: z.number().int() }),
  new_models: z.number().int().describe('Model ids first named by a source that a reviewer has not yet confirmed as new or as an alias'),
  auto_approved: z
    .array(z.object({ rule: z.string(), count: z.number().int() }))
    .optional()
    .describe('Changes a review policy approved after this sync, per rule'),
  reconciled: z
    .enum(['full', 'incremental', 'skipped'])
    .describe("'skipped' when nothing reconcile and diff read had changed since the last sync (no new basis capture, pin, alias, source prior or decision), so the facts and queue stood as they were; 'incremental' when only the keys whose own inputs changed (a source's moved basis, a pin, a decision) were reconciled and diffed again, the rest keeping their facts and pending changes"),
  reconciled_keys: z.number().int().optional().describe("The keys an 'incremental' run reconciled and diffed again"),
  timings: z
    .object({ read_ms: z.number(), reconcile_ms: z.number() })
    .describe("Wall time of the run's two stages: reading (fetch or replay, extract, store) and reconcile-and-queue"),
});
export type SyncSummary = z.infer<typeof SyncSummarySchema>;

/** How far the reconciler trusts a source: its prior, and what agreement with others taught it. */
export const SourceReliabilitySchema = z.object({
  source_id: z.string(),
  kind: z.string(),
  prior: z.number(),
  learned: z.number(),
  claims: z.number().int(),
  agreements: z.number().int(),
  disagreements: z.number().int(),
});
export type SourceReliability = z.infer<typeof SourceReliabilitySchema>;
