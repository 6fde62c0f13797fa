/**
 * The body of an extraction worker thread: runs the same pure extraction as the main thread,
 * so a sync can parse pages on every core while the main thread fetches and stores.
 */
import { parentPort } from 'node:worker_threads';
import { extractSnapshot, type SnapshotExtractionJob } from '../extract/registry.ts';

parentPort!.on('message', ({ id, job }: { id: number; job: SnapshotExtractionJob }) => {
  parentPort!.postMessage({ id, result: extractSnapshot(job) });
});
// Loaded: from here on a death is a page's doing, not the thread's failure to start.
parentPort!.postMessage({ ready: true });
