import type { Capture } from '../schema/capture.ts';
import type { ExtractResult } from '../schema/claim.ts';
import type { Snapshot } from '../schema/snapshot.ts';
import type { ClaimStore } from './claims.ts';
import type { LedgerDb } from './db.ts';
import { json, toCapture, type Row } from './rows.ts';
import { BODY_ENCODING, compressBody, decompressBody, type BodyEncoding } from './compression.ts';

/** Snapshots (content-addressed bodies) and captures (each read of a source and its outcome). */
export class CaptureStore {
  constructor(
    private readonly db: LedgerDb,
    private readonly claims: ClaimStore,
  ) {}

  /**
   * Stores a body once per hash, compressed (compressBody): pages and dumps shrink 5–12 times;
   * `bytes` stays the body's own size. `compressed` is the body already compressed by compressBody
   * (on a worker thread).
   */
  putSnapshot(snapshot: Pick<Snapshot, 'sha256' | 'body' | 'content_type'>, compressed?: Uint8Array): void {
    if (this.db.sql('SELECT 1 FROM snapshots WHERE sha256 = ?').get(snapshot.sha256)) return;
    const body = compressed ? Buffer.from(compressed.buffer, compressed.byteOffset, compressed.byteLength) : compressBody(snapshot.body);
    this.db
      .sql('INSERT INTO snapshots (sha256, body, content_type, bytes, encoding) VALUES (?, ?, ?, ?, ?)')
      .run(snapshot.sha256, body, snapshot.content_type, Buffer.byteLength(snapshot.body), BODY_ENCODING);
  }

  /** A snapshot's body as stored, and how it was encoded. */
  private stored(sha256: string): { body: Buffer | string; encoding: BodyEncoding } | null {
    return (this.db.sql('SELECT body, encoding FROM snapshots WHERE sha256 = ?').get(sha256) as { body: Buffer | string; encoding: BodyEncoding } | undefined) ?? null;
  }

  snapshotBody(sha256: string): string | null {
    const row = this.stored(sha256);
    return row ? decompressBody(row.body, row.encoding) : null;
  }

  /** A snapshot's body compressed as compressBody does: what a journal keeps of it, compressed again only if it was stored otherwise. */
  compressedBody(sha256: string): Buffer | null {
    const row = this.stored(sha256);
    if (!row) return null;
    return row.encoding === BODY_ENCODING ? (row.body as Buffer) : compressBody(decompressBody(row.body, row.encoding));
  }

  /**
   * Records a capture and its claims; claims are stored even for a drifting capture, for the record.
   * Claims that repeat the source's previous capture's are not stored again (see ClaimStore).
   */
  add(snapshot: Snapshot, origin: Capture['origin'], outcome: Capture['outcome'], result: ExtractResult | null, compressed?: Uint8Array): Capture {
    this.putSnapshot(snapshot, compressed);
    const previous = (this.db.sql('SELECT MAX(id) AS id FROM captures WHERE source_id = ?').get(snapshot.source_id) as Row).id as number | null;
    const info = this.db
      .sql(
        `INSERT INTO captures (source_id, sha256, url, format, observed_at, origin, outcome, claim_count, notes, drift)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        snapshot.source_id,
        snapshot.sha256,
        snapshot.url,
        snapshot.format,
        snapshot.observed_at,
        origin,
        outcome,
        result?.claims.length ?? 0,
        json(result?.notes ?? []),
        json(result?.drift ?? []),
      );
    const captureId = Number(info.lastInsertRowid);
    if (result && result.claims.length > 0) this.claims.insert(captureId, snapshot, result.claims, previous);
    return this.get(captureId)!;
  }

  get(id: number): Capture | null {
    const row = this.db.sql('SELECT * FROM captures WHERE id = ?').get(id) as Row | undefined;
    return row ? toCapture(row) : null;
  }

  of(sourceId: string): Capture[] {
    return (this.db.sql('SELECT * FROM captures WHERE source_id = ? ORDER BY observed_at, id').all(sourceId) as Row[]).map(toCapture);
  }

  /** The newest capture of a source that holds this snapshot. */
  ofSnapshot(sourceId: string, sha256: string): Capture | null {
    const row = this.db
      .sql('SELECT * FROM captures WHERE source_id = ? AND sha256 = ? ORDER BY id DESC LIMIT 1')
      .get(sourceId, sha256) as Row | undefined;
    return row ? toCapture(row) : null;
  }

  /** The hash and time of the source's basis (its last good capture), without reading the rest of it. */
  currentStamp(sourceId: string): Pick<Capture, 'sha256' | 'observed_at'> | null {
    const row = this.db
      .sql('SELECT c.sha256, c.observed_at FROM source_state s JOIN captures c ON c.id = s.current_capture_id WHERE s.source_id = ?')
      .get(sourceId) as Pick<Capture, 'sha256' | 'observed_at'> | undefined;
    return row ?? null;
  }

  current(sourceId: string): Capture | null {
    const row = this.db
      .sql('SELECT c.* FROM source_state s JOIN captures c ON c.id = s.current_capture_id WHERE s.source_id = ?')
      .get(sourceId) as Row | undefined;
    return row ? toCapture(row) : null;
  }
}
