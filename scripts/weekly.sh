#!/bin/sh
# The weekly flow without a cache: the SQLite ledger is rebuilt from what the data repository holds
# (the shipped snapshots, the decisions journal and the captures kept beside it), then synced, and
# the export and a triaged summary (the pull request's body) are written.
#
#   scripts/weekly.sh [DATA_DIR]          DATA_DIR (default: data) holds, committed:
#     decisions.ndjson    every decision and every sync's reads (appended by model-ledger)
#     captures/           bodies of live or ingested captures the journal names
#     review-policy.yaml  optional: what may be approved without a human
#   and gets, written by this run:
#     ledger.sqlite       the cache, deleted and rebuilt each run (never committed)
#     export/             the approved dataset in every format
#     sync-summary.md     the sync's summary, the queue grouped by what needs a human first
#
# SYNC_ARGS adds arguments to sync (e.g. --offline, or --user-agent ... for a live sync);
# MODEL_LEDGER names the binary. Exits with sync's code (0 every source read, 1 partial) or the
# code of the step that failed: 2 no source read, 65 a malformed journal or policy, 75 locked.
set -u
data=${1:-data}
here=$(cd "$(dirname "$0")/.." && pwd)
ledger=${MODEL_LEDGER:-"node $here/bin/model-ledger.js"}
db="$data/ledger.sqlite"
journal="$data/decisions.ndjson"
say() { echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) weekly: $*" >&2; }
run() { $ledger --db "$db" --journal "$journal" "$@"; }

mkdir -p "$data"
rm -f "$db" "$db-wal" "$db-shm"
if [ -s "$journal" ]; then
  run rebuild --json > "$data/rebuild.json" || { code=$?; say "rebuild from $journal failed (exit $code)"; exit "$code"; }
  say "rebuilt the ledger from $journal"
fi

# Only the data directory's policy: none there is none, whatever the environment or the current directory hold.
if [ -f "$data/review-policy.yaml" ]; then set -- --policy "$data/review-policy.yaml"; else set -- --no-policy; fi
# shellcheck disable=SC2086 # SYNC_ARGS is a list of words
run sync --quiet --summary "$data/sync-summary.md" "$@" ${SYNC_ARGS:-}
code=$?
case $code in
  0) say "sync read every source" ;;
  1) say "sync partial: some sources failed or drifted, their last good facts were kept" ;;
  *) say "sync failed with exit $code; nothing exported"; exit "$code" ;;
esac

run export --out "$data/export" --format all > /dev/null || { e=$?; say "export failed with exit $e"; exit "$e"; }
say "exported to $data/export; summary in $data/sync-summary.md"
exit "$code"
