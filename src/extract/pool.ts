import { Worker } from 'node:worker_threads';
import type { ExtractResult } from '../schema/claim.ts';
import { extractSnapshot, type SnapshotExtractionJob } from './registry.ts';

/** Runs extractions; `close` releases whatever threads it holds. */
export interface Extraction {
  extract(job: SnapshotExtractionJob): Promise<ExtractResult>;
  close(): Promise<void>;
}

/** Extraction on the calling thread: no start-up cost, for runs with few pages. */
export const inlineExtraction: Extraction = {
  extract: async (job) => extractSnapshot(job),
  close: async () => undefined,
};

export interface ExtractionPoolOptions {
  workers: number;
  /**
   * Heap cap per worker: a pathological page that makes a parser balloon kills its worker, and
   * that source's extraction fails, instead of the whole sync running out of memory.
   */
  maxHeapMb?: number;
}

/**
 * The worker entry beside this module: compiled JavaScript when running from dist/; otherwise
 * TypeScript, which a worker thread can only load after registering tsx itself (workers do not
 * inherit the parent's loader hooks).
 */
function spawnWorker(maxHeapMb: number): Worker {
  const here = import.meta.url;
  // Workers inherit the parent's Node flags; --input-type (a host run as `node --input-type=module
  // -e ...`) is refused for anything but that string and would kill every worker at birth.
  const options = { resourceLimits: { maxOldGenerationSizeMb: maxHeapMb }, execArgv: process.execArgv.filter((flag) => !flag.startsWith('--input-type')) };
  if (here.endsWith('.js')) return new Worker(new URL('./worker.js', here), options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./worker.ts', here).href;
  const boot = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(boot, { ...options, eval: true });
}

interface Job {
  job: SnapshotExtractionJob;
  resolve: (result: ExtractResult) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  running: Map<number, Job>;
  /** Whether it ever finished a job: one that dies before that cannot start at all. */
  started: boolean;
}

/** Jobs sent to one worker at a time: two, so it never idles waiting for the next message. */
const PER_WORKER = 32;

/**
 * Extraction on worker threads, started on first use and fed from one queue as they free up.
 * A worker that dies fails only the jobs it was running; the next job starts a fresh one in its
 * place. (Letting the main thread extract too while jobs wait was tried: on two cores it made a
 * 1,000-page sync slower, the fetching and storing thread being crowded out.)
 */
export function createExtractionPool({ workers, maxHeapMb = 1024 }: ExtractionPoolOptions): Extraction {
  const slots: Array<Slot | null> = Array.from({ length: Math.max(1, workers) }, () => null);
  const waiting: Job[] = [];
  let nextId = 0;
  let closed = false;

  function start(index: number): Slot {
    const slot: Slot = { worker: spawnWorker(maxHeapMb), running: new Map(), started: false };
    slot.worker.on('message', ({ id, result }: { id: number; result: ExtractResult }) => {
      slot.started = true;
      slot.running.get(id)?.resolve(result);
      slot.running.delete(id);
      dispatch();
    });
    const fail = (error: Error) => {
      if (slots[index] === slot) slots[index] = null;
      for (const job of slot.running.values()) job.reject(error);
      slot.running.clear();
      // A worker that cannot start would fail every waiting job the same way, one respawn at a time.
      if (!slot.started) for (const job of waiting.splice(0)) job.reject(error);
      if (!closed) dispatch();
    };
    slot.worker.on('error', (error) => fail(new Error(`extraction worker failed: ${error.message}`)));
    slot.worker.on('exit', (code) => fail(new Error(`extraction worker exited (code ${code})`)));
    slots[index] = slot;
    return slot;
  }

  function freeSlot(): Slot | null {
    const unstarted = slots.indexOf(null);
    if (unstarted !== -1) return start(unstarted);
    const least = (slots as Slot[]).reduce((best, slot) => (slot.running.size < best.running.size ? slot : best));
    return least.running.size < PER_WORKER ? least : null;
  }

  function dispatch(): void {
    for (let slot = waiting.length ? freeSlot() : null; slot; slot = waiting.length ? freeSlot() : null) {
      const job = waiting.shift()!;
      const id = nextId++;
      slot.running.set(id, job);
      slot.worker.postMessage({ id, job: job.job });
    }
  }

  return {
    extract(job) {
      if (closed) return Promise.reject(new Error('extraction pool is closed'));
      return new Promise<ExtractResult>((resolve, reject) => {
        waiting.push({ job, resolve, reject });
        dispatch();
      });
    },
    async close() {
      closed = true;
      for (const job of waiting.splice(0)) job.reject(new Error('extraction pool is closed'));
      const running = slots.filter((s): s is Slot => s !== null);
      slots.fill(null);
      await Promise.all(running.map((s) => s.worker.terminate()));
    },
  };
}
