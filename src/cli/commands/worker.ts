/**
 * `ayah worker [--concurrency N] [--queues fingerprint,merge,reindex]`: run BullMQ workers
 * on REDIS_URL with the pipeline's job handlers until SIGTERM/SIGINT (see
 * pipeline/runner/worker-process.ts). Loads BullMQ only when run.
 */
import os from 'node:os';
import type { Command } from 'commander';
import { AyahError, ExitCode } from '../../errors.js';
import { isQueueName, QUEUE_NAMES, type QueueName } from '../../queue/names.js';
import { serviceConfig } from '../../services/config.js';
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
    .action(
      action(async (opts: Options) => {
        const queues = queuesOf(opts.queues);
        const { runWorkerProcess } = await import('../../pipeline/runner/worker-process.js');
        await runWorkerProcess(serviceConfig(), queues, opts.concurrency ?? Math.max(1, os.availableParallelism()));
        return ExitCode.OK;
      }),
    );
}

function queuesOf(list: string): QueueName[] {
  const names = list.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = names.filter((n) => !isQueueName(n));
  if (bad.length || names.length === 0) throw new AyahError(`--queues: unknown queue ${bad.join(', ') || '(none)'}; use ${QUEUE_NAMES.join(', ')}`, ExitCode.USAGE);
  return names as QueueName[];
}
