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
  const resourceLimits = { maxOldGenerationSizeMb: maxHeapMb };
  if (here.endsWith('.js')) return new Worker(new URL('./worker.js', here), { resourceLimits });
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./worker.ts', here).href;
  const boot = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(boot, { eval: true, resourceLimits });
}

interface Job {
  resolve: (result: ExtractResult) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  jobs: Map<number, Job>;
}

/**
 * Extraction on worker threads, started on first use and fed least-loaded first. A worker that
 * dies fails only the jobs it held; the next job starts a fresh one in its place.
 */
export function createExtractionPool({ workers, maxHeapMb = 1024 }: ExtractionPoolOptions): Extraction {
  const slots: Array<Slot | null> = Array.from({ length: Math.max(1, workers) }, () => null);
  let nextId = 0;
  let closed = false;

  function start(index: number): Slot {
    const slot: Slot = { worker: spawnWorker(maxHeapMb), jobs: new Map() };
    slot.worker.on('message', ({ id, result }: { id: number; result: ExtractResult }) => {
      slot.jobs.get(id)?.resolve(result);
      slot.jobs.delete(id);
    });
    const fail = (error: Error) => {
      if (slots[index] === slot) slots[index] = null;
      for (const job of slot.jobs.values()) job.reject(error);
      slot.jobs.clear();
    };
    slot.worker.on('error', (error) => fail(new Error(`extraction worker failed: ${error.message}`)));
    slot.worker.on('exit', (code) => fail(new Error(`extraction worker exited (code ${code})`)));
    slots[index] = slot;
    return slot;
  }

  function leastLoaded(): Slot {
    const unstarted = slots.indexOf(null);
    if (unstarted !== -1) return start(unstarted);
    return (slots as Slot[]).reduce((best, slot) => (slot.jobs.size < best.jobs.size ? slot : best));
  }

  return {
    extract(job) {
      if (closed) return Promise.reject(new Error('extraction pool is closed'));
      const slot = leastLoaded();
      const id = nextId++;
      return new Promise<ExtractResult>((resolve, reject) => {
        slot.jobs.set(id, { resolve, reject });
        slot.worker.postMessage({ id, job });
      });
    },
    async close() {
      closed = true;
      const running = slots.filter((s): s is Slot => s !== null);
      slots.fill(null);
      await Promise.all(running.map((s) => s.worker.terminate()));
    },
  };
}
