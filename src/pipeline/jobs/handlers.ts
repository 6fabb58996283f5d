/**
 * The job handlers of an index build. Both runners call exactly these functions: the
 * in-process runner (embedded default) and BullMQ workers (REDIS_URL set).
 */
import path from 'node:path';
import { reasonOf } from '../../errors.js';
import { fingerprintInput } from '../../fingerprint/fingerprinter.js';
import { log } from '../../log.js';
import { stagingDir, writeStaging, type StagedRecording } from '../../index/staging.js';
import { contentHashOfFile } from '../content-hash.js';
import type { FingerprintJobData, FingerprintJobResult } from './types.js';

/** Decodes and fingerprints a batch of files; stages the landmarks for the merge. */
export async function runFingerprintJob(data: FingerprintJobData): Promise<FingerprintJobResult> {
  const staged: StagedRecording[] = [];
  const failed: FingerprintJobResult['failed'] = [];
  let audioSeconds = 0;
  for (const src of data.sources) {
    try {
      const [contentHash, fp] = await Promise.all([contentHashOfFile(src.path), fingerprintInput(src.path)]);
      if (fp.durationS === 0) throw new Error('no audio decoded');
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
    } catch (err) {
      failed.push({ relPath: src.relPath, reason: reasonOf(err).replace(`${src.path}: `, '') });
    }
  }
  const stagingFile = path.join(stagingDir(data.indexDir, data.buildId), `${data.batchKey}.bin`);
  writeStaging(stagingFile, staged);
  const postings = staged.reduce((s, r) => s + r.hashes.length, 0);
  log.debug({ buildId: data.buildId, batch: data.batchKey, files: data.sources.length, postings }, 'fingerprint batch done');
  return { batchKey: data.batchKey, stagingFile, recordings: staged.length, postings, audioSeconds, failed };
}
