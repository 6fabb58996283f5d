/**
 * queues: Ayahfinder's BullMQ queues on REDIS_URL, under the key prefix AYAH_QUEUE_PREFIX
 * (names: ./names.ts): the retry policy and the Queue handles.
 */
import { Queue, type DefaultJobOptions } from 'bullmq';
import type { QueueName } from './names.js';
import { bullConnection, connectRedis } from '../services/redis.js';
import { envInt, requireRedis, type ServiceConfig } from '../services/config.js';

/** Retries with exponential backoff; completed jobs kept a day, failed ones until retried or removed. */
export function jobOptions(env: NodeJS.ProcessEnv = process.env): DefaultJobOptions {
  return {
    attempts: envInt('AYAH_JOB_ATTEMPTS', 3, env),
    backoff: { type: 'exponential', delay: envInt('AYAH_JOB_BACKOFF_MS', 1000, env) },
    removeOnComplete: { age: 24 * 3600, count: 1000 },
    removeOnFail: false,
  };
}

/** Queue handles of one Redis and prefix, opened on first use. */
export class Queues {
  private readonly open = new Map<QueueName, Queue>();

  constructor(
    readonly redisUrl: string,
    readonly prefix: string,
  ) {}

  get(name: QueueName): Queue {
    let q = this.open.get(name);
    if (!q) {
      q = new Queue(name, { connection: bullConnection(this.redisUrl), prefix: this.prefix, defaultJobOptions: jobOptions() });
      q.on('error', () => undefined);
      this.open.set(name, q);
    }
    return q;
  }

  async close(): Promise<void> {
    await Promise.all([...this.open.values()].map((q) => q.close()));
    this.open.clear();
  }

  /** Drops the connections without waiting for Redis (it may be gone). */
  disconnect(): void {
    for (const q of this.open.values()) void q.disconnect().catch(() => undefined);
    this.open.clear();
  }
}

/** The queues of REDIS_URL, once Redis has answered (exit 5 with one line otherwise); `what` needs them. */
export async function connectQueues(config: ServiceConfig, what: string): Promise<Queues> {
  const url = requireRedis(config, what);
  (await connectRedis(url)).disconnect();
  return new Queues(url, config.queuePrefix);
}

/** Runs `fn` with the queues of REDIS_URL (checked first), then closes them. */
export async function withQueues<T>(config: ServiceConfig, what: string, fn: (q: Queues) => Promise<T>): Promise<T> {
  const queues = await connectQueues(config, what);
  try {
    return await fn(queues);
  } finally {
    await queues.close();
  }
}
