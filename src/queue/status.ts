/**
 * status: what `ayah jobs` shows and does: job counts of each queue, the failed jobs with
 * their reasons, the connected workers, and retrying failed jobs (a failed fingerprint job
 * retried and completed lets its build's merge run).
 */
import type { Job } from 'bullmq';
import { QUEUE_NAMES, type QueueName } from './names.js';
import type { Queues } from './queues.js';

export const COUNTED_STATES = ['waiting', 'active', 'delayed', 'waiting-children', 'completed', 'failed'] as const;

export interface FailedJob {
  queue: QueueName;
  id: string;
  /** The build the job belongs to (fingerprint and merge jobs). */
  buildId?: string;
  reciterId?: string;
  attempts: number;
  maxAttempts: number;
  failedAt: string;
  reason: string;
}

export interface QueueStatus {
  queue: QueueName;
  counts: Record<(typeof COUNTED_STATES)[number], number>;
  workers: string[];
}

function failedJobOf(queue: QueueName, job: Job): FailedJob {
  const data = (job.data ?? {}) as { buildId?: string; reciterId?: string; reciter?: { id: string } };
  return {
    queue,
    id: String(job.id),
    ...(data.buildId ? { buildId: data.buildId } : {}),
    ...(data.reciterId || data.reciter ? { reciterId: data.reciterId ?? data.reciter!.id } : {}),
    attempts: job.attemptsMade,
    maxAttempts: job.opts.attempts ?? 1,
    failedAt: new Date(job.finishedOn ?? job.timestamp).toISOString(),
    reason: job.failedReason ?? 'unknown',
  };
}

export async function queueStatus(queues: Queues): Promise<QueueStatus[]> {
  return Promise.all(
    QUEUE_NAMES.map(async (name) => {
      const q = queues.get(name);
      const [counts, workers] = await Promise.all([q.getJobCounts(...COUNTED_STATES), q.getWorkers()]);
      return {
        queue: name,
        counts: Object.fromEntries(COUNTED_STATES.map((s) => [s, counts[s] ?? 0])) as QueueStatus['counts'],
        workers: workers.map((w) => (w.rawname?.includes(':w:') ? w.rawname.slice(w.rawname.indexOf(':w:') + 3) : w.addr) ?? 'unnamed'),
      };
    }),
  );
}

export async function failedJobs(queues: Queues, names: readonly QueueName[] = QUEUE_NAMES, limit = 100): Promise<FailedJob[]> {
  const lists = await Promise.all(names.map(async (name) => (await queues.get(name).getFailed(0, limit - 1)).map((j) => failedJobOf(name, j))));
  return lists.flat().sort((a, b) => b.failedAt.localeCompare(a.failedAt));
}

/** Retries failed jobs: the given ids, or every failed job of `names`. Returns those retried. */
export async function retryFailed(queues: Queues, names: readonly QueueName[], ids?: string[]): Promise<FailedJob[]> {
  const retried: FailedJob[] = [];
  for (const name of names) {
    const q = queues.get(name);
    const jobs = ids ? (await Promise.all(ids.map((id) => q.getJob(id)))).filter((j): j is Job => Boolean(j)) : await q.getFailed(0, -1);
    for (const job of jobs) {
      if ((await job.getState()) !== 'failed') continue;
      const failed = failedJobOf(name, job);
      await job.retry('failed');
      retried.push(failed);
    }
  }
  return retried;
}
