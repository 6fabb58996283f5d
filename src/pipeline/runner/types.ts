/**
 * The runner contract: how an index build flow (fingerprint children + merge parent) is
 * executed. InProcessRunner (embedded default) and the BullMQ runner implement it.
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
  runBuild(flow: BuildFlow, onProgress?: (p: BuildProgress) => void): Promise<MergeJobResult>;
  close(): Promise<void>;
}
