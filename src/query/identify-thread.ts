/**
 * identify-thread: the body of an identify thread (identify-threads.ts): opens the index and
 * identifies its inputs as a call on one thread does, posting each answer as it comes.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AyahError, reasonOf } from '../errors.js';
import { log } from '../log.js';
import { Identifier } from './identifier.js';
import type { IdentifyThreadData, IdentifyThreadMessage } from './identify-threads.js';

const { home, inputs, opts, logLevel } = workerData as IdentifyThreadData;
const post = (msg: IdentifyThreadMessage) => parentPort!.postMessage(msg);
log.level = logLevel;
try {
  const identifier = await Identifier.open(home);
  try {
    await identifier.identifyFiles(inputs, opts, (answer) => post({ kind: 'answer', answer }));
  } finally {
    await identifier.close();
  }
  post({ kind: 'done' });
} catch (err) {
  post({ kind: 'failed', message: err instanceof AyahError ? err.message : reasonOf(err), code: err instanceof AyahError ? err.code : undefined, stack: (err as Error)?.stack });
}
