/**
 * `ayah add-reciter DIR --name NAME [--detach]`: fingerprint a reciter's recordings into
 * the index, in-process or on BullMQ workers (REDIS_URL); --detach returns once submitted.
 */
import type { Command } from 'commander';
import { startSpinner } from '../spinner.js';
import { AyahError, ExitCode } from '../../errors.js';
import { checkName } from '../../names.js';
import { planAddReciter, reciterIdOf, runAddReciter, ValidationFailed, type AddReciterResult } from '../../pipeline/add-reciter.js';
import { describeLeftovers } from '../../pipeline/build/leftovers-report.js';
import type { ReciterChanges } from '../../pipeline/jobs/types.js';
import { renderText } from '../../pipeline/validate/report.js';
import { serviceConfig } from '../../services/config.js';
import type { Layout } from '../../types.js';
import { action, LAYOUT_HELP, layoutOption, RIWAYAH_HELP, riwayahOption } from '../run.js';

interface Options {
  name: string;
  nameAr?: string;
  riwayah: string;
  style?: string;
  layout?: Layout;
  skipInvalid?: boolean;
  force?: boolean;
  detach?: boolean;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('add-reciter')
    .description('fingerprint every recording of a reciter folder and add it to the index (AYAH_HOME)')
    .argument('<dir>', 'folder of the reciter: SSSAAA.mp3 files, S/A.mp3 folders, or audio/SSS.mp3 + alignments/SSS.json')
    .requiredOption('--name <name>', 'reciter name (English), e.g. "Ibrahim Al-Akhdar"')
    .option('--name-ar <name>', 'reciter name in Arabic')
    .option('--riwayah <riwayah>', RIWAYAH_HELP, riwayahOption, 'hafs')
    .option('--style <style>', 'murattal, mujawwad, hadr, ...')
    .option('--layout <layout>', LAYOUT_HELP, layoutOption)
    .option('--skip-invalid', 'index the files that pass validation and list the others (default: refuse the folder)')
    .option('--force', 'index a folder that another reciter of the catalog already has (the same audio under two names)')
    .option('--detach', 'return once the build is queued (REDIS_URL): workers (`ayah worker`) run it; prints the build id')
    .option('--json', 'print the result as JSON')
    .action(action(async (dir: string, opts: Options) => addReciter(dir, opts)));
}

async function addReciter(dir: string, opts: Options): Promise<number> {
  const config = serviceConfig();
  if (opts.detach && !config.redisUrl) throw new AyahError('--detach needs REDIS_URL (without it, builds run in this process)', ExitCode.USAGE);
  const home = config.home;
  const name = checkName('--name', opts.name);
  const reciter = {
    id: reciterIdOf(name),
    nameEn: name,
    ...(opts.nameAr ? { nameAr: checkName('--name-ar', opts.nameAr) } : {}),
    riwayah: checkName('--riwayah', opts.riwayah).toLowerCase(),
    ...(opts.style ? { style: checkName('--style', opts.style) } : {}),
  };
  // The pipeline (catalog, BullMQ) loads only when add-reciter runs: identify starts faster.
  const [{ openPipeline }, { warnIfNoWorkers }, { checkFolderOwner }] = await Promise.all([
    import('../../pipeline/build/context.js'),
    import('./workers-note.js'),
    import('../../pipeline/folder-owner.js'),
  ]);
  const ctx = await openPipeline(config, 'ayah add-reciter');
  const spinner = startSpinner('checking the folder', !opts.json);
  let result: AddReciterResult;
  try {
    const warning = await checkFolderOwner(ctx.catalog, dir, reciter.id, Boolean(opts.force));
    if (warning) process.stderr.write(`ayah: warning: ${warning}\n`);
    const plan = await planAddReciter({
      home,
      dir,
      reciter,
      layout: opts.layout,
      skipInvalid: opts.skipInvalid,
      onValidate: (done, total) => {
        if (spinner) spinner.text = `validating: ${done}/${total} files`;
      },
    });
    if (spinner) spinner.text = `validating and fingerprinting ${plan.todo.length} files`;
    if (plan.todo.length && !opts.detach) await warnIfNoWorkers(ctx);
    const todo = plan.todo.length;
    result = await runAddReciter(ctx, plan, {
      detach: opts.detach,
      onProgress: (p) => {
        if (spinner) spinner.text = `validating and fingerprinting: ${p.files}/${todo} files`;
      },
    });
    spinner?.succeed();
  } catch (err) {
    if (spinner?.isSpinning) spinner.fail();
    if (err instanceof ValidationFailed) process.stdout.write(opts.json ? JSON.stringify(err.report) + '\n' : renderText(err.report));
    throw err;
  } finally {
    await ctx.close();
  }
  print(result, opts.json);
  return result.build?.failed.length ? ExitCode.BAD_INPUT : ExitCode.OK;
}

