/**
 * flow: an index build as a flow of jobs: the sources split into fingerprint jobs of a
 * few files each (children), and the merge job (parent) that commits them together.
 */
import { randomBytes } from 'node:crypto';
import { envInt } from '../../services/config.js';
import type { Reciter, RecordingSource } from '../../types.js';
import type { FingerprintJobData, MergeJobData } from '../jobs/types.js';
import type { BuildFlow } from '../runner/types.js';

/** Files per fingerprint job: small enough to spread over workers, big enough to amortise a job (AYAH_FILES_PER_JOB). */
export const FILES_PER_JOB = envInt('AYAH_FILES_PER_JOB', 32);

/** A new build id: UTC time and a random suffix ("20240501T030000123-a1b2c3"); no ':' (BullMQ job ids). */
export function newBuildId(): string {
  return `${new Date().toISOString().replace(/[-:.Z]/g, '')}-${randomBytes(3).toString('hex')}`;
}

export interface FlowInput {
  buildId: string;
  indexDir: string;
  reciter: Reciter;
  sources: RecordingSource[];
  /** This reciter's indexed recordings (relative paths) to take out: files gone from its folder. */
  dropRelPaths: string[];
  /** A rebuild: replace every recording, unchanged ones too. */
  reindexAll?: boolean;
  /** add-reciter: validate the files in the fingerprint jobs, judge the folder in the merge. */
  validation?: MergeJobData['validation'];
}

export function buildFlowOf(input: FlowInput): BuildFlow {
  const { buildId, indexDir, reciter, validation } = input;
  const validate = validation && { root: validation.folder.dir, riwayah: validation.folder.riwayah };
  const children: FingerprintJobData[] = [];
  for (let i = 0; i < input.sources.length; i += FILES_PER_JOB) {
    children.push({
      buildId,
      indexDir,
      reciterId: reciter.id,
      batchKey: String(children.length).padStart(5, '0'),
      sources: input.sources.slice(i, i + FILES_PER_JOB),
      ...(validate ? { validate } : {}),
    });
  }
  const merge: MergeJobData = { buildId, indexDir, reciter, dropRelPaths: input.dropRelPaths, ...(input.reindexAll ? { reindexAll: true } : {}), ...(validation ? { validation } : {}) };
  return { buildId, children, merge };
}

export function filesOf(flow: BuildFlow): number {
  return flow.children.reduce((n, c) => n + c.sources.length, 0);
}
