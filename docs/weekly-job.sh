#!/bin/sh
# The weekly job: sync, then export what reviewers have approved. It branches on the exit codes of
# `sync` (README, "Exit codes"): 0 every source read, 1 partial, 2 none read, 75 another sync holds
# the ledger's lock. The job exits with sync's code (or export's, if export fails), so cron mails
# on anything but 0. From cron: cd /srv/model-ledger && ./docs/weekly-job.sh >> LOG 2>&1
set -u
cd "$(dirname "$0")/.." || exit 70

# MODEL_LEDGER lets a test (or an install elsewhere) name the binary.
ledger=${MODEL_LEDGER:-./bin/model-ledger.js}
say() { echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) weekly-job: $*"; }

# A webhook is optional: pass --notify only when one is configured.
if [ -n "${MODEL_LEDGER_WEBHOOK:-}" ]; then set -- --notify "$MODEL_LEDGER_WEBHOOK"; else set --; fi

"$ledger" sync --quiet --summary data/sync-summary.md "$@"
code=$?
case $code in
  0)  say "sync read every source" ;;
  1)  say "sync partial: some sources failed or drifted, their last good facts were kept (data/sync-summary.md)" ;;
  2)  say "sync read no source; nothing exported"; exit "$code" ;;
  75) say "a previous sync still holds the ledger's lock; skipped"; exit "$code" ;;
  *)  say "sync failed with exit $code; nothing exported"; exit "$code" ;;
esac

"$ledger" export --out data/export --format all
exported=$?
if [ "$exported" -ne 0 ]; then
  say "export failed with exit $exported"
  exit "$exported"
fi
say "exported to data/export"
exit "$code"
