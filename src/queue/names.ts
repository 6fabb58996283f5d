/**
 * names: Ayahfinder's BullMQ queue names and job ids, without loading BullMQ:
 * "fingerprint" (a batch of files), "merge" (the parent of a build's fingerprint jobs),
 * "reindex" (scheduled rebuilds).
 */
import { QUEUE_FINGERPRINT, QUEUE_MERGE, QUEUE_REINDEX, type FingerprintJobData } from '../pipeline/jobs/types.js';

export const QUEUE_NAMES = [QUEUE_FINGERPRINT, QUEUE_MERGE, QUEUE_REINDEX] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export function isQueueName(name: string): name is QueueName {
  return (QUEUE_NAMES as readonly string[]).includes(name);
}

export function fingerprintJobId(c: Pick<FingerprintJobData, 'buildId' | 'batchKey'>): string {
  return `fp-${c.buildId}-${c.batchKey}`;
}

export function mergeJobId(buildId: string): string {
  return `merge-${buildId}`;
}

/** The id part of a job key "prefix:queue:id". */
export function jobIdOfKey(key: string): string {
  return key.slice(key.lastIndexOf(':') + 1);
}
