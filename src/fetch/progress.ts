import type { ProgressEvent } from './options.ts';
import type { FetchOutcome } from './types.ts';

export interface ProgressReporter {
  onProgress(event: ProgressEvent): void;
  /** Finish the display (ends the redrawn TTY line). */
  done(): void;
}

export interface ProgressReporterOptions {
  quiet: boolean;
  /** Defaults to stderr, so stdout stays clean for --json; the line is drawn only when it is a terminal. */
  stream?: { write(text: string): unknown; isTTY?: boolean };
}

function describe(outcome: FetchOutcome): string {
  const { source_id, status, http_status, ms, bytes, attempts } = outcome;
  const http = http_status === null ? '' : ` HTTP ${http_status}`;
  const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
  if (status === 'failed') return `failed    ${source_id}${http} ${outcome.error?.class}: ${outcome.error?.message}${tries}`;
  return `${status.padEnd(9)} ${source_id}${http} ${ms} ms ${(bytes / 1024).toFixed(1)} KiB${tries}`;
}

const SILENT: ProgressReporter = { onProgress: () => undefined, done: () => undefined };

/**
 * A live sync's progress for the person at the keyboard: on a terminal one line redrawn in place
 * ("sources 12/40, 1 failed"), failures printed above it as they happen. Not on a terminal (a log,
 * a pipe, CI) and with --quiet it prints nothing: the summary reports every source at the end.
 */
export function createProgressReporter(options: ProgressReporterOptions): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  if (options.quiet || !stream.isTTY) return SILENT;
  let drawn = false;
  return {
    onProgress({ done, total, failed, outcome }) {
      const clear = '\r\x1b[2K';
      if (outcome.status === 'failed') stream.write(`${clear}${describe(outcome)}\n`);
      stream.write(`${clear}sources ${done}/${total}${failed > 0 ? `, ${failed} failed` : ''}`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}
