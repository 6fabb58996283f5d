/**
 * add-reciter: make the index mirror a reciter's folder. Checks its layout, names and
 * coverage, skips files already indexed unchanged (by content hash), and submits the rest
 * as a build, whose jobs validate each file from the decoding that fingerprints it (each
 * file is decoded once) and whose merge refuses a folder with errors: the reciter is
 * recorded in the catalog (inactive while new), one fingerprint job per few files as
 * children of a merge job (a BullMQ flow when REDIS_URL is set, in-process otherwise); the
 * merge decides under the index-writer lock what is new, changed or gone from the folder
 * (commitReciter), commits that with the reciter's description, records it, and activates
 * the reciter. With nothing to fingerprint, files gone and description changes are still
 * committed. A failed build commits nothing: the index stays as it was.
 */
import fs from 'node:fs';
import { AyahError, ExitCode } from '../errors.js';
import { indexDir } from '../home.js';
import { indexedRecordings } from '../index/api.js';
import { withIndexWriter } from '../locks/locks.js';
import type { Layout, Reciter, RecordingSource } from '../types.js';
import { contentHashOfFile } from './content-hash.js';
import { sharedSpan } from '../catalog/recordings.js';
import { buildFlowOf, newBuildId } from './build/flow.js';
import type { PipelineContext } from './build/context.js';
import { commitReciter } from './build/commit-reciter.js';
import { cleanLeftovers, type Leftovers } from './build/leftovers.js';
import { startBuild } from './build/start.js';
import type { MergeJobResult, ReciterChanges } from './jobs/types.js';
import { numbering } from '../quran/numbering.js';
import type { ValidationReport } from './validate/types.js';
import { checkFiles, checkFolder, folderReport, type FolderChecks } from './validate/validate-folder.js';
import type { BuildProgress } from './runner/types.js';

export interface AddReciterInput {
  home: string;
  dir: string;
  reciter: Reciter;
  layout?: Layout;
  /** Index the valid files and list the invalid ones, instead of refusing the folder. */
  skipInvalid?: boolean;
  /** Progress of decoding a folder refused before its build (files decoded). */
  onValidate?: (done: number, total: number) => void;
}

/** Validation found errors and nothing was indexed; carries the report for printing. */
export class ValidationFailed extends AyahError {
  constructor(readonly report: ValidationReport) {
    super(
      `${report.dir}: validation found ${report.counts.errors} error${report.counts.errors === 1 ? '' : 's'}; nothing was indexed (fix them, or use --skip-invalid)`,
      ExitCode.CHECK_FAILED,
    );
  }
}

export interface AddReciterPlan {
  reciter: Reciter;
  layout: Layout;
  /** Files to fingerprint (new or changed). */
  todo: RecordingSource[];
  unchanged: number;
  /** Indexed recordings whose file is gone from the folder: taken out. */
  deleted: string[];
  /** Files that are not ayahs (isti'adha, a surah's basmala file): not indexed. */
  notAyahs: number;
  unmatched: { relPath: string; reason: string }[];
  /** The folder's checks before decoding: the build's merge completes them into the report. */
  folder: FolderChecks;
  skipInvalid: boolean;
}

export interface AddReciterResult extends AddReciterPlan {
  /** The build submitted (none when there was nothing to fingerprint). */
  buildId?: string;
  /** The build's result, once merged (not with `detach`). */
  build?: MergeJobResult;
  /** What was committed (decided under the lock), once done (not with `detach`). */
  changes?: ReciterChanges;
  /** Files with validation errors left out (skipInvalid), with the reason, once done. */
  invalid: { relPath: string; reason: string }[];
  /** What interrupted builds had left, cleaned first. */
  cleaned: Leftovers;
  seconds: number;
}

export interface RunOptions {
  /** Return once the build is submitted (BullMQ runner): workers run it. */
  detach?: boolean;
  onProgress?: (p: BuildProgress) => void;
}

export function reciterIdOf(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9\u0600-\u06ff]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!slug) throw new AyahError(`reciter name "${name}" gives an empty id`, ExitCode.USAGE);
  return slug;
}

/**
 * Works out what must be (re)indexed. The folder's checks that need no decoding run here;
 * the files are checked by the build's fingerprint jobs, from the one decoding that
 * fingerprints them, and the build's merge gives the verdict. A folder whose names or
 * coverage already fail is refused here, with every file checked (decoded, not
 * fingerprinted), unless skipInvalid.
 */
