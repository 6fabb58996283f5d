/**
 * validate-folder: reciter-folder validation in three parts: the folder's checks before
 * decoding (`checkFolder`: layout, names, coverage), each file's checks from its decoding
 * (check-file), and the report with the checks across files and the verdict
 * (`folderReport`). `validateFolder(dir)` (`ayah validate`) runs the three here;
 * add-reciter runs the first before it submits the build, the second in its fingerprint
 * jobs (one decoding for both) and the third in its merge.
 */
import os from 'node:os';
import path from 'node:path';
import { forEachOrdered } from '../../util/ordered.js';
import { reasonOf } from '../../errors.js';
import type { Layout, RecordingSource, Riwayah } from '../../types.js';
import { listFiles } from '../layout/files.js';
import { scanReciterFolder, type FolderScan } from '../layout.js';
import { checkFile, fileReport, type CheckedFile } from './check-file.js';
import { decodeStatsBatch, type DecodedAudio, type Undecodable } from './decode-stats.js';
import { coverageIssues, coverageOf, duplicateIssues, formatIssues } from './folder-checks.js';
import { unmatchedIssues } from './naming-checks.js';
import { sortIssues } from './report.js';
import { REPORT_SCHEMA, type Issue, type SurahCoverage, type ValidationReport } from './types.js';

/** Files decoded by one ffmpeg process (a process per file costs more than a short ayah's decoding). */
const FILES_PER_DECODE = 24;

export interface ValidateOptions {
  /** Force the layout instead of detecting it. */
  layout?: Layout;
  /** The reciter's riwayah: how its files and timings number the ayahs (default hafs). */
  riwayah?: Riwayah;
  /** Warnings fail too. */
  strict?: boolean;
  /** Files decoded at once (default: the number of CPUs). */
  concurrency?: number;
  /** Called after each decoded file. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * What validation knows of a folder before any file is decoded: its layout, the files it
 * maps and leaves out (naming issues), the surahs' coverage. Plain data: add-reciter
 * carries it to the build's merge, which completes the report with the files' checks.
 */
export interface FolderChecks {
  dir: string;
  layout: Layout;
  riwayah: Riwayah;
  counts: { files: number; sources: number; unmatched: number };
  coverage: SurahCoverage[];
  issues: Issue[];
  /** When the validation started (ms since the epoch). */
  startedAt: number;
}

/** Scans `dir` and runs the checks that need no decoding; also returns the scan (its sources). */
export async function checkFolder(dir: string, opts: Pick<ValidateOptions, 'layout' | 'riwayah'> = {}): Promise<{ checks: FolderChecks; scan: FolderScan }> {
  const startedAt = Date.now();
  const root = path.resolve(dir);
  const riwayah = opts.riwayah ?? 'hafs';
  const [files, scan] = await Promise.all([listFiles(root), scanReciterFolder(root, opts.layout, riwayah)]);
  const coverage = coverageOf(scan.sources, riwayah);
  const checks: FolderChecks = {
    dir: root,
    layout: scan.layout,
    riwayah,
    counts: { files: files.length, sources: scan.sources.length, unmatched: scan.unmatched.length },
    coverage,
    issues: [...unmatchedIssues(scan.unmatched), ...coverageIssues(coverage)],
    startedAt,
  };
  return { checks, scan };
}

/** The report of a folder from its checks and its files' (in order): the checks across files added, the verdict given. */
export function folderReport(folder: FolderChecks, checked: CheckedFile[], strict = false): ValidationReport {
  const issues = [...folder.issues, ...checked.flatMap((c) => c.issues), ...duplicateIssues(checked, folder.riwayah), ...formatIssues(checked)];
  const errors = issues.filter((i) => i.severity === 'error').length;
  const warnings = issues.length - errors;
  const audioSeconds = checked.reduce((s, c) => s + (c.audio?.durationS ?? 0), 0);
  return {
    schema: REPORT_SCHEMA,
    dir: folder.dir,
    layout: folder.layout,
    riwayah: String(folder.riwayah),
    ok: errors === 0 && (!strict || warnings === 0),
    strict,
    counts: { ...folder.counts, errors, warnings },
    audioSeconds: Math.round(audioSeconds * 100) / 100,
    elapsedSeconds: Math.round((Date.now() - folder.startedAt) / 10) / 100,
    coverage: folder.coverage,
    files: checked.map(fileReport),
    issues: sortIssues(issues),
  };
}

/** Validates `dir`: the folder's checks, then every file decoded once and checked, then the report. */
export async function validateFolder(dir: string, opts: ValidateOptions = {}): Promise<ValidationReport> {
  const { checks, scan } = await checkFolder(dir, opts);
  return folderReport(checks, await checkFiles(checks, scan.sources, opts), Boolean(opts.strict));
}

/** Decodes and checks `sources` of a folder (a few files per ffmpeg process, a few processes at once); in order. */
export async function checkFiles(folder: FolderChecks, sources: RecordingSource[], opts: Pick<ValidateOptions, 'concurrency' | 'onProgress'> = {}): Promise<CheckedFile[]> {
  const checked: CheckedFile[] = [];
  const batches: RecordingSource[][] = [];
  for (let i = 0; i < sources.length; i += FILES_PER_DECODE) batches.push(sources.slice(i, i + FILES_PER_DECODE));
  await forEachOrdered(
    batches,
    Math.max(1, opts.concurrency ?? os.availableParallelism()),
    async (batch) => {
      const audios = await decodeSafely(batch);
      return Promise.all(batch.map((source, i) => checkFile(folder.dir, source, audios[i], folder.riwayah)));
    },
    (files) =>
      files.forEach((file) => {
        checked.push(file);
        opts.onProgress?.(checked.length, sources.length);
      }),
  );
  return checked;
}

/** Decodes a batch of files with one ffmpeg process; a failure of the batch itself is every file's reason. */
async function decodeSafely(batch: RecordingSource[]): Promise<(DecodedAudio | Undecodable)[]> {
  try {
    return await decodeStatsBatch(batch.map((s) => s.path));
  } catch (err) {
    return batch.map(() => ({ bytes: 0, reason: reasonOf(err) }));
  }
}
