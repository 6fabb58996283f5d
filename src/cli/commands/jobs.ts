/**
 * `ayah jobs [--json]`: job counts of each queue, connected workers and failed jobs with
 * their reasons. `ayah jobs retry [ID...] [--queue NAME]`: queue failed jobs again (all of
 * them, or the given ids); their builds are queued again in the catalog. BullMQ and the
 * catalog load only when run.
 */
import type { Command } from 'commander';
import { AyahError, ExitCode } from '../../errors.js';
import { isQueueName, QUEUE_NAMES, type QueueName } from '../../queue/names.js';
import type { Queues } from '../../queue/queues.js';
import type { FailedJob } from '../../queue/status.js';
import { serviceAddress } from '../../services/unreachable.js';
import { serviceConfig } from '../../services/config.js';
import { printJson, printLines, table } from '../output.js';
import { action } from '../run.js';

async function withQueues(fn: (q: Queues) => Promise<number>): Promise<number> {
  const { withQueues: run } = await import('../../queue/queues.js');
  return run(serviceConfig(), 'ayah jobs', fn);
}

export function register(program: Command): void {
  const jobs = program
    .command('jobs')
    .description('queue counts, workers and failed jobs with their reasons (REDIS_URL)')
    .option('--json', 'print as JSON')
    .action(action(async (opts: { json?: boolean }) => withQueues((q) => show(q, opts.json))));
  jobs
    .command('retry')
    .description('queue failed jobs again: every failed job, or the given job ids')
    .argument('[ids...]', 'job ids (as `ayah jobs` shows them)')
    .option('--queue <name>', `only this queue: ${QUEUE_NAMES.join(', ')}`)
    .option('--json', 'print the retried jobs as JSON')
    .action(action(async (ids: string[], opts: { queue?: string; json?: boolean }) => withQueues((q) => retry(q, ids, opts))));
}

function failedLine(f: FailedJob): string {
  return `  ${f.queue} ${f.id}${f.reciterId ? ` (${f.reciterId})` : ''}: attempt ${f.attempts}/${f.maxAttempts}, ${f.failedAt}: ${f.reason}`;
}

async function show(queues: Queues, json?: boolean): Promise<number> {
  const { COUNTED_STATES, failedJobs, queueStatus } = await import('../../queue/status.js');
  const [status, failed] = await Promise.all([queueStatus(queues), failedJobs(queues)]);
  if (json) {
    printJson({ redis: serviceAddress(queues.redisUrl, 6379), prefix: queues.prefix, queues: status, failed });
    return ExitCode.OK;
  }
  const workers = [...new Set(status.flatMap((s) => s.workers))];
  printLines([
    `Redis at ${serviceAddress(queues.redisUrl, 6379)}, prefix "${queues.prefix}": ${workers.length} worker${workers.length === 1 ? '' : 's'} connected${workers.length ? ` (${workers.join(', ')})` : ''}`,
    ...table([['queue', ...COUNTED_STATES], ...status.map((s) => [s.queue, ...COUNTED_STATES.map((k) => s.counts[k])])]),
    ...(failed.length ? ['failed jobs (`ayah jobs retry` queues them again):', ...failed.map(failedLine)] : []),
  ]);
  return ExitCode.OK;
}

async function retry(queues: Queues, ids: string[], opts: { queue?: string; json?: boolean }): Promise<number> {
  if (opts.queue && !isQueueName(opts.queue)) throw new AyahError(`--queue must be one of ${QUEUE_NAMES.join(', ')}`, ExitCode.USAGE);
  const names: readonly QueueName[] = opts.queue ? [opts.queue as QueueName] : QUEUE_NAMES;
  const { retryFailed } = await import('../../queue/status.js');
  const retried = await retryFailed(queues, names, ids.length ? ids : undefined);
  const builds = new Map(retried.filter((f) => f.buildId && f.reciterId).map((f) => [f.buildId!, f.reciterId!]));
  if (builds.size) {
    const [{ CatalogAccess }, { recordRequeued }] = await Promise.all([import('../../catalog/access.js'), import('../../pipeline/build/record.js')]);
    const catalog = new CatalogAccess(serviceConfig(), 'ayah jobs retry');
    try {
      await catalog.use((c) =>
        c.tx(async (sql) => {
          for (const [buildId, reciterId] of builds) await recordRequeued(sql, buildId, reciterId);
        }),
      );
    } finally {
      await catalog.close();
    }
  }
  if (opts.json) printJson({ retried });
  else printLines(retried.length ? [`queued again: ${retried.length} job${retried.length === 1 ? '' : 's'}`, ...retried.map(failedLine)] : ['no failed job to retry']);
  const missing = ids.filter((id) => !retried.some((r) => r.id === id));
  if (missing.length) throw new AyahError(`not a failed job: ${missing.join(', ')}`, ExitCode.BAD_INPUT);
  return ExitCode.OK;
}
