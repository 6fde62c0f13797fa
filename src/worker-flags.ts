import { Worker, type WorkerOptions } from 'node:worker_threads';

/** Flags that load code into a thread before its entry (preloads and loader hooks), each with its value. */
const PRELOAD_FLAGS = ['--import', '--require', '-r', '--loader', '--experimental-loader'];

/**
 * The host's Node flags as one of the package's own worker threads takes them (workers inherit the
 * host's by default). --input-type (a host run as `node --input-type=module -e ...`) is refused for
 * anything but that string: it killed every extraction worker at birth, and made the checkpoint
 * thread's CommonJS fail. A worker running compiled JavaScript needs no preload or loader hook
 * either: a host run under tsx (`--import tsx`, as the benches and many TypeScript projects run)
 * made each worker load tsx before its own modules, ~0.1 s more per start.
 */
export function workerExecArgv(hostArgv: readonly string[], compiled: boolean): string[] {
  const kept: string[] = [];
  for (let i = 0; i < hostArgv.length; i++) {
    const flag = hostArgv[i];
    if (flag.startsWith('--input-type')) continue;
    if (compiled && PRELOAD_FLAGS.includes(flag)) {
      i++; // and its value
      continue;
    }
    if (compiled && PRELOAD_FLAGS.some((preload) => flag.startsWith(`${preload}=`))) continue;
    kept.push(flag);
  }
  return kept;
}

/**
 * A worker thread started with the host's flags as workerExecArgv keeps them. Node refuses V8 and
 * process-wide flags in a worker's execArgv, and a host run as `node --max-old-space-size=8192` or
 * `node --expose-gc` has them: every worker failed to start and the sync with it. The worker is
 * started again without the flags Node names (and, should it still refuse, with none).
 */
export function startWorker(entry: string | URL, options: Omit<WorkerOptions, 'execArgv'>, flags: { compiled: boolean; hostArgv?: readonly string[] }): Worker {
  let execArgv = workerExecArgv(flags.hostArgv ?? process.execArgv, flags.compiled);
  for (;;) {
    try {
      return new Worker(entry, { ...options, execArgv });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ERR_WORKER_INVALID_EXEC_ARGV' || execArgv.length === 0) throw error;
      const refused = new Set(/flags: (.*)$/.exec((error as Error).message)?.[1].split(', ') ?? []);
      const kept = execArgv.filter((flag) => !refused.has(flag));
      execArgv = kept.length < execArgv.length ? kept : [];
    }
  }
}
