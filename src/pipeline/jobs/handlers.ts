/**
 * The job handlers of an index build. Both runners call exactly these functions: the
 * in-process runner (embedded default) and BullMQ workers (REDIS_URL set).
 */
import path from 'node:path';
import { reasonOf } from '../../errors.js';
import { FINGERPRINT } from '../../fingerprint/config.js';
import { decodeBatch } from '../../fingerprint/decode-batch.js';
import { Fingerprinter } from '../../fingerprint/fingerprinter.js';
import { log } from '../../log.js';
import { stagingDir, writeStaging, type StagedRecording } from '../../index/api.js';
import { contentHashOfFile } from '../content-hash.js';
import type { RecordingSource } from '../../types.js';
import type { FingerprintJobData, FingerprintJobResult } from './types.js';

/**
 * Decodes (one ffmpeg process for the batch, retried file by file) and fingerprints
 * sources: a staged recording for each file that decoded, the reason for each that did not.
 */
export async function fingerprintSources(sources: RecordingSource[]): Promise<{ staged: StagedRecording[]; failed: FingerprintJobResult['failed'] }> {
  const staged: StagedRecording[] = [];
  const failed: FingerprintJobResult['failed'] = [];
  const fingerprinters: Fingerprinter[] = [];
  const [outcomes, contentHashes] = await Promise.all([
    decodeBatch(
      sources.map((s) => s.path),
      (i) => (fingerprinters[i] = new Fingerprinter()),
      { sampleRate: FINGERPRINT.sampleRate, retries: 2 },
    ),
    Promise.all(sources.map((s) => contentHashOfFile(s.path).catch((err: unknown) => err as Error))),
  ]);
  sources.forEach((src, i) => {
    const outcome = outcomes[i];
    const contentHash = contentHashes[i];
    if (!outcome.ok) return void failed.push({ relPath: src.relPath, reason: `${outcome.reason} (${outcome.ended})` });
    if (contentHash instanceof Error) return void failed.push({ relPath: src.relPath, reason: reasonOf(contentHash) });
    const fp = fingerprinters[i].finish();
    if (fp.durationS === 0) return void failed.push({ relPath: src.relPath, reason: 'no audio decoded' });
    staged.push({
      relPath: src.relPath,
      path: src.path,
      contentHash,
      durationS: fp.durationS,
      // A one-ayah file's timeline is the whole decoded file.
      timeline: src.timeline.length === 1 && src.kind !== 'surah' ? [{ ...src.timeline[0], start: 0, end: fp.durationS }] : src.timeline,
      hashes: fp.landmarks.hashes,
      times: fp.landmarks.times,
      exts: fp.landmarks.exts,
    });
  });
  return { staged, failed };
}

/** Fingerprints a job's batch of files and stages the landmarks for the merge. */
export async function runFingerprintJob(data: FingerprintJobData): Promise<FingerprintJobResult> {
  const { staged, failed } = await fingerprintSources(data.sources);
  const audioSeconds = staged.reduce((s, r) => s + r.durationS, 0);
  const stagingFile = path.join(stagingDir(data.indexDir, data.buildId), `${data.batchKey}.bin`);
  writeStaging(stagingFile, staged);
  const postings = staged.reduce((s, r) => s + r.hashes.length, 0);
  log.debug({ buildId: data.buildId, batch: data.batchKey, files: data.sources.length, postings }, 'fingerprint batch done');
  return { batchKey: data.batchKey, stagingFile, recordings: staged.length, postings, audioSeconds, failed };
}
