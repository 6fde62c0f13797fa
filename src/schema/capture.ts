import { z } from 'zod';

/** One read of a source and what came of it. */
export const CaptureSchema = z.object({
  id: z.number().int(),
  source_id: z.string(),
  sha256: z.string(),
  url: z.string(),
  format: z.string(),
  observed_at: z.string(),
  origin: z.enum(['fetch', 'replay', 'ingest']),
  outcome: z.enum(['extracted', 'drift', 'unchanged']),
  claim_count: z.number().int(),
  notes: z.array(z.string()),
  drift: z.array(z.string()),
});
export type Capture = z.infer<typeof CaptureSchema>;

/** A source's basis (its last good capture) and fetch bookkeeping. */
export const SourceStateSchema = z.object({
  source_id: z.string(),
  current_capture_id: z.number().int().nullable(),
  etag: z.string().nullable(),
  last_modified: z.string().nullable(),
  last_attempt_at: z.string().nullable(),
  last_success_at: z.string().nullable(),
  last_failure_at: z.string().nullable(),
  last_error: z.string().nullable(),
  consecutive_failures: z.number().int(),
});
export type SourceState = z.infer<typeof SourceStateSchema>;

/** What the previous successful fetch of a source left behind: enough for a conditional request. */
export const FetchStateSchema = z.object({
  etag: z.string().nullable(),
  last_modified: z.string().nullable(),
  sha256: z.string().nullable(),
});
export type FetchState = z.infer<typeof FetchStateSchema>;

/** One line of a source's fetch log. */
export const FetchLogEntrySchema = z.object({
  id: z.number().int(),
  source_id: z.string(),
  at: z.string(),
  status: z.string(),
  error_class: z.string().nullable(),
  message: z.string().nullable(),
  http_status: z.number().int().nullable(),
  attempts: z.number().int(),
  ms: z.number(),
});
export type FetchLogEntry = z.infer<typeof FetchLogEntrySchema>;

export interface RobotsText {
  text: string;
  fetched_at: string;
}

/**
 * Where robots.txt texts outlive one sync (the ledger keeps them). RFC 9309 §2.4: a copy is good
 * for 24 hours, and past that still stands in while the live file is unreachable.
 */
export interface RobotsCache {
  get(origin: string): RobotsText | null;
  put(origin: string, text: string, fetchedAt: string): void;
}
