/**
 * check-file: the verdict on one decoded file, as plain data that can travel in a job's
 * result: what decoding measured (AudioFacts) and the file's own issues (decoding,
 * silence, level, clipping, duration, and a whole-surah file's timing file). It is
 * computed where the file is decoded: by `ayah validate`, and by add-reciter's
 * fingerprint jobs, which measure and fingerprint each file from one decoding. The
 * checks across files (coverage, duplicates, formats) and the folder's verdict come after,
 * from every file's CheckedFile (folderReport).
 */
import type { RecordingSource, Riwayah } from '../../types.js';
import { isDecoded, type DecodedAudio, type Undecodable } from './decode-stats.js';
import { fileIssues, undecodableIssues } from './file-checks.js';
import { audioFacts } from './report.js';
import { timingIssues } from './timing-checks.js';
import type { AudioFacts, FileReport, Issue } from './types.js';

export interface CheckedFile {
  source: RecordingSource;
  /** null when the file could not be decoded. */
  audio: AudioFacts | null;
  issues: Issue[];
}

/** Checks one file of the folder `root` from its decoding. */
export async function checkFile(root: string, source: RecordingSource, decoded: DecodedAudio | Undecodable, riwayah: Riwayah): Promise<CheckedFile> {
  if (!isDecoded(decoded)) return { source, audio: null, issues: undecodableIssues(source.relPath, decoded) };
  const issues = fileIssues(source, decoded, riwayah);
  if (source.kind === 'surah') issues.push(...(await timingIssues(root, source, decoded.pcm.durationS, riwayah)));
  return { source, audio: audioFacts(decoded), issues };
}

/** The report's line for a checked file. */
export function fileReport({ source, audio }: CheckedFile): FileReport {
  return { relPath: source.relPath, kind: source.kind, ref: `${source.ref.surah}:${source.ref.ayah}`, audio };
}
