/**
 * `ayah index rebuild [--compact] [--json]`: rebuild the index of AYAH_HOME from the
 * catalog (every recording fingerprinted again, on BullMQ workers when REDIS_URL is set),
 * compact it, and verify its counts against the catalog. For plain cron: a rebuild
 * started while another runs says so and exits 6. Exit 1 when the counts disagree.
 */
import type { Command } from 'commander';
import { startSpinner } from '../spinner.js';
import { ExitCode } from '../../errors.js';
import { indexDir } from '../../home.js';
import { describeLeftovers } from '../../pipeline/build/leftovers-report.js';
import type { RebuildResult } from '../../pipeline/rebuild.js';
import { serviceConfig } from '../../services/config.js';
import { printJson, printLines } from '../output.js';
import { action } from '../run.js';

function describe(r: RebuildResult): string[] {
  return [
    `index ${r.mode === 'compact' ? 'compacted' : 'rebuilt'} in ${r.seconds} s: ${r.recordings} recordings, version ${r.indexVersion} (generation ${r.generation})`,
    ...(r.repaired ? [`repaired: the index was ${/^built with fingerprint version/.test(r.repaired) ? 'outdated' : 'damaged'} (${r.repaired}); rebuilt from the catalog and the audio`] : []),
    ...(describeLeftovers(r.cleaned).length ? ['cleaned up after interrupted builds:', ...describeLeftovers(r.cleaned)] : []),
    ...r.imported.map((id) => `  ${id}: taken into the catalog from the index`),
    ...r.builds.flatMap((b) => [
      `  ${b.reciterId}: ${b.recordings} recordings fingerprinted again (build ${b.buildId})${b.failed.length ? `, ${b.failed.length} failed (their previous recordings are kept):` : ''}`,
      ...b.failed.map((f) => `    failed: ${f.relPath}: ${f.reason}`),
    ]),
    r.verified ? 'counts verified: index and catalog agree' : 'counts differ between index and catalog:',
    ...r.mismatches.map((m) => `  ${m.reciterId}: ${m.catalog} in the catalog, ${m.index} in the index`),
  ];
}

export function register(program: Command): void {
  const index = program.command('index').description('the index in AYAH_HOME');
  index
    .command('rebuild')
    .description('rebuild the index from the catalog (or only --compact it) and verify it; one rebuild at a time')
    .option('--compact', 'only compact: drop removed recordings, merge segments (no re-fingerprinting)')
    .option('--json', 'print the result as JSON')
    .action(
      action(async (opts: { compact?: boolean; json?: boolean }) => {
        const config = serviceConfig();
        const [{ openPipeline }, { rebuildIndex }, { warnIfNoWorkers }] = await Promise.all([
          import('../../pipeline/build/context.js'),
          import('../../pipeline/rebuild.js'),
          import('./workers-note.js'),
        ]);
        const ctx = await openPipeline(config, 'ayah index rebuild');
        const spinner = startSpinner('rebuilding the index', !opts.json);
        try {
          const r = await rebuildIndex(ctx, indexDir(config.home), { compactOnly: Boolean(opts.compact), onLocked: opts.compact ? undefined : () => warnIfNoWorkers(ctx) });
          spinner?.stop();
          if (opts.json) printJson(r);
          else printLines(describe(r));
          return r.verified ? ExitCode.OK : ExitCode.CHECK_FAILED;
        } finally {
          spinner?.stop();
          await ctx.close();
        }
      }),
    );
}
