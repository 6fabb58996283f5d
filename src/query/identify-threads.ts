/**
 * identify-threads: one call of many files identified on several threads at once, so that
 * both cores vote and read (a clip waits on LanceDB's threads for each look-up, and votes
 * over its postings on one JavaScript thread). Each thread opens the index itself and runs the
 * very same Identifier.identifyFiles on every n-th input; the answers are delivered here in
 * input order. Throughput, not latency: each clip shares the cores with the other threads'.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { AyahError, type ExitCodeValue } from '../errors.js';
import { log } from '../log.js';
import type { IdentifyAnswer } from '../types.js';
import type { IdentifyOptions } from './identifier.js';

/** What an identify thread is given (identify-thread.ts). */
export interface IdentifyThreadData {
  home: string;
  inputs: string[];
  opts: IdentifyOptions;
  logLevel: string;
}

/** What an identify thread says: an answer (its inputs' answers come in their order), that it is done, or why it failed. */
export type IdentifyThreadMessage = { kind: 'answer'; answer: IdentifyAnswer } | { kind: 'done' } | { kind: 'failed'; message: string; code?: ExitCodeValue; stack?: string };

/** Fewest inputs per thread: a thread opens the index again (~0.1–0.3 s cold), which a few clips do not repay. */
export const MIN_INPUTS_PER_THREAD = 16;

/** Threads for a call of `inputs` files: `jobs` when asked (at most one per input); by default one per core, from MIN_INPUTS_PER_THREAD inputs each. */
export function identifyThreadsFor(inputs: number, jobs?: number): number {
  if (jobs !== undefined) return Math.max(1, Math.min(jobs, inputs));
  return Math.max(1, Math.min(os.availableParallelism(), Math.floor(inputs / MIN_INPUTS_PER_THREAD)));
}

/** Identifies `inputs` (files, none a stream) of the index at AYAH_HOME `home` on `threads` threads, delivering the answers in input order. */
export async function identifyOnThreads(home: string, inputs: string[], opts: IdentifyOptions, deliver: (answer: IdentifyAnswer) => void, threads: number): Promise<void> {
  const answers: (IdentifyAnswer | undefined)[] = new Array(inputs.length);
  let next = 0;
  const workers: Worker[] = [];
  try {
    await Promise.all(
      Array.from({ length: threads }, (_, k) => {
        const data: IdentifyThreadData = { home, inputs: inputs.filter((_, i) => i % threads === k), opts, logLevel: log.level };
        const w = new Worker(new URL('./identify-thread.js', import.meta.url), { workerData: data });
        workers.push(w);
        let answered = 0;
        return new Promise<void>((resolve, reject) => {
          w.on('message', (msg: IdentifyThreadMessage) => {
            if (msg.kind === 'answer') {
              answers[k + threads * answered++] = msg.answer;
              for (; next < inputs.length && answers[next]; next++) {
                deliver(answers[next]!);
                answers[next] = undefined;
              }
            } else if (msg.kind === 'done') resolve();
            else reject(msg.code !== undefined ? new AyahError(msg.message, msg.code) : Object.assign(new Error(msg.message), { stack: msg.stack }));
          });
          w.on('error', reject);
          w.on('exit', (code) => reject(new Error(`an identify thread ended before its answers (exit code ${code})`)));
        });
      }),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
