/** Exit codes of `model-ledger`, documented in the README; cron jobs branch on them. */
export const EXIT = {
  ok: 0,
  /** sync/ingest: some sources failed or drifted; their last good facts were kept. */
  partial: 1,
  /** sync: no source succeeded. */
  allFailed: 2,
  /** Bad command-line usage. */
  usage: 64,
  /** Bad input: an invalid source file, an unreadable capture, an unknown change id. */
  badInput: 65,
  /** Unexpected internal error. */
  internal: 70,
  /** Another sync holds the ledger's lock. */
  locked: 75,
} as const;
