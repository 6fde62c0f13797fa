import type { FetchLogEntry, FetchState, RobotsCache, RobotsText, SourceState } from '../schema/capture.ts';
import type { LedgerDb } from './db.ts';
import { toFetchLogEntry, toSourceState, type Row } from './rows.ts';

export interface FetchLogInput {
  source_id: string;
  at: string;
  status: string;
  error_class?: string | null;
  message?: string | null;
  http_status?: number | null;
  attempts?: number;
  ms?: number;
}

/** Each source's basis capture and fetch bookkeeping: validators, failures, the fetch log, robots.txt. */
export class SourceStateStore {
  constructor(private readonly db: LedgerDb) {}

  state(sourceId: string): SourceState | null {
    const row = this.db.sql('SELECT * FROM source_state WHERE source_id = ?').get(sourceId) as Row | undefined;
    return row ? toSourceState(row) : null;
  }

  states(): SourceState[] {
    return (this.db.sql('SELECT * FROM source_state ORDER BY source_id').all() as Row[]).map(toSourceState);
  }

  /** What a conditional request needs for every source with a state: validators and the basis hash, in one query. */
  conditionalStates(): Map<string, FetchState> {
    const rows = this.db
      .sql(
        `SELECT s.source_id, s.etag, s.last_modified, c.sha256 FROM source_state s
         LEFT JOIN captures c ON c.id = s.current_capture_id`,
      )
      .all() as Row[];
    return new Map(
      rows.map((r) => [r.source_id as string, { etag: r.etag as string | null, last_modified: r.last_modified as string | null, sha256: r.sha256 as string | null }]),
    );
  }

  /** The robots.txt texts the fetcher read, kept between syncs. */
  robotsCache(): RobotsCache {
    return {
      get: (origin) => (this.db.sql('SELECT text, fetched_at FROM robots_txt WHERE origin = ?').get(origin) as RobotsText | undefined) ?? null,
      put: (origin, text, fetchedAt) => {
        this.db.sql('INSERT OR REPLACE INTO robots_txt (origin, text, fetched_at) VALUES (?, ?, ?)').run(origin, text, fetchedAt);
      },
    };
  }

  /**
   * A read that went well. With `captureId` (a new basis) the validators are that capture's own,
   * none if it came without: the basis's would make a 304 answer for a page the ledger no longer
   * holds. Without it (a 304, the same body again), validators not sent again are kept.
   */
  recordSuccess(sourceId: string, at: string, update: { captureId?: number; etag?: string | null; lastModified?: string | null }): void {
    this.db
      .sql(
        `INSERT INTO source_state (source_id, last_attempt_at, last_success_at, consecutive_failures, current_capture_id, etag, last_modified)
         VALUES (?, ?, ?, 0, ?, ?, ?)
         ON CONFLICT (source_id) DO UPDATE SET last_attempt_at = excluded.last_attempt_at,
           last_success_at = excluded.last_success_at, consecutive_failures = 0,
           current_capture_id = COALESCE(excluded.current_capture_id, current_capture_id),
           etag = CASE WHEN excluded.current_capture_id IS NULL THEN COALESCE(excluded.etag, etag) ELSE excluded.etag END,
           last_modified = CASE WHEN excluded.current_capture_id IS NULL THEN COALESCE(excluded.last_modified, last_modified) ELSE excluded.last_modified END`,
      )
      .run(sourceId, at, at, update.captureId ?? null, update.etag ?? null, update.lastModified ?? null);
  }

  recordFailure(sourceId: string, at: string, error: string): void {
    this.db.sql('INSERT OR IGNORE INTO source_state (source_id) VALUES (?)').run(sourceId);
    this.db
      .sql(
        `UPDATE source_state SET last_attempt_at = ?, last_failure_at = ?, last_error = ?,
           consecutive_failures = consecutive_failures + 1 WHERE source_id = ?`,
      )
      .run(at, at, error, sourceId);
  }

  logFetch(entry: FetchLogInput): void {
    this.db
      .sql(
        `INSERT INTO fetch_log (source_id, at, status, error_class, message, http_status, attempts, ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        entry.source_id,
        entry.at,
        entry.status,
        entry.error_class ?? null,
        entry.message ?? null,
        entry.http_status ?? null,
        entry.attempts ?? 1,
        Math.round(entry.ms ?? 0),
      );
  }

  fetchLog(sourceId: string, limit = 20): FetchLogEntry[] {
    return (this.db.sql('SELECT * FROM fetch_log WHERE source_id = ? ORDER BY id DESC LIMIT ?').all(sourceId, limit) as Row[]).map(toFetchLogEntry);
  }

  /** Which capture each source's current claims come from: changes when, and only when, evidence does. */
  /** Each source's basis capture id (null when it has none yet). */
  basisCaptures(): Map<string, number | null> {
    const rows = this.db.sql('SELECT source_id, current_capture_id FROM source_state').all() as Row[];
    return new Map(rows.map((r) => [r.source_id as string, (r.current_capture_id as number | null) ?? null]));
  }

  basisFingerprint(): string {
    return (this.db.sql('SELECT source_id, current_capture_id FROM source_state ORDER BY source_id').all() as Row[])
      .map((r) => `${r.source_id}:${r.current_capture_id ?? ''}`)
      .join(',');
  }
}
