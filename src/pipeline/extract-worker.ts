/**
 * The body of an extraction worker thread: runs the same pure extraction as the main thread,
 * and compresses the body as the ledger stores it, so a sync can parse and compress pages on every
 * core while the main thread fetches and stores.
 */
import { parentPort } from 'node:worker_threads';
import { extractSnapshot, type SnapshotExtractionJob } from '../extract/registry.ts';
import { compressBody } from '../store/compression.ts';

parentPort!.on('message', ({ id, job }: { id: number; job: SnapshotExtractionJob }) => {
  parentPort!.postMessage({ id, result: extractSnapshot(job), compressed: compressBody(job.body) });
});
// Loaded: from here on a death is a page's doing, not the thread's failure to start.
parentPort!.postMessage({ ready: true });
