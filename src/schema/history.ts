import { z } from 'zod';
import { ClaimValueSchema } from './claim.ts';
import { FactStatusSchema } from './fact.ts';
import { FieldNameSchema } from './fields.ts';

export const PublishedSourceSchema = z.object({ source_id: z.string(), url: z.string(), observed_at: z.string() });

/** One approved value over its interval of validity, as the history table and exports hold it. */
export const PublishedValueSchema = z.object({
  model: z.string(),
  field: FieldNameSchema,
  condition: z.string(),
  value: ClaimValueSchema,
  unit: z.string().nullable(),
  status: FactStatusSchema,
  confidence: z.number(),
  sources: z.array(PublishedSourceSchema),
  valid_from: z.string(),
  valid_to: z.string().nullable(),
  change_id: z.number().int().nullable(),
});
export type PublishedValue = z.infer<typeof PublishedValueSchema>;
