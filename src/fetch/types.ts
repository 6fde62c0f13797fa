import type { Snapshot } from '../schema/snapshot.ts';
import type { FetchErrorClass } from './errors.ts';

export type { FetchState } from '../schema/capture.ts';

/**
 * The result of fetching one source. `unchanged` means the ledger already holds this content
 * (a 304, or a body whose sha256 equals state.sha256): there is no snapshot and nothing to extract.
 */
export interface FetchOutcome {
  source_id: string;
  status: 'fetched' | 'unchanged' | 'failed';
  snapshot?: Snapshot;
  etag: string | null;
  last_modified: string | null;
  http_status: number | null;
  error?: { class: FetchErrorClass; message: string };
  /** HTTP requests made for the page: retries and redirect hops count, robots.txt does not. */
  attempts: number;
  ms: number;
  /** Body bytes received on the wire (before decompression), over all attempts. */
  bytes: number;
}
