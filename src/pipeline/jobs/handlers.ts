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
import { stagingDir, writeStaging, type StagedRecording } from '../../index/staging.js';
import { contentHashOfFile } from '../content-hash.js';
import type { FingerprintJobData, FingerprintJobResult } from './types.js';

/** Decodes (one ffmpeg process for the batch) and fingerprints a batch of files; stages the landmarks for the merge. */
export async function runFingerprintJob(data: FingerprintJobData): Promise<FingerprintJobResult> {
  const staged: StagedRecording[] = [];
  const failed: FingerprintJobResult['failed'] = [];
  let audioSeconds = 0;
  const fingerprinters: Fingerprinter[] = [];
  const [outcomes, contentHashes] = await Promise.all([
    decodeBatch(
      data.sources.map((s) => s.path),
      (i) => (fingerprinters[i] = new Fingerprinter()),
      { sampleRate: FINGERPRINT.sampleRate, retries: 2 },
    ),
    Promise.all(data.sources.map((s) => contentHashOfFile(s.path).catch((err: unknown) => err as Error))),
  ]);
  data.sources.forEach((src, i) => {
    const outcome = outcomes[i];
    const contentHash = contentHashes[i];
    const fp = outcome.ok ? fingerprinters[i].finish() : undefined;
    const reason = !outcome.ok ? `${outcome.reason} (${outcome.ended})` : contentHash instanceof Error ? reasonOf(contentHash) : fp!.durationS === 0 ? 'no audio decoded' : undefined;
    if (reason || !fp || typeof contentHash !== 'string') return void failed.push({ relPath: src.relPath, reason: reason ?? 'no audio decoded' });
    audioSeconds += fp.durationS;
    staged.push({
      relPath: src.relPath,
      path: src.path,
      contentHash,
      durationS: fp.durationS,
      timeline: src.timeline.length === 1 && src.kind !== 'surah' ? [{ ...src.timeline[0], start: 0, end: fp.durationS }] : src.timeline,
      hashes: fp.landmarks.hashes,
      times: fp.landmarks.times,
    });
  });
  const stagingFile = path.join(stagingDir(data.indexDir, data.buildId), `${data.batchKey}.bin`);
  writeStaging(stagingFile, staged);
  const postings = staged.reduce((s, r) => s + r.hashes.length, 0);
  log.debug({ buildId: data.buildId, batch: data.batchKey, files: data.sources.length, postings }, 'fingerprint batch done');
  return { batchKey: data.batchKey, stagingFile, recordings: staged.length, postings, audioSeconds, failed };
}
