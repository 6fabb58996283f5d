/**
 * validate-folder: `validateFolder(dir)`, the entry point of reciter-folder validation
 * (`ayah validate`, and add-reciter before it indexes). Scans the layout, decodes every
 * used file once (a few at a time), runs the per-file, naming, timing and folder checks,
 * and returns the report.
 */
import os from 'node:os';
import path from 'node:path';
import { forEachOrdered } from '../../util/ordered.js';
import { reasonOf } from '../../errors.js';
import type { Layout, RecordingSource, Riwayah } from '../../types.js';
import { scanReciterFolder } from '../layout.js';
import { listFiles } from '../layout/files.js';
import { decodeStatsBatch, isDecoded, type DecodedAudio, type Undecodable } from './decode-stats.js';
import { fileIssues, undecodableIssues } from './file-checks.js';
import { coverageIssues, coverageOf, duplicateIssues, formatIssues, type Decoded } from './folder-checks.js';
import { unmatchedIssues } from './naming-checks.js';
import { audioFacts, sortIssues } from './report.js';
import { timingIssues } from './timing-checks.js';
import { REPORT_SCHEMA, type FileReport, type Issue, type ValidationReport } from './types.js';

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

export async function validateFolder(dir: string, opts: ValidateOptions = {}): Promise<ValidationReport> {
  const started = performance.now();
  const root = path.resolve(dir);
  const files = await listFiles(root);
  const riwayah = opts.riwayah ?? 'hafs';
  const scan = await scanReciterFolder(root, opts.layout, riwayah);
  const issues: Issue[] = unmatchedIssues(scan.unmatched);
  const reports: FileReport[] = [];
  const decoded: Decoded[] = [];
  let audioSeconds = 0;
  let done = 0;

  const batches: RecordingSource[][] = [];
  for (let i = 0; i < scan.sources.length; i += FILES_PER_DECODE) batches.push(scan.sources.slice(i, i + FILES_PER_DECODE));
  await forEachOrdered(
    batches,
    Math.max(1, opts.concurrency ?? os.availableParallelism()),
    (batch) => decodeSafely(batch),
    (audios, batch) =>
      batch.forEach((source, i) => {
        const audio = audios[i];
        opts.onProgress?.(++done, scan.sources.length);
        const ok = isDecoded(audio);
        reports.push({ relPath: source.relPath, kind: source.kind, ref: `${source.ref.surah}:${source.ref.ayah}`, audio: ok ? audioFacts(audio) : null });
        if (!ok) return void issues.push(...undecodableIssues(source.relPath, audio));
        audioSeconds += audio.pcm.durationS;
        decoded.push({ source, audio });
        issues.push(...fileIssues(source, audio, riwayah));
      }),
  );

  for (const { source, audio } of decoded) if (source.kind === 'surah') issues.push(...(await timingIssues(root, source, audio.pcm.durationS, riwayah)));
  const coverage = coverageOf(scan.sources, riwayah);
  issues.push(...coverageIssues(coverage), ...duplicateIssues(decoded, riwayah), ...formatIssues(decoded));

  const errors = issues.filter((i) => i.severity === 'error').length;
  const warnings = issues.length - errors;
  const strict = Boolean(opts.strict);
  return {
    schema: REPORT_SCHEMA,
    dir: root,
    layout: scan.layout,
    riwayah: String(riwayah),
    ok: errors === 0 && (!strict || warnings === 0),
    strict,
    counts: { files: files.length, sources: scan.sources.length, unmatched: scan.unmatched.length, errors, warnings },
    audioSeconds: Math.round(audioSeconds * 100) / 100,
    elapsedSeconds: Math.round((performance.now() - started) / 10) / 100,
    coverage,
    files: reports,
    issues: sortIssues(issues),
  };
}

/** Files with at least one error: what add-reciter --skip-invalid leaves out. */
export function invalidFiles(report: ValidationReport): Set<string> {
  return new Set(report.issues.filter((i) => i.severity === 'error' && i.file !== '.').map((i) => i.file));
}

/** Decodes a batch of files with one ffmpeg process; a failure of the batch itself is every file's reason. */
async function decodeSafely(batch: RecordingSource[]): Promise<(DecodedAudio | Undecodable)[]> {
  try {
    return await decodeStatsBatch(batch.map((s) => s.path));
  } catch (err) {
    return batch.map(() => ({ bytes: 0, reason: reasonOf(err) }));
  }
}
