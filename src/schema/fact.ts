import { z } from 'zod';
import { ClaimValueSchema, LinkedFromSchema } from './claim.ts';
import { FieldNameSchema } from './fields.ts';

export const FACT_STATUSES = ['agreed', 'resolved', 'disputed', 'overridden'] as const;
export const FactStatusSchema = z.enum(FACT_STATUSES);
export type FactStatus = z.infer<typeof FactStatusSchema>;

export const EvidenceClaimSchema = z.object({
  source_id: z.string(),
  source_kind: z.string(),
  value: ClaimValueSchema,
  snapshot_hash: z.string(),
  locator: z.string(),
  quote: z.string(),
  observed_at: z.string(),
  weight: z.number().describe('How much this claim counted in the vote'),
  supports: z.boolean().describe('Whether the claim agrees with the chosen value'),
  linked_from: LinkedFromSchema.optional().describe('Set when the source named the model by another id'),
});
export type EvidenceClaim = z.infer<typeof EvidenceClaimSchema>;

export const FactSchema = z.object({
  model: z.string(),
  field: FieldNameSchema,
  condition: z.string(),
  value: ClaimValueSchema,
  status: FactStatusSchema,
  confidence: z.number().min(0).max(1),
  rule: z.string().describe('The rule that decided: unanimous, source-kind, weighted-vote, override, ...'),
  explanation: z.string().describe('Why the winner won, in plain words'),
  claims: z.array(EvidenceClaimSchema),
});
export type Fact = z.infer<typeof FactSchema>;

export const OverrideSchema = z.object({
  model: z.string(),
  field: FieldNameSchema,
  condition: z.string().default(''),
  value: ClaimValueSchema,
  reason: z.string().min(1),
  reviewer: z.string(),
  created_at: z.string(),
});
export type Override = z.infer<typeof OverrideSchema>;
