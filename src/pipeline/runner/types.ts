/**
 * The runner contract: how an index build flow (fingerprint children + merge parent) is
 * executed. InProcessRunner (embedded default) and BullMqRunner (REDIS_URL) implement it,
 * both running the same handlers and build steps.
 */
import type { FingerprintJobData, MergeJobData, MergeJobResult } from '../jobs/types.js';

export interface BuildFlow {
  buildId: string;
  children: FingerprintJobData[];
  merge: MergeJobData;
}

export interface BuildProgress {
  done: number;
  total: number;
  /** Files fingerprinted so far. */
  files: number;
}

export interface JobRunner {
  readonly kind: 'in-process' | 'bullmq';
  /** Makes the build durable: BullMQ enqueues the flow; the in-process runner has nothing to do. */
  submit(flow: BuildFlow): Promise<void>;
  /** Runs (in-process) or waits for (BullMQ) a submitted build; rejects when it fails for good. */
  wait(flow: BuildFlow, onProgress?: (p: BuildProgress) => void): Promise<MergeJobResult>;
  close(): Promise<void>;
}
