import { z } from 'zod';
import { ClaimValueSchema } from './claim.ts';
import { FactSchema } from './fact.ts';
import { FieldNameSchema } from './fields.ts';

export const ChangeKindSchema = z.enum(['added', 'changed', 'removed']);
export type ChangeKind = z.infer<typeof ChangeKindSchema>;
export const ChangeStatusSchema = z.enum(['pending', 'approved', 'rejected', 'superseded']);
export type ChangeStatus = z.infer<typeof ChangeStatusSchema>;

/** A field-level difference between the reconciled facts and the approved dataset. */
export const ProposedChangeSchema = z.object({
  model: z.string(),
  field: FieldNameSchema,
  condition: z.string(),
  kind: ChangeKindSchema,
  old_value: ClaimValueSchema.nullable(),
  new_value: ClaimValueSchema.nullable(),
  observed_at: z.string().describe('When the evidence for the new value was observed; becomes valid_from'),
  evidence_key: z.string().describe('Fingerprint of the evidence; a rejected change returns only when it changes'),
  fact: FactSchema.nullable(),
});
export type ProposedChange = z.infer<typeof ProposedChangeSchema>;

export const ChangeSchema = ProposedChangeSchema.extend({
  id: z.number().int(),
  status: ChangeStatusSchema,
  created_at: z.string(),
  reviewer: z.string().nullable(),
  reviewed_at: z.string().nullable(),
  note: z.string().nullable(),
});
export type Change = z.infer<typeof ChangeSchema>;

/** One approved value over a time interval; valid_to null means it still holds. */
export const HistoryIntervalSchema = z.object({
  model: z.string(),
  field: FieldNameSchema,
  condition: z.string(),
  value: ClaimValueSchema,
  valid_from: z.string(),
  valid_to: z.string().nullable(),
  change_id: z.number().int().nullable(),
});
export type HistoryInterval = z.infer<typeof HistoryIntervalSchema>;