function print(r: AddReciterResult, json?: boolean): void {
  const c = r.changes;
  if (json) {
    process.stdout.write(
      JSON.stringify({
        reciter: r.reciter,
        layout: r.layout,
        added: c?.added.length ?? 0,
        reindexed: c?.reindexed.length ?? 0,
        removed: c?.removed ?? [],
        described: c?.described ?? [],
        unchanged: r.unchanged + (c?.unchanged ?? 0),
        failed: r.build?.failed ?? [],
        invalid: r.invalid,
        unmatched: r.unmatched,
        cleaned: r.cleaned,
        postings: r.build?.postings ?? 0,
        indexVersion: r.build?.indexVersion ?? null,
        buildId: r.buildId ?? null,
        status: c || !r.buildId ? 'done' : 'queued',
        seconds: Math.round(r.seconds * 100) / 100,
      }) + '\n',
    );
    return;
  }
  const out: string[] = [];
  const cleaned = describeLeftovers(r.cleaned);
  if (cleaned.length) out.push('cleaned up after interrupted builds:', ...cleaned);
  if (r.buildId && !c)
    out.push(`${r.reciter.nameEn}: build ${r.buildId} queued: ${r.todo.length} files to fingerprint (\`ayah jobs\` follows it; the reciter is active once merged)`);
  else out.push(`${r.reciter.nameEn} (${r.reciter.riwayah}, ${r.layout} layout): ${summary(r, c!)}`);
  for (const d of c?.described ?? []) out.push(`  ${d}`);
  for (const p of c?.removed ?? []) out.push(`  removed: ${p} (no longer in the folder)`);
  for (const f of r.build?.failed ?? []) out.push(`  failed: ${f.relPath}: ${f.reason}`);
  for (const f of r.invalid) out.push(`  invalid, not indexed: ${f.relPath}: ${f.reason}`);
  for (const u of r.unmatched) out.push(`  skipped: ${u.relPath}: ${u.reason}`);
  process.stdout.write(out.join('\n') + '\n');
}

/** "indexed 3 recordings (1 changed), removed 1, 40 unchanged, ..." or "nothing changed (40 recordings already indexed)". */
function summary(r: AddReciterResult, c: ReciterChanges): string {
  const unchanged = r.unchanged + c.unchanged;
  if (!c.added.length && !c.reindexed.length && !c.removed.length && !c.described.length) return `nothing changed (${unchanged} recordings already indexed)`;
  const indexed = c.added.length + c.reindexed.length;
  const parts = [
    ...(indexed ? [`indexed ${indexed} recordings${c.reindexed.length ? ` (${c.reindexed.length} changed)` : ''}`] : []),
    ...(c.removed.length ? [`removed ${c.removed.length}`] : []),
    ...(c.described.length ? [`description updated`] : []),
    ...(unchanged ? [`${unchanged} unchanged`] : []),
  ];
  const build = r.build ? `, ${r.build.postings} hashes in ${r.seconds.toFixed(1)} s (index version ${r.build.indexVersion})` : '';
  return parts.join(', ') + build;
}
