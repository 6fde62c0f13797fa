import { readManifest } from '../pipeline/manifest.ts';
import { isLiveOnly } from '../pipeline/replay.ts';
import type { SourceReliability } from '../schema/sync.ts';
import { sourcesOf, withLedger, type Workspace } from './workspace.ts';

/** One source's configuration beside what its reads have come to. */
export interface SourceStatus {
  id: string;
  kind: string;
  url: string;
  render: string;
  robots: string;
  trust_prior: number;
  /** No shipped capture: an offline sync cannot replay it, only a live sync (or ingest) reads it. */
  live_only: boolean;
  /** What the basis capture yielded: the models it named and the figures (claims) it gave. */
  yielded: { models: number; figures: number } | null;
  /** Why the last read drifted (the page changed shape), when it did; null otherwise. */
  drift: string | null;
  basis: { snapshot: string; observed_at: string; claims: number } | null;
  last_status: string | null;
  last_checked_at: string | null;
  last_success_at: string | null;
  last_failure_at: string | null;
  last_error: string | null;
  last_error_class: string | null;
  last_http_status: number | null;
  last_attempts: number | null;
  last_ms: number | null;
  consecutive_failures: number;
  etag: string | null;
  last_modified: string | null;
  reliability: SourceReliability | null;
}

export function sourceStatuses(ws: Workspace): SourceStatus[] {
  return withLedger(ws, (ledger) => {
    const reliability = new Map(ledger.facts.reliability().map((r) => [r.source_id, r]));
    const manifest = readManifest(ws.snapshotsDir);
    return sourcesOf(ws).map((s) => {
      const state = ledger.sources.state(s.id);
      const capture = ledger.captures.current(s.id);
      const last = ledger.sources.fetchLog(s.id, 1)[0];
      return {
        id: s.id,
        kind: s.kind,
        url: s.url,
        render: s.render,
        robots: s.robots,
        trust_prior: s.trust,
        live_only: isLiveOnly(s, manifest),
        yielded: capture ? ledger.claims.yieldOf(capture.id) : null,
        drift: last?.status === 'drift' ? (last.message ?? 'extraction drift') : null,
        basis: capture ? { snapshot: capture.sha256, observed_at: capture.observed_at, claims: capture.claim_count } : null,
        last_status: last?.status ?? null,
        last_checked_at: state?.last_attempt_at ?? null,
        last_success_at: state?.last_success_at ?? null,
        last_failure_at: state?.last_failure_at ?? null,
        last_error: state?.last_error ?? null,
        last_error_class: last?.error_class ?? null,
        last_http_status: last?.http_status ?? null,
        last_attempts: last?.attempts ?? null,
        last_ms: last?.ms ?? null,
        consecutive_failures: state?.consecutive_failures ?? 0,
        etag: state?.etag ?? null,
        last_modified: state?.last_modified ?? null,
        reliability: reliability.get(s.id) ?? null,
      };
    });
  });
}
