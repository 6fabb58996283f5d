/**
 * in-process runner: runs an index build's jobs inside this process, with the same
 * handlers the BullMQ workers run. Fingerprint jobs run on a pool of worker threads
 * (one per core); the merge runs when every child is done.
 */
import os from 'node:os';
import { runMergeJob } from '../jobs/handlers.js';
import type { FingerprintJobResult } from '../jobs/types.js';
import { ThreadPool } from './thread-pool.js';
import type { BuildFlow, BuildProgress, JobRunner } from './types.js';

export class InProcessRunner implements JobRunner {
  readonly kind = 'in-process' as const;
  private pool?: ThreadPool;

  constructor(private readonly concurrency = Math.max(1, os.availableParallelism())) {}

  async runBuild(flow: BuildFlow, onProgress?: (p: BuildProgress) => void) {
    this.pool ??= new ThreadPool(this.concurrency);
    const total = flow.children.length;
    let done = 0;
    let files = 0;
    const results: FingerprintJobResult[] = await Promise.all(
      flow.children.map(async (child) => {
        const r = await this.pool!.fingerprint(child);
        done++;
        files += child.sources.length;
        onProgress?.({ done, total, files });
        return r;
      }),
    );
    return runMergeJob(flow.merge, results);
  }

  async close(): Promise<void> {
    await this.pool?.close();
    this.pool = undefined;
  }
}
