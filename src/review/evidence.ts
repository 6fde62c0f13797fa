/**
 * Gathers a change's evidence from the ledger: for each source with a say in it, the region of
 * the snapshot it read now, the same region of the source's capture just before its figure moved
 * (or, when it has no earlier capture, of the snapshot behind the approved value), and the diff
 * between them. Computed on demand, never stored.
 */
import type { Change } from '../schema/change.ts';
import type { Claim, ClaimValue } from '../schema/claim.ts';
import type { Source } from '../schema/source.ts';
import { diffRegions, prepareDocument, regionAt, type PreparedDocument, type Region, type RegionDiff } from '../diff/evidence.ts';
import type { Ledger } from '../store/ledger.ts';
import { type Capture } from '../schema/capture.ts';
import { type PublishedValue } from '../schema/history.ts';

export interface SnapshotRef {
  sha256: string;
  observed_at: string;
  locator: string | null;
}

export interface SourceEvidence {
  source_id: string;
  source_url: string | null;
  /** The source's claim behind the new value (null for a source that no longer lists the key). */
  claim: { value: ClaimValue; supports: boolean; locator: string; quote: string } | null;
  snapshot: SnapshotRef | null;
  previous: SnapshotRef | null;
  region: Region | null;
  previous_region: Region | null;
  /** Null when there is nothing to compare: no previous snapshot, or the same one. */
  diff: RegionDiff | null;
  note: string | null;
}

export interface ChangeEvidence {
  change_id: number;
  sources: SourceEvidence[];
}

/**
 * Parsed snapshots, kept for the changes a page shows at once, least recently used evicted first.
 * Room for two captures of each large source a page draws on (with the four shipped dumps, a page of
 * disputed figures reads eight documents; a cache of six re-parsed a multi-MB dump for every change).
 */
export class DocumentCache {
  private readonly docs = new Map<string, PreparedDocument | null>();
  constructor(private readonly ledger: Ledger, private readonly limit = 12) {}

  get(sha256: string): PreparedDocument | null {
    if (this.docs.has(sha256)) {
      const doc = this.docs.get(sha256)!;
      this.docs.delete(sha256);
      this.docs.set(sha256, doc);
      return doc;
    }
    const body = this.ledger.captures.snapshotBody(sha256);
    const doc = body === null ? null : prepareDocument(body);
    this.docs.set(sha256, doc);
    if (this.docs.size > this.limit) this.docs.delete(this.docs.keys().next().value!);
    return doc;
  }
}

interface Reading {
  source_id: string;
  snapshot_hash: string;
  observed_at: string;
  locator: string;
  quote: string;
}

function intervalInForce(ledger: Ledger, change: Change): PublishedValue | undefined {
  const timeline = ledger.history.timeline(change);
  return (
    timeline.find((h) => h.valid_from <= change.observed_at && (h.valid_to === null || h.valid_to > change.observed_at)) ??
    timeline.find((h) => h.valid_to === null)
  );
}

/** What each source said for the approved value: the claims of the change that introduced it. */
function approvedReadings(ledger: Ledger, change: Change): Map<string, Reading> {
  const interval = intervalInForce(ledger, change);
  const approved = interval?.change_id ? ledger.changes.get(interval.change_id) : null;
  return new Map((approved?.fact?.claims ?? []).map((c) => [c.source_id, c]));
}

/** Where the model sits in a capture: the same key if the capture had it, else any figure of the model. */
function readingIn(claims: Claim[], capture: Capture, change: Change): { ref: SnapshotRef; quote: string | null } {
  const same = sameKey(claims, change);
  return { ref: { sha256: capture.sha256, observed_at: capture.observed_at, locator: (same ?? claims[0])?.locator ?? null }, quote: same?.quote ?? null };
}

function sameKey(claims: Claim[], change: Change): Claim | undefined {
  return claims.find((c) => c.field === change.field && c.condition === change.condition);
}

