/**
 * bullmq runner: runs an index build as a BullMQ flow on REDIS_URL: the merge job is the
 * parent of the fingerprint jobs, so it runs when every batch is done, on whichever
 * worker (`ayah worker`) takes it. `submit` enqueues (what --detach does); `wait` follows
 * the flow until the merge completes, or a job has failed for good.
 */
import { FlowProducer } from 'bullmq';
import { AyahError, ExitCode } from '../../errors.js';
import { log } from '../../log.js';
import { fingerprintJobId, jobIdOfKey, mergeJobId } from '../../queue/names.js';
import { connectQueues, jobOptions, type Queues } from '../../queue/queues.js';
import type { ServiceConfig } from '../../services/config.js';
import { bullConnection, watchRedis } from '../../services/redis.js';
import { QUEUE_FINGERPRINT, QUEUE_MERGE, type MergeJobResult } from '../jobs/types.js';
import type { BuildFlow, BuildProgress, JobRunner } from './types.js';

const POLL_MS = 300;

function buildFailed(buildId: string, reason: string): AyahError {
  return new AyahError(
    `build ${buildId} failed: ${reason} (the failed job stays in the queue: \`ayah jobs\` shows it, \`ayah jobs retry\` runs it again)`,
    ExitCode.BAD_INPUT,
  );
}

/** How long closing may wait for Redis. */
const CLOSE_MS = 1500;

export class BullMqRunner implements JobRunner {
  readonly kind = 'bullmq' as const;
  private producer?: FlowProducer;

  private constructor(readonly queues: Queues) {}

  /** Checks that Redis answers (exit 5 with one line otherwise). */
  static async connect(config: ServiceConfig): Promise<BullMqRunner> {
    return new BullMqRunner(await connectQueues(config, 'the BullMQ runner'));
  }

  async submit(flow: BuildFlow): Promise<void> {
    this.producer ??= new FlowProducer({ connection: bullConnection(this.queues.redisUrl), prefix: this.queues.prefix });
    const opts = jobOptions();
    const producer = this.producer;
    await this.whileRedisAnswers(() => producer.add({
      name: 'merge',
      queueName: QUEUE_MERGE,
      data: flow.merge,
      opts: { ...opts, jobId: mergeJobId(flow.buildId) },
      children: flow.children.map((c) => ({ name: 'fingerprint', queueName: QUEUE_FINGERPRINT, data: c, opts: { ...opts, jobId: fingerprintJobId(c) } })),
    }));
    log.info({ buildId: flow.buildId, jobs: flow.children.length + 1 }, 'build flow enqueued');
  }

  /** Workers connected to the fingerprint queue. */
  async workers(): Promise<number> {
    return this.whileRedisAnswers(() => this.queues.get(QUEUE_FINGERPRINT).getWorkersCount());
  }

  /** Follows the build until it is merged; Redis lost for a few seconds is exit 5 (the build may still finish on the workers). */
  async wait(flow: BuildFlow, onProgress?: (p: BuildProgress) => void): Promise<MergeJobResult> {
    try {
      return await this.whileRedisAnswers(() => this.follow(flow, onProgress));
    } catch (err) {
      if (err instanceof AyahError && err.code === ExitCode.SERVICE_UNAVAILABLE)
        throw new AyahError(`${err.message}; build ${flow.buildId} may still complete on the workers (\`ayah jobs\` and \`ayah reciters show\` tell)`, err.code);
      throw err;
    }
  }

  /** Runs `work`; Redis lost for a few seconds meanwhile is exit 5 (BullMQ's own connections wait for it forever, and a command aborted by the lost connection waits for the verdict). */
  private async whileRedisAnswers<T>(work: () => Promise<T>): Promise<T> {
    const watch = watchRedis(this.queues.redisUrl);
    try {
      return await Promise.race([work().catch((err: unknown) => watch.settle(err)), watch.lost]);
    } finally {
      watch.stop();
    }
  }

  private async follow(flow: BuildFlow, onProgress?: (p: BuildProgress) => void): Promise<MergeJobResult> {
    const sizes = new Map(flow.children.map((c) => [fingerprintJobId(c), c.sources.length]));
    const merges = this.queues.get(QUEUE_MERGE);
    const fingerprints = this.queues.get(QUEUE_FINGERPRINT);
    let reported = -1;
    for (;;) {
      const parent = await merges.getJob(mergeJobId(flow.buildId));
      if (!parent) throw buildFailed(flow.buildId, `its merge job ${mergeJobId(flow.buildId)} is no longer in the queue`);
      const state = await parent.getState();
      if (state === 'completed') {
        // The job was read before it completed (its returnvalue then still null): read it again.
        const result = (parent.returnvalue ?? (await merges.getJob(mergeJobId(flow.buildId)))?.returnvalue) as MergeJobResult | null | undefined;
        if (!result) throw buildFailed(flow.buildId, `its merge job ${mergeJobId(flow.buildId)} completed without a result`);
        return result;
      }
      if (state === 'failed') throw buildFailed(flow.buildId, `merge: ${parent.failedReason}`);
      const deps = await parent.getDependencies();
      const done = Object.keys(deps.processed ?? {}).map(jobIdOfKey);
      if (done.length !== reported) {
        reported = done.length;
        onProgress?.({ done: done.length, total: flow.children.length, files: done.reduce((n, id) => n + (sizes.get(id) ?? 0), 0) });
      }
      if ((await fingerprints.getFailedCount()) > 0)
        for (const id of (deps.unprocessed ?? []).map(jobIdOfKey)) {
          if ((await fingerprints.getJobState(id)) !== 'failed') continue;
          const job = await fingerprints.getJob(id);
          throw buildFailed(flow.buildId, `fingerprint job ${id}: ${job?.failedReason ?? 'failed'}`);
        }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  /** Closes the connections; where Redis does not answer within CLOSE_MS (it is gone), drops them. */
  async close(): Promise<void> {
    const closed = Promise.all([this.producer?.close(), this.queues.close()]).then(() => true);
    const timer = new Promise<false>((r) => setTimeout(() => r(false), CLOSE_MS).unref());
    if (await Promise.race([closed, timer])) return;
    void this.producer?.disconnect().catch(() => undefined);
    this.queues.disconnect();
  }
}
