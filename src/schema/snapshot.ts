import { z } from 'zod';
import { SourceFormatSchema } from './source.ts';

/** A raw response, content-addressed by the sha256 of its body. */
export const SnapshotSchema = z.object({
  source_id: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  observed_at: z.string(),
  url: z.string(),
  format: SourceFormatSchema,
  content_type: z.string().nullable(),
  body: z.string(),
});
export type Snapshot = z.infer<typeof SnapshotSchema>;

/** An entry of snapshots/manifest.json: a shipped capture the offline sync replays. */
export const ManifestEntrySchema = z.object({
  source_id: z.string(),
  observed_at: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  file: z.string().describe('Path relative to snapshots/'),
  content_type: z.string().nullable().default(null),
});
export const ManifestSchema = z.array(ManifestEntrySchema);
export type ManifestEntry = z.infer<typeof ManifestEntrySchema>;
