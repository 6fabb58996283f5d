// @ready
/**
 * add-reciter: index a reciter's folder. Scans the layout, skips files already indexed
 * unchanged (by content hash), splits the rest into fingerprint jobs of a few files each,
 * and runs the build flow (fingerprint children + merge parent) on the given runner.
 * A failed run commits nothing: the index stays as it was.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AyahError, ExitCode } from '../errors.js';
import { indexDir } from '../home.js';
import { readManifest } from '../index/manifest.js';
import { IndexReader } from '../index/reader.js';
import type { Layout, Reciter, RecordingSource } from '../types.js';
import { contentHashOfFile } from './content-hash.js';
import type { FingerprintJobData, MergeJobResult } from './jobs/types.js';
import { scanReciterFolder } from './layout.js';
import type { ValidationReport } from './validate/types.js';
import { invalidFiles, validateFolder } from './validate/validate-folder.js';
import type { BuildProgress, JobRunner } from './runner/types.js';

/** Files per fingerprint job: small enough to spread over workers, big enough to amortise a job. */
export const FILES_PER_JOB = 12;

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
  build?: MergeJobResult;
  seconds: number;
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

  const indexed = new Map<string, string>();
  const m = readManifest(indexDir(input.home));
  if (m?.reciters.some((r) => r.id === input.reciter.id)) {
    const reader = await IndexReader.open(indexDir(input.home));
    for (const r of await reader.allRecordings()) if (r.reciterId === input.reciter.id) indexed.set(r.relPath, r.contentHash);
  }
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

/** Splits the plan into fingerprint jobs and runs the build; nothing to do → no build. */
export async function runAddReciter(home: string, plan: AddReciterPlan, runner: JobRunner, onProgress?: (p: BuildProgress) => void): Promise<AddReciterResult> {
  const started = performance.now();
  if (plan.todo.length === 0) return { ...plan, seconds: 0 };
  const buildId = `${new Date().toISOString().replace(/[-:.TZ]/g, '')}-${randomBytes(3).toString('hex')}`;
  const dir = indexDir(home);
  const children: FingerprintJobData[] = [];
  for (let i = 0; i < plan.todo.length; i += FILES_PER_JOB) {
    children.push({
      buildId,
      indexDir: dir,
      reciterId: plan.reciter.id,
      batchKey: String(children.length).padStart(5, '0'),
      sources: plan.todo.slice(i, i + FILES_PER_JOB),
    });
  }
  const build = await runner.runBuild({ buildId, children, merge: { buildId, indexDir: dir, reciter: plan.reciter, replaceRelPaths: plan.changed } }, onProgress);
  return { ...plan, build, seconds: (performance.now() - started) / 1000 };
}
