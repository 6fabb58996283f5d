/**
 * worker-process: the life of an `ayah worker` process: check Redis and the catalog, run
 * the BullMQ workers (fingerprint, merge, reindex) until SIGTERM/SIGINT, then stop taking
 * jobs, finish the current ones and return. A second signal exits at once (128 + signal);
 * its jobs are taken again by another worker once their lock expires.
 */
import { CatalogAccess } from '../../catalog/access.js';
import { AyahError, ExitCode } from '../../errors.js';
import { log } from '../../log.js';
import type { QueueName } from '../../queue/names.js';
import { connectQueues } from '../../queue/queues.js';
import type { ServiceConfig } from '../../services/config.js';
import { redisAddress, watchRedis } from '../../services/redis.js';
import { buildSteps } from '../build/steps.js';
import type { ReindexJobData } from '../jobs/types.js';
import { rebuildIndex } from '../rebuild.js';
import { gracefulStop } from '../../signals.js';
import { BullMqRunner } from './bullmq.js';
import { startWorkers } from './bullmq-workers.js';

/** A scheduled reindex on this worker; another rebuild running is not a failure. */
function reindexer(config: ServiceConfig, catalog: CatalogAccess) {
  return async (data: ReindexJobData) => {
    const runner = await BullMqRunner.connect(config);
    try {
      return await rebuildIndex({ config, catalog, runner, close: async () => undefined }, data.indexDir, { compactOnly: data.compactOnly });
    } catch (err) {
      if (err instanceof AyahError && err.code === ExitCode.BUSY) return { skipped: err.message };
      throw err;
    } finally {
      await runner.close();
    }
  };
}

export async function runWorkerProcess(config: ServiceConfig, queues: QueueName[], concurrency: number): Promise<void> {
  await (await connectQueues(config, 'ayah worker')).close();
  const catalog = new CatalogAccess(config, 'ayah worker');
  await catalog.use(async () => undefined); // PostgreSQL unreachable: say so now, not at the first merge
  const workers = startWorkers(config, { queues, concurrency, steps: buildSteps(catalog), catalog, reindex: reindexer(config, catalog) });
  log.info({ redis: redisAddress(config.redisUrl!), prefix: config.queuePrefix, queues, concurrency }, 'ayah worker ready');
  // A second signal exits at once (src/signals.ts), even while Redis is down; Redis lost
  // for a few seconds ends the worker with exit 5 (its jobs go to another worker).
  const watch = watchRedis(config.redisUrl!);
  try {
    await Promise.race([
      new Promise<void>((resolve) =>
        gracefulStop((signal) => {
          log.warn({ signal }, 'stopping: no new jobs; finishing the current ones');
          void workers.close().then(resolve, resolve);
        }),
      ),
      watch.lost,
    ]);
  } finally {
    watch.stop();
  }
}
