// A worker thread that contends for the ledger lock once per trial, all trials started by the
// test at once through a shared counter, and reports whether it won.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { acquireLock } = await import(workerData.module);
const go = new Int32Array(workerData.signal);
parentPort.postMessage({ ready: true });
let trial = 0;
for (;;) {
  // Waits until the test starts the next trial: a wait can also end with the counter unchanged
  // (seen about once in 5,000 trials under load), and a contender that ran its trial again then
  // raced the test setting up the next one.
  while (Atomics.load(go, 0) === trial) Atomics.wait(go, 0, trial);
  trial = Atomics.load(go, 0);
  if (trial < 0) break;
  try {
    acquireLock(workerData.db);
    parentPort.postMessage({ trial, outcome: 'won' });
  } catch (e) {
    parentPort.postMessage({ trial, outcome: e.kind === 'locked' ? 'locked' : `error: ${e.message}` });
  }
}