export async function planAddReciter(input: AddReciterInput): Promise<AddReciterPlan> {
  if (!fs.existsSync(input.dir) || !fs.statSync(input.dir).isDirectory()) throw new AyahError(`${input.dir}: not a directory`, ExitCode.BAD_INPUT);
  numbering(input.reciter.riwayah); // an unsupported riwayah is a usage error, before any work
  const { checks, scan } = await checkFolder(input.dir, { layout: input.layout, riwayah: input.reciter.riwayah });
  if (checks.issues.some((i) => i.severity === 'error') && !input.skipInvalid)
    throw new ValidationFailed(folderReport(checks, await checkFiles(checks, scan.sources, { onProgress: input.onValidate })));
  const ayahSources = scan.sources.filter((s) => s.timeline.length > 0);
  if (ayahSources.length === 0)
    throw new AyahError(`${input.dir}: no ayah audio found (layouts: flat SSSAAA.mp3, folders S/A.mp3, audio/SSS.mp3 + alignments/SSS.json)`, ExitCode.BAD_INPUT);

  assertOneFilePerSpan(input.dir, ayahSources);

  const indexed = new Map((await indexedRecordings(indexDir(input.home), input.reciter.id)).map((r) => [r.relPath, r.contentHash]));
  const inFolder = new Set(scan.sources.map((s) => s.relPath));
  const deleted = [...indexed.keys()].filter((p) => !inFolder.has(p)).sort();
  const todo: RecordingSource[] = [];
  let unchanged = 0;
  await Promise.all(
    ayahSources.map(async (s) => {
      const before = indexed.get(s.relPath);
      if (before === undefined) return void todo.push(s);
      if ((await contentHashOfFile(s.path)) === before) unchanged++;
      else todo.push(s);
    }),
  );
  todo.sort((a, b) => a.ref.surah - b.ref.surah || a.ref.ayah - b.ref.ayah || a.relPath.localeCompare(b.relPath));
  return {
    reciter: input.reciter,
    layout: scan.layout,
    todo,
    unchanged,
    deleted,
    notAyahs: scan.sources.length - ayahSources.length,
    unmatched: scan.unmatched,
    folder: checks,
    skipInvalid: Boolean(input.skipInvalid),
  };
}

/** The catalog keeps one recording per reciter and ayah span: two files reciting the same ayahs are refused. */
function assertOneFilePerSpan(dir: string, sources: RecordingSource[]): void {
  const shared = sharedSpan(sources);
  if (shared) throw new AyahError(`${dir}: ${shared.first} and ${shared.second} both recite ${shared.span}; keep one of them`, ExitCode.BAD_INPUT);
}

/** Cleans what interrupted builds left, then submits the plan as a build and (unless detached) waits for it; nothing to fingerprint → no build. */
export async function runAddReciter(ctx: PipelineContext, plan: AddReciterPlan, opts: RunOptions = {}): Promise<AddReciterResult> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const dir = indexDir(ctx.config.home);
  const cleaned = await cleanLeftovers(ctx.catalog, dir);
  if (plan.todo.length === 0) {
    // Nothing to fingerprint: files gone from the folder and a new description are still committed.
    const { changes } = await withIndexWriter(ctx.config, `add-reciter ${plan.reciter.id}`, () =>
      commitReciter(ctx.catalog, { indexDir: dir, reciter: plan.reciter, staged: [], drop: plan.deleted, activate: false }),
    );
    return { ...plan, changes, invalid: [], cleaned, seconds: seconds() };
  }
  const flow = buildFlowOf({
    buildId: newBuildId(),
    indexDir: dir,
    reciter: plan.reciter,
    sources: plan.todo,
    dropRelPaths: plan.deleted,
    validation: { folder: plan.folder, skipInvalid: plan.skipInvalid },
  });
  await startBuild(ctx.catalog, ctx.runner, flow, 'add-reciter');
  if (opts.detach) return { ...plan, buildId: flow.buildId, invalid: [], cleaned, seconds: seconds() };
  const build = await ctx.runner.wait(flow, opts.onProgress);
  if (build.refused) throw new ValidationFailed(build.refused);
  return { ...plan, buildId: flow.buildId, build, changes: build.changes, invalid: build.invalid ?? [], cleaned, seconds: seconds() };
}
