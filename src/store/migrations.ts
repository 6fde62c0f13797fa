/**
 * Schema migrations, applied in order; PRAGMA user_version records how many ran.
 * Append new migrations; never edit one that has shipped.
 */
export const MIGRATIONS: string[] = [
  `
  CREATE TABLE snapshots (
    sha256 TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    content_type TEXT,
    bytes INTEGER NOT NULL
  );
  -- One row per time a source was read: a fetch, a replay or an ingest.
  CREATE TABLE captures (
    id INTEGER PRIMARY KEY,
    source_id TEXT NOT NULL,
    sha256 TEXT NOT NULL REFERENCES snapshots(sha256),
    url TEXT NOT NULL,
    format TEXT NOT NULL,
    observed_at TEXT NOT NULL,
    origin TEXT NOT NULL,            -- fetch | replay | ingest
    outcome TEXT NOT NULL,           -- extracted | drift | unchanged
    claim_count INTEGER NOT NULL DEFAULT 0,
    notes TEXT NOT NULL DEFAULT '[]',
    drift TEXT NOT NULL DEFAULT '[]'
  );
  CREATE INDEX captures_source ON captures(source_id, observed_at);
  CREATE TABLE claims (
    capture_id INTEGER NOT NULL REFERENCES captures(id),
    source_id TEXT NOT NULL,
    snapshot_hash TEXT NOT NULL,
    observed_at TEXT NOT NULL,
    model TEXT NOT NULL,
    model_name TEXT NOT NULL,
    field TEXT NOT NULL,
    condition TEXT NOT NULL,
    value TEXT NOT NULL,             -- JSON
    unit TEXT,
    locator TEXT NOT NULL,
    quote TEXT NOT NULL,
    confidence REAL NOT NULL,
    anomaly TEXT
  );
  CREATE INDEX claims_capture ON claims(capture_id);
  CREATE INDEX claims_model ON claims(model, field);
  -- The basis of each source: its last good capture, plus fetch bookkeeping.
  CREATE TABLE source_state (
    source_id TEXT PRIMARY KEY,
    current_capture_id INTEGER REFERENCES captures(id),
    etag TEXT,
    last_modified TEXT,
    last_attempt_at TEXT,
    last_success_at TEXT,
    last_failure_at TEXT,
    last_error TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE fetch_log (
    id INTEGER PRIMARY KEY,
    source_id TEXT NOT NULL,
    at TEXT NOT NULL,
    status TEXT NOT NULL,            -- fetched | unchanged | failed | drift
    error_class TEXT,
    message TEXT,
    http_status INTEGER,
    attempts INTEGER NOT NULL DEFAULT 1,
    ms INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE models (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    provider TEXT NOT NULL,
    family TEXT NOT NULL,
    version TEXT,
    first_seen TEXT NOT NULL
  );
  CREATE TABLE aliases (
    alias TEXT NOT NULL,
    model_id TEXT NOT NULL,
    source_id TEXT NOT NULL,
    PRIMARY KEY (alias, model_id, source_id)
  );
  -- The latest reconciliation: derived, rebuilt on every sync.
  CREATE TABLE facts (
    model TEXT NOT NULL,
    field TEXT NOT NULL,
    condition TEXT NOT NULL,
    value TEXT NOT NULL,
    status TEXT NOT NULL,
    confidence REAL NOT NULL,
    rule TEXT NOT NULL,
    explanation TEXT NOT NULL,
    claims TEXT NOT NULL,
    PRIMARY KEY (model, field, condition)
  );
  CREATE TABLE source_reliability (
    source_id TEXT PRIMARY KEY,
    detail TEXT NOT NULL
  );
  CREATE TABLE changes (
    id INTEGER PRIMARY KEY,
    model TEXT NOT NULL,
    field TEXT NOT NULL,
    condition TEXT NOT NULL,
    kind TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    observed_at TEXT NOT NULL,
    evidence_key TEXT NOT NULL,
    fact TEXT,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    reviewer TEXT,
    reviewed_at TEXT,
    note TEXT
  );
  CREATE INDEX changes_status ON changes(status);
  -- Approved values over time. The open interval (valid_to NULL) is the published dataset.
  CREATE TABLE history (
    id INTEGER PRIMARY KEY,
    model TEXT NOT NULL,
    field TEXT NOT NULL,
    condition TEXT NOT NULL,
    value TEXT NOT NULL,
    unit TEXT,
    status TEXT NOT NULL,
    confidence REAL NOT NULL,
    sources TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    change_id INTEGER REFERENCES changes(id)
  );
  CREATE INDEX history_key ON history(model, field, condition, valid_from);
  CREATE TABLE overrides (
    id INTEGER PRIMARY KEY,
    model TEXT NOT NULL,
    field TEXT NOT NULL,
    condition TEXT NOT NULL,
    value TEXT NOT NULL,
    reason TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    created_at TEXT NOT NULL,
    lifted_at TEXT,
    lifted_by TEXT
  );
  -- Keys absent from a successful sync, counted so that "no longer seen" needs repeated evidence.
  CREATE TABLE absences (
    model TEXT NOT NULL,
    field TEXT NOT NULL,
    condition TEXT NOT NULL,
    syncs INTEGER NOT NULL,
    PRIMARY KEY (model, field, condition)
  );
  CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT,
    detail TEXT NOT NULL DEFAULT '{}'
  );
  -- The audit log is append-only: reviews are evidence and are never rewritten.
  CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
  CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
  CREATE TABLE sync_runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    summary TEXT
  );
  `,
  // A backfilled change speaks for a date older than its source's current basis (ingest --observed-at
  // of an older capture); it is queued and planned apart from the changes of the current facts.
  `
  ALTER TABLE changes ADD COLUMN backfill INTEGER NOT NULL DEFAULT 0;
  `,
  // A model id no source had named before: a reviewer confirms it as new or names it an alias.
  `
  CREATE TABLE model_candidates (
    model_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    source_id TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    proposals TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL DEFAULT 'pending',   -- pending | new | alias | distinct
    decided_by TEXT,
    decided_at TEXT,
    decision TEXT
  );
  `,
  // Small pieces of ledger state, e.g. the evidence basis the last diff saw.
  `
  CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
  // Claims are read by capture, or by capture and model: one index serves both, and since new
  // captures get higher ids it grows at its end instead of at random places, as (model, field) did.
  `
  DROP INDEX claims_capture;
  DROP INDEX claims_model;
  CREATE INDEX claims_capture_model ON claims(capture_id, model);
  `,
  // robots.txt texts kept between syncs (RFC 9309 §2.4: fresh for 24 hours; a fallback while unreachable).
  `
  CREATE TABLE robots_txt (
    origin TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    fetched_at TEXT NOT NULL
  );
  `,
  // Identity links found at the last reconciliation: which model each other id was reconciled under, and why.
  `
  CREATE TABLE model_links (
    alias TEXT PRIMARY KEY,
    model_id TEXT NOT NULL,
    evidence TEXT NOT NULL,
    detail TEXT NOT NULL
  );
  CREATE INDEX model_links_model ON model_links(model_id);
  `,
  // A reseller link's route: the condition its claims gain on the vendor's model.
  `
  ALTER TABLE model_links ADD COLUMN route TEXT;
  `,
  // Snapshot bodies stored compressed (a BLOB: 'gzip' at first, 'br' since; see compression.ts); rows written before stay plain text ('identity').
  `
  ALTER TABLE snapshots ADD COLUMN encoding TEXT NOT NULL DEFAULT 'identity';
  `,
  // A claim row runs from the capture that first said it to the last of its source's captures in a
  // row that repeated it, so a capture that repeats most of the previous one stores only what moved.
  // A capture's claims are found by source and run, no longer by capture id.
  `
  ALTER TABLE claims ADD COLUMN last_capture_id INTEGER;
  UPDATE claims SET last_capture_id = capture_id;
  DROP INDEX claims_capture_model;
  CREATE INDEX claims_source_run ON claims(source_id, last_capture_id);
  `,
  // A claim row is read through the capture it is read for, with that capture's snapshot and time:
  // the first capture's that the row also held were never read, and were a third of its bytes.
  `
  ALTER TABLE claims DROP COLUMN snapshot_hash;
  ALTER TABLE claims DROP COLUMN observed_at;
  `,
  // Covering indexes for what every sync counts (the tallies in its fingerprint, the facts by
  // status) and for the few backfilled changes: without them each count read every row, past its
  // evidence, ~100 ms a sync on a ledger of the full default (86k changes, 72k facts).
  `
  DROP INDEX changes_status;
  CREATE INDEX changes_status_reviewed ON changes(status, reviewed_at);
  CREATE INDEX changes_backfill ON changes(backfill) WHERE backfill = 1;
  CREATE INDEX history_valid_to ON history(valid_to);
  CREATE INDEX facts_status ON facts(status);
  `,
  // A pending change queued for its key's current fact follows the facts row instead of copying it
  // (see ChangeStore). Its own copy, when it needs one, is that row's columns (its value is the
  // change's new_value), and the following ones are found by key as the facts store rewrites a row.
  `
  ALTER TABLE changes ADD COLUMN fact_status TEXT;
  ALTER TABLE changes ADD COLUMN fact_confidence REAL;
  ALTER TABLE changes ADD COLUMN fact_rule TEXT;
  ALTER TABLE changes ADD COLUMN fact_explanation TEXT;
  ALTER TABLE changes ADD COLUMN fact_claims;
  CREATE INDEX changes_following ON changes(model, field, condition) WHERE fact IS NULL AND fact_status IS NULL;
  `,
  // A model's spellings, by model: folding a linked id into its model read every alias twice,
  // 0.1 s for the full default's 204 links (5,869 aliases).
  `
  CREATE INDEX aliases_model ON aliases(model_id);
  `,
  // One model's claims in one capture (the desk's evidence, a capture before a figure moved), by
  // index: found by source and run alone, each lookup read every claim of a large source, ~0.7 s
  // of a desk page on the full default.
  `
  CREATE INDEX claims_source_model ON claims(source_id, model, last_capture_id);
  `,
  // The open changes of the keys an incremental sync re-decided, by key: found by status, a sync of
  // a few keys read every pending change of a first import (15,000 on the full default) to pick them.
  // It serves the following changes' lookups too, which the partial index it replaces was for.
  `
  DROP INDEX changes_following;
  CREATE INDEX changes_key ON changes(model, field, condition);
  `,
];
