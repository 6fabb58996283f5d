/**
 * `ayah worker [--concurrency N] [--queues fingerprint,merge,reindex]`: run BullMQ workers
 * on REDIS_URL with the pipeline's job handlers, until SIGTERM/SIGINT: then stop taking
 * jobs, finish the current ones and exit (a second signal exits at once; its jobs are
 * taken again by another worker once their lock expires).
 */
import os from 'node:os';
import type { Command } from 'commander';
import { CatalogAccess } from '../../catalog/access.js';
import { AyahError, ExitCode } from '../../errors.js';
import { log } from '../../log.js';
import { BullMqRunner } from '../../pipeline/runner/bullmq.js';
import { startWorkers } from '../../pipeline/runner/bullmq-workers.js';
import { buildSteps } from '../../pipeline/build/steps.js';
import { rebuildIndex } from '../../pipeline/rebuild.js';
import type { ReindexJobData } from '../../pipeline/jobs/types.js';
import { connectQueues, isQueueName, QUEUE_NAMES, type QueueName } from '../../queue/queues.js';
import { serviceConfig, type ServiceConfig } from '../../services/config.js';
import { redisAddress } from '../../services/redis.js';
import { action, positiveInt } from '../run.js';

interface Options {
  concurrency?: number;
  queues: string;
}

export function register(program: Command): void {
  program
    .command('worker')
    .description('run BullMQ workers (REDIS_URL) for index builds and scheduled reindexing, until SIGTERM/SIGINT')
    .option('--concurrency <n>', 'fingerprint jobs at once (default: the number of cores)', positiveInt)
    .option('--queues <list>', `queues to serve, comma-separated: ${QUEUE_NAMES.join(',')}`, QUEUE_NAMES.join(','))
    .action(action(async (opts: Options) => runWorker(opts)));
}

function queuesOf(list: string): QueueName[] {
  const names = list.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = names.filter((n) => !isQueueName(n));
  if (bad.length || names.length === 0) throw new AyahError(`--queues: unknown queue ${bad.join(', ') || '(none)'}; use ${QUEUE_NAMES.join(', ')}`, ExitCode.USAGE);
  return names as QueueName[];
}

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

async function runWorker(opts: Options): Promise<number> {
  const config = serviceConfig();
  const queues = queuesOf(opts.queues);
  await (await connectQueues(config, 'ayah worker')).close();
  const catalog = new CatalogAccess(config, 'ayah worker');
  await catalog.use(async () => undefined); // PostgreSQL unreachable: say so now, not at the first merge
  const concurrency = opts.concurrency ?? Math.max(1, os.availableParallelism());
  const workers = startWorkers(config, { queues, concurrency, steps: buildSteps(catalog), catalog, reindex: reindexer(config, catalog) });
  log.info({ redis: redisAddress(config.redisUrl!), prefix: config.queuePrefix, queues, concurrency }, 'ayah worker ready');
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        log.warn({ signal }, 'second signal: exiting without waiting for the current jobs');
        void workers.close(true).finally(() => process.exit(128 + os.constants.signals[signal]));
        return;
      }
      stopping = true;
      log.warn({ signal }, 'stopping: no new jobs; finishing the current ones');
      void workers.close().then(resolve, resolve);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  return ExitCode.OK;
}
