/** One clock started on a DeadlineQueue; `stop` it when its work ends in time. */
export interface DeadlineClock {
  stop(): void;
}

/**
 * Deadlines that all run for the same `ms`, so they fall due in the order they were started: one
 * timer waits for the earliest still running instead of a timer per clock. On a re-sync of a
 * thousand 304s, setting, unref'ing and clearing a timer per source cost as much as a tenth of
 * what the fetcher adds to a bare request. `onDue` is called once for each clock not stopped by
 * its deadline; the timer never keeps the process alive.
 */
export function createDeadlineQueue(ms: number): { start(onDue: () => void): DeadlineClock; close(): void } {
  interface Entry {
    dueAt: number;
    onDue: (() => void) | null;
  }
  let queue: Entry[] = [];
  let head = 0;
  let timer: NodeJS.Timeout | null = null;

  /** Drops the stopped clocks at the head, and the space they held once it is most of the queue. */
  function skipStopped(): void {
    while (head < queue.length && queue[head].onDue === null) head++;
    if (head > 1024 && head * 2 > queue.length) {
      queue = queue.slice(head);
      head = 0;
    }
  }

  function arm(): void {
    skipStopped();
    if (timer || head === queue.length) return;
    timer = setTimeout(fire, Math.max(0, queue[head].dueAt - performance.now()));
    timer.unref();
  }

  function fire(): void {
    timer = null;
    const now = performance.now();
    // A timer may fire a little early or late; what is due within a millisecond is due now.
    while (head < queue.length && queue[head].dueAt <= now + 1) {
      const { onDue } = queue[head];
      queue[head++].onDue = null;
      onDue?.();
    }
    arm();
  }

  return {
    start(onDue) {
      const entry: Entry = { dueAt: performance.now() + ms, onDue };
      queue.push(entry);
      arm();
      return {
        stop() {
          entry.onDue = null;
        },
      };
    },
    close() {
      if (timer) clearTimeout(timer);
      timer = null;
      queue = [];
      head = 0;
    },
  };
}