/**
 * The source's capture just before the move: walking back from `snapshot`, the newest earlier
 * capture whose figure for this key differs from `value` (undefined: the key is absent), so a
 * change still pending across syncs compares against the page before it moved. When every earlier
 * capture says the same, the immediately previous one; undefined when the source has none.
 */
function captureBeforeMove(ledger: Ledger, sourceId: string, snapshot: SnapshotRef, change: Change, value: ClaimValue | undefined) {
  const earlier = ledger.captures.of(sourceId).filter((c) => c.outcome === 'extracted' && c.observed_at < snapshot.observed_at && c.sha256 !== snapshot.sha256);
  const said = JSON.stringify(value);
  for (let i = earlier.length - 1; i >= 0; i--) {
    const claims = ledger.claims.ofCaptureForModel(earlier[i].id, change.model);
    if (JSON.stringify(sameKey(claims, change)?.value) !== said) return readingIn(claims, earlier[i], change);
  }
  const last = earlier.at(-1);
  return last ? readingIn(ledger.claims.ofCaptureForModel(last.id, change.model), last, change) : undefined;
}

function region(cache: DocumentCache, ref: SnapshotRef | null, quote: string): Region | null {
  if (!ref?.locator) return null;
  const doc = cache.get(ref.sha256);
  return doc ? regionAt(doc, ref.locator, quote) : null;
}

export function loadChangeEvidence(ledger: Ledger, change: Change, sources: Source[], cache = new DocumentCache(ledger)): ChangeEvidence {
  const urls = new Map(sources.map((s) => [s.id, s.url]));
  const approved = approvedReadings(ledger, change);
  const current = new Map((change.fact?.claims ?? []).map((c) => [c.source_id, c]));
  const sourceIds = [...new Set([...current.keys(), ...approved.keys()])].sort();

  const evidence = sourceIds.map((sourceId): SourceEvidence => {
    const claim = current.get(sourceId);
    let snapshot: SnapshotRef | null = claim ? { sha256: claim.snapshot_hash, observed_at: claim.observed_at, locator: claim.locator } : null;
    if (!snapshot) {
      // The source no longer lists this key: compare against the capture it stands behind now.
      const basis = ledger.captures.current(sourceId);
      if (basis) snapshot = readingIn(ledger.claims.ofCaptureForModel(basis.id, change.model), basis, change).ref;
    }

    // The source's own previous capture shows just this move; the snapshot behind the approved
    // value may be older and would also show moves approved since.
    const before = approved.get(sourceId);
    const prior = snapshot ? captureBeforeMove(ledger, sourceId, snapshot, change, claim?.value) : undefined;
    const previous: SnapshotRef | null = prior?.ref ?? (before ? { sha256: before.snapshot_hash, observed_at: before.observed_at, locator: before.locator } : null);
    const previousQuote = prior ? prior.quote : (before?.quote ?? null);

    const quote = claim?.quote ?? previousQuote ?? '';
    const now = region(cache, snapshot, quote);
    const then = previous && previous.sha256 !== snapshot?.sha256 ? region(cache, previous, previousQuote ?? quote) : null;
    let note: string | null = null;
    let diff: RegionDiff | null = null;
    if (!previous) note = 'no earlier snapshot of this source to compare with';
    else if (previous.sha256 === snapshot?.sha256) note = 'this source’s snapshot is unchanged since the approved value';
    else if (!then && !now) note = 'the locators lead nowhere in either snapshot';
    else {
      if (!then) note = 'the model is not in the earlier snapshot';
      else if (!now) note = 'the model is not in the newer snapshot';
      diff = diffRegions(then, now, { old: `${sourceId}@${previous.observed_at.slice(0, 10)}`, new: `${sourceId}@${snapshot?.observed_at.slice(0, 10) ?? 'now'}` });
    }
    return {
      source_id: sourceId,
      source_url: urls.get(sourceId) ?? null,
      claim: claim ? { value: claim.value, supports: claim.supports, locator: claim.locator, quote: claim.quote } : null,
      snapshot,
      previous,
      region: now,
      previous_region: then,
      diff,
      note,
    };
  });
  return { change_id: change.id, sources: evidence };
}
