import { z } from 'zod';
import { FieldNameSchema } from './fields.ts';

export const ClaimValueSchema = z.union([z.number(), z.string(), z.boolean()]);
export type ClaimValue = z.infer<typeof ClaimValueSchema>;

/**
 * One figure as an extractor read it, already normalized to the field's unit.
 * `condition` is '' for the base figure; otherwise it names when the figure holds
 * (e.g. "context>200000", "route:azure", "tier:priority", "cache_ttl:1h").
 */
export const ExtractedClaimSchema = z.object({
  model: z.string().describe('Canonical provider/model id'),
  model_name: z.string().describe('The model name exactly as the source wrote it'),
  field: FieldNameSchema,
  value: ClaimValueSchema,
  unit: z.string().nullable(),
  condition: z.string(),
  locator: z.string().describe('Where on the page: table/row/column, JSON pointer or line'),
  quote: z.string().describe('The exact source text the figure was read from'),
  confidence: z.number().min(0).max(1).describe("The extractor's own certainty in its reading"),
  anomaly: z.string().optional().describe('Why the value failed a sanity bound; such claims never become facts'),
});
export type ExtractedClaim = z.infer<typeof ExtractedClaimSchema>;

/** The id a claim carried before identity linking moved it onto its model, and why it moved. */
export const LinkedFromSchema = z.object({
  model: z.string().describe('The model id the source named'),
  evidence: z.string().describe('registry (aliases.yaml) or same-name (spelling differences only)'),
  detail: z.string(),
});
export type LinkedFrom = z.infer<typeof LinkedFromSchema>;

/** A claim as the ledger keeps it: the extracted figure plus where and when it was seen. */
export const ClaimSchema = ExtractedClaimSchema.extend({
  source_id: z.string(),
  snapshot_hash: z.string(),
  observed_at: z.string().describe('ISO timestamp of the snapshot'),
  linked_from: LinkedFromSchema.optional(),
});
export type Claim = z.infer<typeof ClaimSchema>;

export const ExtractResultSchema = z.object({
  claims: z.array(ExtractedClaimSchema),
  notes: z.array(z.string()).describe('Figures deliberately skipped, and why'),
  drift: z.array(z.string()).describe("Expectations the page did not meet: the page may have changed shape"),
});
export type ExtractResult = z.infer<typeof ExtractResultSchema>;
