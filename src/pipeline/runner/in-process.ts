/**
 * in-process runner: runs an index build's jobs inside this process, with the same
 * handlers the BullMQ workers run. Fingerprint jobs run on a pool of worker threads
 * (one per core); the merge step runs when every child is done. No retries: a failed
 * job fails the build, recorded as such.
 */
import os from 'node:os';
import { reasonOf } from '../../errors.js';
import type { BuildSteps } from '../build/steps.js';
import type { FingerprintJobResult } from '../jobs/types.js';
import { ThreadPool } from './thread-pool.js';
import type { BuildFlow, BuildProgress, JobRunner } from './types.js';

export class InProcessRunner implements JobRunner {
  readonly kind = 'in-process' as const;
  private pool?: ThreadPool;

  constructor(
    private readonly steps: BuildSteps,
    private readonly concurrency = Math.max(1, os.availableParallelism()),
  ) {}

  async submit(): Promise<void> {}

  async wait(flow: BuildFlow, onProgress?: (p: BuildProgress) => void) {
    this.pool ??= new ThreadPool(this.concurrency);
    const total = flow.children.length;
    let done = 0;
    let files = 0;
    try {
      const results: FingerprintJobResult[] = await Promise.all(
        flow.children.map(async (child) => {
          const r = await this.pool!.fingerprint(child);
          done++;
          files += child.sources.length;
          onProgress?.({ done, total, files });
          return r;
        }),
      );
      return await this.steps.merge(flow.merge, results, false);
    } catch (err) {
      await this.steps.failed(flow.buildId, flow.merge.reciter.id, reasonOf(err)).catch(() => undefined);
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.pool?.close();
    this.pool = undefined;
  }
}
