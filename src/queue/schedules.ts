/**
 * schedules: scheduled reindexing with BullMQ job schedulers on the "reindex" queue: a
 * cron pattern or a fixed interval; every firing queues one reindex job for the workers.
 */
import { QUEUE_REINDEX, type ReindexJobData } from '../pipeline/jobs/types.js';
import type { Queues } from './queues.js';

export interface Schedule {
  id: string;
  cron?: string;
  tz?: string;
  everyMs?: number;
  /** When it fires next (ISO), if known. */
  next?: string;
  data?: ReindexJobData;
}

export type Repeat = { cron: string; tz?: string } | { everyMs: number };

export async function upsertReindexSchedule(queues: Queues, id: string, repeat: Repeat, data: ReindexJobData): Promise<Schedule> {
  const q = queues.get(QUEUE_REINDEX);
  await q.upsertJobScheduler(id, 'cron' in repeat ? { pattern: repeat.cron, ...(repeat.tz ? { tz: repeat.tz } : {}) } : { every: repeat.everyMs }, {
    name: 'reindex',
    data,
    opts: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
  });
  return (await listSchedules(queues)).find((s) => s.id === id)!;
}

export async function listSchedules(queues: Queues): Promise<Schedule[]> {
  const list = await queues.get(QUEUE_REINDEX).getJobSchedulers(0, -1, true);
  return list.map((s) => ({
    id: s.id ?? s.key,
    ...(s.pattern ? { cron: s.pattern } : {}),
    ...(s.tz ? { tz: s.tz } : {}),
    ...(s.every ? { everyMs: Number(s.every) } : {}),
    ...(s.next ? { next: new Date(Number(s.next)).toISOString() } : {}),
    ...(s.template?.data ? { data: s.template.data as ReindexJobData } : {}),
  }));
}

export async function removeSchedule(queues: Queues, id: string): Promise<boolean> {
  return queues.get(QUEUE_REINDEX).removeJobScheduler(id);
}
