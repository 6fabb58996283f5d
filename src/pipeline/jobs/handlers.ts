/**
 * The job handlers of an index build. Both runners call exactly these functions: the
 * in-process runner (embedded default) and BullMQ workers (REDIS_URL set).
 */
import path from 'node:path';
import { reasonOf } from '../../errors.js';
import { packPeaks } from '../../fingerprint/peak-list.js';
import { Fingerprinter } from '../../fingerprint/fingerprinter.js';
import { indexedLandmarks } from '../../fingerprint/speed-landmarks.js';
import { log } from '../../log.js';
import { stagingDir, writeStaging, type StagedRecording } from '../../index/api.js';
import { contentHashOfFile } from '../content-hash.js';
import { checkFile, type CheckedFile } from '../validate/check-file.js';
import { decodeStatsBatch, isDecoded } from '../validate/decode-stats.js';
import type { RecordingSource } from '../../types.js';
import type { FingerprintJobData, FingerprintJobResult } from './types.js';

/**
 * Decodes each source once (one ffmpeg process for the batch, retried file by file),
 * measuring it for validation and fingerprinting it from the same samples: a staged
 * recording for each file that decoded, the reason for each that did not, and with
 * `validate` each file's checks (a file that cannot be decoded is then a validation error,
 * not a failure).
 */
export async function fingerprintSources(
  sources: RecordingSource[],
  validate?: FingerprintJobData['validate'],
): Promise<{ staged: StagedRecording[]; failed: FingerprintJobResult['failed']; checked?: CheckedFile[] }> {
  const staged: StagedRecording[] = [];
  const failed: FingerprintJobResult['failed'] = [];
  const fingerprinters: Fingerprinter[] = [];
  const [decoded, contentHashes] = await Promise.all([
    decodeStatsBatch(
      sources.map((s) => s.path),
      { tee: (i) => (fingerprinters[i] = new Fingerprinter()) },
    ),
    Promise.all(sources.map((s) => contentHashOfFile(s.path).catch((err: unknown) => err as Error))),
  ]);
  // A decoding the machine interrupted (ffmpeg killed, after the retries) is a failure, never a verdict on the file.
  const judged = sources.map((_, i) => i).filter((i) => !decoded[i].interrupted);
  const checked = validate && (await Promise.all(judged.map((i) => checkFile(validate.root, sources[i], decoded[i], validate.riwayah))));
  sources.forEach((src, i) => {
    const audio = decoded[i];
    const contentHash = contentHashes[i];
    const failure = isDecoded(audio) ? audio.failure : audio.reason;
    if (failure) return void (validate && !audio.interrupted ? undefined : failed.push({ relPath: src.relPath, reason: failure }));
    if (contentHash instanceof Error) return void failed.push({ relPath: src.relPath, reason: reasonOf(contentHash) });
    const fp = fingerprinters[i].finish();
    if (fp.durationS === 0) return void (validate ? undefined : failed.push({ relPath: src.relPath, reason: 'no audio decoded' }));
    const landmarks = indexedLandmarks(fp.landmarks, fp.peaks);
    staged.push({
      relPath: src.relPath,
      path: src.path,
      contentHash,
      durationS: fp.durationS,
      // A one-ayah file's timeline is the whole decoded file.
      timeline: src.timeline.length === 1 && src.kind !== 'surah' ? [{ ...src.timeline[0], start: 0, end: fp.durationS }] : src.timeline,
      hashes: landmarks.hashes,
      times: landmarks.times,
      exts: landmarks.exts,
      peaks: packPeaks(fp.peaks),
    });
  });
  return { staged, failed, ...(checked ? { checked } : {}) };
}

/** Fingerprints a job's batch of files and stages the landmarks for the merge. */
export async function runFingerprintJob(data: FingerprintJobData): Promise<FingerprintJobResult> {
  const { staged, failed, checked } = await fingerprintSources(data.sources, data.validate);
  const audioSeconds = staged.reduce((s, r) => s + r.durationS, 0);
  const stagingFile = path.join(stagingDir(data.indexDir, data.buildId), `${data.batchKey}.bin`);
  writeStaging(stagingFile, staged);
  const postings = staged.reduce((s, r) => s + r.hashes.length, 0);
  log.debug({ buildId: data.buildId, batch: data.batchKey, files: data.sources.length, postings }, 'fingerprint batch done');
  return { batchKey: data.batchKey, stagingFile, recordings: staged.length, postings, audioSeconds, failed, ...(checked ? { checked } : {}) };
}
