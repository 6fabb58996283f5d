/**
 * `ayah schedule reindex --cron "0 3 * * *" | --every MS [--compact] [--id NAME]`: a BullMQ
 * job scheduler that queues a reindex job (run by `ayah worker`): rebuild the index of
 * AYAH_HOME from the catalog, or only compact it, and verify its counts.
 * `ayah schedule list [--json]`, `ayah schedule remove [ID]`.
 */
import type { Command } from 'commander';
import { AyahError, ExitCode } from '../../errors.js';
import { indexDir } from '../../home.js';
import type { Queues } from '../../queue/queues.js';
import type { Schedule } from '../../queue/schedules.js';
import { serviceConfig } from '../../services/config.js';
import { printJson, printLines } from '../output.js';
import { action, positiveInt } from '../run.js';

const DEFAULT_ID = 'reindex';

interface ReindexOptions {
  cron?: string;
  every?: number;
  tz?: string;
  compact?: boolean;
  id: string;
  json?: boolean;
}

/** Runs `fn` with the queues and the schedules module (BullMQ loads only when a command runs). */
async function withSchedules<T>(fn: (q: Queues, s: typeof import('../../queue/schedules.js')) => Promise<T>): Promise<T> {
  const [{ withQueues }, schedules] = await Promise.all([import('../../queue/queues.js'), import('../../queue/schedules.js')]);
  return withQueues(serviceConfig(), 'ayah schedule', (q) => fn(q, schedules));
}

function describe(s: Schedule): string {
  const when = s.cron ? `cron "${s.cron}"${s.tz ? ` (${s.tz})` : ''}` : `every ${s.everyMs} ms`;
  return `${s.id}: ${s.data?.compactOnly ? 'compact' : 'rebuild'} ${s.data?.indexDir ?? ''}, ${when}${s.next ? `, next ${s.next}` : ''}`;
}

export function register(program: Command): void {
  const schedule = program.command('schedule').description('scheduled reindexing (BullMQ job schedulers on REDIS_URL, run by `ayah worker`)');
  schedule
    .command('reindex')
    .description('rebuild (or --compact) the index of AYAH_HOME from the catalog on a schedule')
    .option('--cron <pattern>', 'cron pattern, e.g. "0 3 * * *" (03:00 every day)')
    .option('--every <ms>', 'or a fixed interval in milliseconds', positiveInt)
    .option('--tz <zone>', 'time zone of the cron pattern, e.g. UTC')
    .option('--compact', 'only compact the index and verify it (no re-fingerprinting)')
    .option('--id <name>', 'name of the schedule (one per name; registering again replaces it)', DEFAULT_ID)
    .option('--json', 'print the schedule as JSON')
    .action(
      action(async (opts: ReindexOptions) => {
        if (Boolean(opts.cron) === Boolean(opts.every)) throw new AyahError('give either --cron PATTERN or --every MS', ExitCode.USAGE);
        const repeat = opts.cron ? { cron: opts.cron, ...(opts.tz ? { tz: opts.tz } : {}) } : { everyMs: opts.every! };
        const data = { indexDir: indexDir(serviceConfig().home), compactOnly: Boolean(opts.compact) };
        let s: Schedule;
        try {
          s = await withSchedules((q, x) => x.upsertReindexSchedule(q, opts.id, repeat, data));
        } catch (err) {
          if (err instanceof AyahError) throw err;
          throw new AyahError(`cannot schedule: ${(err as Error).message}`, ExitCode.USAGE, { cause: err });
        }
        if (opts.json) printJson(s);
        else printLines([`scheduled ${describe(s)}`]);
      }),
    );
  schedule
    .command('list')
    .description('the registered schedules')
    .option('--json', 'print as JSON')
    .action(
      action(async (opts: { json?: boolean }) => {
        const list = await withSchedules((q, x) => x.listSchedules(q));
        if (opts.json) printJson(list);
        else printLines(list.length ? list.map(describe) : ['no schedules']);
      }),
    );
  schedule
    .command('remove')
    .description('remove a schedule (jobs already queued still run)')
    .argument('[id]', 'name of the schedule', DEFAULT_ID)
    .action(
      action(async (id: string) => {
        if (!(await withSchedules((q, x) => x.removeSchedule(q, id)))) throw new AyahError(`no schedule "${id}" (\`ayah schedule list\`)`, ExitCode.USAGE);
        printLines([`removed schedule ${id}`]);
      }),
    );
}
