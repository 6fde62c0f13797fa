import { z } from 'zod';

/** A model the ledger knows. */
export const ModelRecordSchema = z.object({
  id: z.string(),
  name: z.string(),
  provider: z.string(),
  family: z.string(),
  version: z.string().nullable(),
});
export type ModelRecord = z.infer<typeof ModelRecordSchema>;

export const AliasProposalSchema = z.object({ id: z.string(), score: z.number(), reason: z.string() });
export type AliasProposal = z.infer<typeof AliasProposalSchema>;

/** A model id a source named for the first time, awaiting a reviewer's word. */
export const ModelCandidateSchema = z.object({
  model_id: z.string(),
  name: z.string(),
  source_id: z.string(),
  first_seen: z.string(),
  proposals: z.array(AliasProposalSchema),
  status: z.enum(['pending', 'new', 'alias', 'distinct']),
  decided_by: z.string().nullable(),
  decided_at: z.string().nullable(),
  decision: z.string().nullable(),
});
export type ModelCandidate = z.infer<typeof ModelCandidateSchema>;

/** One entry of the append-only audit log. */
export const AuditEntrySchema = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  subject: z.string().nullable(),
  detail: z.record(z.unknown()),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;
