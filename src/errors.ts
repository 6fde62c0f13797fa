/**
 * The one error type model-ledger throws at its users, and the exit codes it maps to. Like zod's
 * ZodError it carries structured issues (a path and a message each); its kind says whose fault
 * it is, which is all the CLI needs to pick an exit code and to leave out the stack trace.
 */
import type { ZodError } from 'zod';

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

/** usage: the command or options were wrong; input: a file, id or value given was; locked: try later. */
export type ErrorKind = 'usage' | 'input' | 'locked';

export interface Issue {
  path: Array<string | number>;
  message: string;
}

const EXIT_BY_KIND: Record<ErrorKind, number> = { usage: EXIT.usage, input: EXIT.badInput, locked: EXIT.locked };

export class LedgerError extends Error {
  override readonly name = 'LedgerError';

  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly issues: Issue[] = [],
  ) {
    super(issues.length ? `${message}: ${formatIssues(issues)}` : message);
  }

  get exitCode(): number {
    return EXIT_BY_KIND[this.kind];
  }

  /** A zod validation failure of something a user gave, as one error naming each bad path. */
  static fromZod(kind: ErrorKind, message: string, error: ZodError): LedgerError {
    return new LedgerError(kind, message, error.issues.map((i) => ({ path: i.path, message: i.message })));
  }
}

export const usageError = (message: string, issues?: Issue[]): LedgerError => new LedgerError('usage', message, issues);
export const inputError = (message: string, issues?: Issue[]): LedgerError => new LedgerError('input', message, issues);

function formatIssues(issues: Issue[]): string {
  return issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');
}
