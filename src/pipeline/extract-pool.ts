import type { Worker } from 'node:worker_threads';
import type { ExtractResult } from '../schema/claim.ts';
import type { SnapshotExtractionJob } from '../extract/registry.ts';
import { startWorker } from '../worker-flags.ts';

/**
 * One extraction's result, and the body compressed for storage when a worker thread had it in hand:
 * compressing there keeps a few hundred milliseconds per thousand pages off the thread that
 * fetches and stores.
 */
export interface Extracted {
  result: ExtractResult;
  compressed?: Uint8Array;
}

/** Runs extractions; `close` releases whatever threads it holds. */
export interface Extraction {
  extract(job: SnapshotExtractionJob): Promise<Extracted>;
  close(): Promise<void>;
}

/**
 * The extractors, imported when this thread first extracts: the HTML and markdown parsers take
 * ~0.1 s to load, which a command that extracts nothing (explain, approve, a re-sync of 304s, a
 * sync whose pages all go to worker threads) never pays.
 */
let registry: Promise<typeof import('../extract/registry.ts')> | undefined;
const extractors = () => (registry ??= import('../extract/registry.ts'));

/** Extraction on the calling thread: no start-up cost, for runs with few pages. */
export const inlineExtraction: Extraction = {
  extract: async (job) => ({ result: (await extractors()).extractSnapshot(job) }),
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
  const compiled = here.endsWith('.js');
  const options = { resourceLimits: { maxOldGenerationSizeMb: maxHeapMb } };
  if (compiled) return startWorker(new URL('./extract-worker.js', here), options, { compiled });
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./extract-worker.ts', here).href;
  const boot = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
  return startWorker(boot, { ...options, eval: true }, { compiled });
}

interface Job {
  job: SnapshotExtractionJob;
  resolve: (extracted: Extracted) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  running: Map<number, Job>;
  /** Whether its modules loaded: a worker that dies before that could not start at all. */
  ready: boolean;
}

/**
 * Jobs handed to one worker ahead: enough that a long storing transaction on the main thread
 * (~100 ms) never leaves it idle, few enough that a worker's death fails only these.
 */
const PER_WORKER = 32;

/**
 * Extraction on worker threads, started on first use and fed from one queue as they free up.
 * A worker that dies while extracting fails only the jobs it held (one of them killed it); the
 * next job starts a fresh one in its place. A worker that cannot even start (a broken install,
 * a flag the host process passed on) is an environment problem, not a page's: the pool then
 * extracts on the calling thread, one job per turn of the event loop, and says so in each result.
 * (Letting the main thread extract alongside healthy workers was tried: on two cores it made a
 * 1,000-page sync slower, the fetching and storing thread being crowded out.)
 */
export function createExtractionPool({ workers, maxHeapMb = 1024 }: ExtractionPoolOptions): Extraction {
  const slots: Array<Slot | null> = Array.from({ length: Math.max(1, workers) }, () => null);
  const waiting: Job[] = [];
  let nextId = 0;
  let closed = false;
  /** Set when a worker could not start: why, for the note on every result extracted without one. */
  let noWorkers: string | null = null;
  let draining = false;

  function start(index: number): Slot {
    const slot: Slot = { worker: spawnWorker(maxHeapMb), running: new Map(), ready: false };
    slot.worker.on('message', (message: { ready?: true; id: number } & Extracted) => {
      if (message.ready) {
        slot.ready = true;
        return;
      }
      slot.running.get(message.id)?.resolve({ result: message.result, compressed: message.compressed });
      slot.running.delete(message.id);
      dispatch();
    });
    const fail = (error: Error) => {
      if (slots[index] === slot) slots[index] = null;
      const held = [...slot.running.values()];
      slot.running.clear();
      if (slot.ready || closed) {
        for (const job of held) job.reject(error);
      } else {
        noWorkers ??= error.message;
        waiting.unshift(...held);
      }
      if (!closed) dispatch();
    };
    slot.worker.on('error', (error) => fail(new Error(`extraction worker failed: ${error.message}`)));
    slot.worker.on('exit', (code) => fail(new Error(`extraction worker exited (code ${code})`)));
    slots[index] = slot;
    return slot;
  }

  function freeSlot(): Slot | null {
    const unstarted = slots.indexOf(null);
    if (unstarted !== -1) {
      try {
        return start(unstarted);
      } catch (error) {
        // Refused at once, not dying later: the same environment problem as a worker that dies loading.
        noWorkers ??= `extraction worker could not start: ${(error as Error).message}`;
        return null;
      }
    }
    const least = (slots as Slot[]).reduce((best, slot) => (slot.running.size < best.running.size ? slot : best));
    return least.running.size < PER_WORKER ? least : null;
  }

  /** Without workers: one waiting job on this thread, then back to the event loop before the next. */
  async function extractHere(): Promise<void> {
    draining = false;
    const next = waiting.shift();
    if (!next || closed) return;
    try {
      const result = (await extractors()).extractSnapshot(next.job);
      next.resolve({ result: { ...result, notes: [...result.notes, `extracted on the main thread: ${noWorkers}`] } });
    } catch (error) {
      next.reject(error as Error);
    }
    dispatch();
  }

  function dispatch(): void {
    if (noWorkers !== null) {
      if (waiting.length && !draining) {
        draining = true;
        setImmediate(extractHere);
      }
      return;
    }
    for (let slot = waiting.length ? freeSlot() : null; slot; slot = waiting.length ? freeSlot() : null) {
      const job = waiting.shift()!;
      const id = nextId++;
      slot.running.set(id, job);
      slot.worker.postMessage({ id, job: job.job });
    }
    if (noWorkers !== null) dispatch();
  }

  return {
    extract(job) {
      if (closed) return Promise.reject(new Error('extraction pool is closed'));
      return new Promise<Extracted>((resolve, reject) => {
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
