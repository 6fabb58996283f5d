/**
 * add-reciter: index a reciter's folder. Validates it, skips files already indexed
 * unchanged (by content hash), and submits the rest as a build: the reciter is recorded
 * in the catalog (inactive while new), one fingerprint job per few files as children of
 * a merge job (a BullMQ flow when REDIS_URL is set, in-process otherwise); the merge
 * commits into the index, records the recordings and the build, and activates the
 * reciter. A failed build commits nothing: the index stays as it was.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AyahError, ExitCode } from '../errors.js';
import { indexDir } from '../home.js';
import { readManifest } from '../index/manifest.js';
import { indexedRecordings } from '../index/reader.js';
import type { Layout, Reciter, RecordingSource } from '../types.js';
import { contentHashOfFile } from './content-hash.js';
import { buildFlowOf, newBuildId } from './build/flow.js';
import type { PipelineContext } from './build/context.js';
import { recordIndexed } from './build/record.js';
import { startBuild } from './build/start.js';
import type { MergeJobResult } from './jobs/types.js';
import { scanReciterFolder } from './layout.js';
import type { ValidationReport } from './validate/types.js';
import { invalidFiles, validateFolder } from './validate/validate-folder.js';
import type { BuildProgress } from './runner/types.js';

export interface AddReciterInput {
  home: string;
  dir: string;
  reciter: Reciter;
  layout?: Layout;
  /** Index the valid files and list the invalid ones, instead of refusing the folder. */
  skipInvalid?: boolean;
  /** Progress of the validation pass (files decoded). */
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
  /** Of those, files that replace an indexed recording with other content. */
  changed: string[];
  unchanged: number;
  /** Files that are not ayahs (isti'adha, a surah's basmala file): not indexed. */
  notAyahs: number;
  unmatched: { relPath: string; reason: string }[];
  /** Files with validation errors left out (--skip-invalid), with the reason. */
  invalid: { relPath: string; reason: string }[];
  validation: ValidationReport;
}

export interface AddReciterResult extends AddReciterPlan {
  /** The build submitted (none when nothing changed). */
  buildId?: string;
  /** The build's result, once merged (not with `detach`). */
  build?: MergeJobResult;
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

/** Works out what must be (re)indexed. */
export async function planAddReciter(input: AddReciterInput): Promise<AddReciterPlan> {
  if (!fs.existsSync(input.dir) || !fs.statSync(input.dir).isDirectory()) throw new AyahError(`${input.dir}: not a directory`, ExitCode.BAD_INPUT);
  const validation = await validateFolder(input.dir, { layout: input.layout, onProgress: input.onValidate });
  if (validation.counts.errors > 0 && !input.skipInvalid) throw new ValidationFailed(validation);
  const bad = invalidFiles(validation);
  const invalid = [...bad].sort().map((relPath) => ({
    relPath,
    reason: validation.issues
      .filter((i) => i.severity === 'error' && i.file === relPath)
      .map((i) => `${i.check}: ${i.reason}`)
      .join('; '),
  }));
  const scan = await scanReciterFolder(path.resolve(input.dir), validation.layout);
  const ayahSources = scan.sources.filter((s) => s.timeline.length > 0 && !bad.has(s.relPath));
  if (ayahSources.length === 0)
    throw new AyahError(`${input.dir}: no ayah audio found (layouts: flat SSSAAA.mp3, folders S/A.mp3, audio/SSS.mp3 + alignments/SSS.json)`, ExitCode.BAD_INPUT);

  assertOneFilePerSpan(input.dir, ayahSources);

  const indexed = new Map((await indexedRecordings(indexDir(input.home), input.reciter.id)).map((r) => [r.relPath, r.contentHash]));
  const todo: RecordingSource[] = [];
  const changed: string[] = [];
  let unchanged = 0;
  await Promise.all(
    ayahSources.map(async (s) => {
      const before = indexed.get(s.relPath);
      if (before === undefined) return void todo.push(s);
      if ((await contentHashOfFile(s.path)) === before) unchanged++;
      else {
        todo.push(s);
        changed.push(s.relPath);
      }
    }),
  );
  todo.sort((a, b) => a.ref.surah - b.ref.surah || a.ref.ayah - b.ref.ayah || a.relPath.localeCompare(b.relPath));
  return {
    reciter: input.reciter,
    layout: scan.layout,
    todo,
    changed,
    unchanged,
    notAyahs: scan.sources.length - ayahSources.length,
    unmatched: scan.unmatched,
    invalid,
    validation,
  };
}

/** The catalog keeps one recording per reciter and ayah span: two files reciting the same ayahs are refused. */
function assertOneFilePerSpan(dir: string, sources: RecordingSource[]): void {
  const seen = new Map<string, string>();
  for (const s of sources) {
    const same = s.timeline.filter((t) => t.surah === s.timeline[0].surah).map((t) => t.ayah);
    const key = `${s.timeline[0].surah}:${Math.min(...same)}-${Math.max(...same)}`;
    const other = seen.get(key);
    if (other) throw new AyahError(`${dir}: ${other} and ${s.relPath} both recite ${key}; keep one of them`, ExitCode.BAD_INPUT);
    seen.set(key, s.relPath);
  }
}

/** Submits the plan as a build and (unless detached) waits for it; nothing to do → no build. */
export async function runAddReciter(ctx: PipelineContext, plan: AddReciterPlan, opts: RunOptions = {}): Promise<AddReciterResult> {
  const started = performance.now();
  const dir = indexDir(ctx.config.home);
  if (plan.todo.length === 0) {
    // The index has every file already: make sure the catalog has them too (an index older than the catalog).
    const active = readManifest(dir)?.reciters.find((r) => r.id === plan.reciter.id)?.active ?? false;
    const recordings = await indexedRecordings(dir, plan.reciter.id);
    await ctx.catalog.use((c) => c.tx((sql) => recordIndexed(sql, plan.reciter, recordings, active)));
    return { ...plan, seconds: 0 };
  }
  const flow = buildFlowOf({ buildId: newBuildId(), indexDir: dir, reciter: plan.reciter, sources: plan.todo, replaceRelPaths: plan.changed });
  await startBuild(ctx.catalog, ctx.runner, flow, 'add-reciter');
  const seconds = () => (performance.now() - started) / 1000;
  if (opts.detach) return { ...plan, buildId: flow.buildId, seconds: seconds() };
  const build = await ctx.runner.wait(flow, opts.onProgress);
  return { ...plan, buildId: flow.buildId, build, seconds: seconds() };
}
