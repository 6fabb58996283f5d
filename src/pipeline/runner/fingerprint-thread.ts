/**
 * fingerprint-thread: the body of a ThreadPool worker thread: runs runFingerprintJob.
 */
import { parentPort } from 'node:worker_threads';
import { reasonOf } from '../../errors.js';
import { runFingerprintJob } from '../jobs/handlers.js';
import type { FingerprintJobData } from '../jobs/types.js';

parentPort?.on('message', (data: FingerprintJobData) => {
  runFingerprintJob(data).then(
    (result) => parentPort?.postMessage({ ok: true, result }),
    (err: unknown) => parentPort?.postMessage({ ok: false, error: reasonOf(err) }),
  );
});
