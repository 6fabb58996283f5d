/**
 * bullmq-workers: the BullMQ workers `ayah worker` runs, with the same handlers and build
 * steps as the in-process runner: fingerprint jobs on a pool of worker threads (so a
 * worker uses as many cores as its concurrency and its event loop stays free to renew job
 * locks), merge jobs one at a time, scheduled reindex jobs. A job that fails for good is
 * recorded in the catalog (build and reciter "failed", with the reason).
 * A worker killed without closing loses its job locks; after lockDuration another worker
 * takes the jobs again (stalled jobs).
 */
import os from 'node:os';
import { Worker, type Job, type Processor } from 'bullmq';
import type { CatalogAccess } from '../../catalog/access.js';
import { reasonOf } from '../../errors.js';
import { log } from '../../log.js';
import type { QueueName } from '../../queue/names.js';
import { envInt, requireRedis, type ServiceConfig } from '../../services/config.js';
import { bullConnection } from '../../services/redis.js';
import type { BuildSteps } from '../build/steps.js';
import {
  QUEUE_FINGERPRINT,
  QUEUE_MERGE,
  QUEUE_REINDEX,
  type FingerprintJobData,
  type FingerprintJobResult,
  type MergeJobData,
  type ReindexJobData,
} from '../jobs/types.js';
import { ThreadPool } from './thread-pool.js';

export interface WorkerOptions {
  queues: QueueName[];
  /** Fingerprint jobs at once (threads). */
  concurrency: number;
  steps: BuildSteps;
  catalog: CatalogAccess;
  /** Runs a scheduled reindex job. */
  reindex: (data: ReindexJobData) => Promise<unknown>;
}

export interface RunningWorkers {
  /** Stops taking jobs, lets the current ones finish, then closes. `force`: do not wait. */
  close(force?: boolean): Promise<void>;
}

/** Build and reciter of a job, for the record of its failure. */
function buildOf(job: Job): { buildId: string; reciterId: string } | undefined {
  if (job.queueName === QUEUE_FINGERPRINT) return { buildId: (job.data as FingerprintJobData).buildId, reciterId: (job.data as FingerprintJobData).reciterId };
  if (job.queueName === QUEUE_MERGE) return { buildId: (job.data as MergeJobData).buildId, reciterId: (job.data as MergeJobData).reciter.id };
  return undefined;
}

export function startWorkers(config: ServiceConfig, opts: WorkerOptions): RunningWorkers {
  const redisUrl = requireRedis(config, 'a BullMQ worker');
  const pool = opts.queues.includes(QUEUE_FINGERPRINT) ? new ThreadPool(opts.concurrency) : undefined;
  const processors: Record<QueueName, { run: Processor; concurrency: number }> = {
    [QUEUE_FINGERPRINT]: { run: (job: Job<FingerprintJobData>) => pool!.fingerprint(job.data), concurrency: opts.concurrency },
    [QUEUE_MERGE]: {
      run: async (job: Job<MergeJobData>) => {
        const children = Object.values(await job.getChildrenValues<FingerprintJobResult>());
        return opts.steps.merge(job.data, children, job.attemptsStarted > 1 || job.attemptsMade > 0);
      },
      concurrency: 1,
    },
    [QUEUE_REINDEX]: { run: (job: Job<ReindexJobData>) => opts.reindex(job.data), concurrency: 1 },
  };
  const lockDuration = envInt('AYAH_JOB_LOCK_MS', 30_000);
  const workers = opts.queues.map((name) => {
    const w = new Worker(name, processors[name].run, {
      connection: bullConnection(redisUrl),
      prefix: config.queuePrefix,
      concurrency: processors[name].concurrency,
      name: `${os.hostname()}/${process.pid}`,
      lockDuration,
      stalledInterval: lockDuration,
      maxStalledCount: 2,
    });
    w.on('error', (err) => log.warn({ queue: name, err: reasonOf(err) }, 'worker error'));
    w.on('completed', (job) => log.info({ queue: name, job: job.id }, 'job completed'));
    w.on('failed', (job, err) => void onFailed(job, err, opts.steps));
    return w;
  });
  log.info({ queues: opts.queues, concurrency: opts.concurrency, prefix: config.queuePrefix }, 'workers started');
  return {
    async close(force = false) {
      await Promise.all(workers.map((w) => w.close(force)));
      await pool?.close();
      await opts.catalog.close();
    },
  };
}

async function onFailed(job: Job | undefined, err: Error, steps: BuildSteps): Promise<void> {
  if (!job) return;
  try {
    const final = (await job.getState()) === 'failed';
    log.warn({ queue: job.queueName, job: job.id, attempt: job.attemptsMade, final, err: err.message }, 'job failed');
    const build = buildOf(job);
    if (final && build) await steps.failed(build.buildId, build.reciterId, `${job.queueName} job ${job.id}: ${err.message}`);
  } catch (e) {
    log.error({ job: job.id, err: reasonOf(e) }, 'could not record a failed job');
  }
}
