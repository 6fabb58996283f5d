/**
 * synthetic-reciters: grows an index to a given number of hours with distractor reciters
 * made from real recitation, for the scale benchmark where the real audio is not at hand.
 *
 * A variant is every base recording (real ayah files, fingerprinted) with its landmarks
 * moved in pitch by `shift` bins (|shift| ≥ 3: not a near copy the speed pass could take
 * for the original) and stretched in time by `scale` (0.80–1.25): another "voice" and
 * "tempo" reading the same text. Their hashes fall on the same kind of values as real
 * recitation and their postings grow the index as real reciters would (~390 k postings per
 * hour), so look-up cost, memory and chance hits can be measured at 1,000 hours. They are
 * no substitute for real reciters when it comes to accuracy: a real voice differs from
 * another in more than pitch and tempo.
 */
import path from 'node:path';
import { bandOf, FINGERPRINT } from '../fingerprint/config.js';
import { extDf, extDt, packExt, packHash, unpackHash } from '../fingerprint/landmarks.js';
import { EXT_NONE } from '../fingerprint/config.js';
import { packPeaks, unpackPeaks } from '../fingerprint/peak-list.js';
import type { Peaks } from '../fingerprint/peaks.js';
import { indexedLandmarks, isSpeedKey } from '../fingerprint/speed-landmarks.js';
import { commitRecordings, type StagedRecording } from '../index/api.js';
import { fingerprintSources } from '../pipeline/jobs/handlers.js';
import { scanReciterFolder } from '../pipeline/layout.js';

/** A real recording, fingerprinted: what variants are made of. */
export type BaseRecording = StagedRecording;

const SHIFTS = [...Array.from({ length: 18 }, (_, i) => -(i + 3)), ...Array.from({ length: 18 }, (_, i) => i + 3)];
const SCALES = Array.from({ length: 19 }, (_, i) => Math.round((0.8 + i * 0.025) * 1000) / 1000);

/** The k-th variant's (shift, scale): every pair of SHIFTS × SCALES, scales varying fastest. */
export function variantOf(k: number): { shift: number; scale: number } {
  return { shift: SHIFTS[Math.floor(k / SCALES.length) % SHIFTS.length], scale: SCALES[k % SCALES.length] };
}

export const MAX_VARIANTS = SHIFTS.length * SCALES.length;

/** Fingerprints the ayah files of reciter folders (the base of the variants), as add-reciter's jobs do. */
export async function fingerprintFolders(dirs: string[]): Promise<BaseRecording[]> {
  const out: BaseRecording[] = [];
  for (const dir of dirs) {
    const sources = (await scanReciterFolder(path.resolve(dir))).sources.filter((s) => s.timeline.length > 0);
    for (let i = 0; i < sources.length; i += 64) {
      const { staged } = await fingerprintSources(sources.slice(i, i + 64));
      out.push(...staged.map((s) => ({ ...s, relPath: `${path.basename(dir)}/${s.relPath}` })));
    }
  }
  return out;
}

/** Peaks moved in pitch by `shift` bins and stretched in time by `scale` (those leaving the band dropped), as the variant's landmarks are. */
function variantPeaks(peaks: Uint32Array, shift: number, scale: number, bands: number): Peaks {
  const { times, bins } = unpackPeaks(peaks);
  const moved: Peaks = { times: new Uint32Array(times.length), bins: new Uint16Array(times.length), length: 0 };
  for (let i = 0; i < times.length; i++) {
    const b = bins[i] + shift;
    if (b < 0 || b >= bands) continue;
    moved.times[moved.length] = Math.round(times[i] * scale);
    moved.bins[moved.length++] = b;
  }
  return { times: moved.times.subarray(0, moved.length), bins: moved.bins.subarray(0, moved.length), length: moved.length };
}

/**
 * A base recording as variant k: exact landmarks moved in pitch and stretched in time (those
 * leaving the hash space dropped), speed landmarks made again from its peaks moved the same way.
 */
export function variantRecording(base: BaseRecording, k: number): StagedRecording {
  const { shift, scale } = variantOf(k);
  const { bands } = bandOf();
  const hashes = new Uint32Array(base.hashes.length);
  const times = new Uint32Array(base.hashes.length);
  const exts = new Uint16Array(base.hashes.length);
  let n = 0;
  for (let i = 0; i < base.hashes.length; i++) {
    if (isSpeedKey(base.hashes[i])) continue;
    const { anchorBin, df, dt } = unpackHash(base.hashes[i]);
    const a = anchorBin + shift;
    const d = Math.round(dt * scale);
    if (a < 0 || a >= bands || a + df < 0 || a + df >= bands || d < FINGERPRINT.minDt || d > FINGERPRINT.maxDt) continue;
    hashes[n] = packHash(a, df, d);
    times[n] = Math.round(base.times[i] * scale);
    // The third peak moves with the pair (its frequency from the anchor is unchanged by a shift).
    const e = base.exts[i];
    const ed = Math.round(extDt(e) * scale);
    exts[n] = e === EXT_NONE || ed > FINGERPRINT.maxDt ? EXT_NONE : packExt(ed, extDf(e));
    n++;
  }
  const peaks = variantPeaks(base.peaks, shift, scale, bands);
  const landmarks = indexedLandmarks({ hashes: hashes.subarray(0, n), times: times.subarray(0, n), exts: exts.subarray(0, n), extsPer: 1, length: n }, peaks);
  return {
    peaks: packPeaks(peaks),
    relPath: `v${k}/${base.relPath}`,
    path: base.path,
    contentHash: `synthetic-${k}`,
    durationS: base.durationS * scale,
    timeline: base.timeline.map((e) => ({ ...e, start: e.start * scale, end: e.end * scale })),
    hashes: landmarks.hashes,
    times: landmarks.times,
    exts: landmarks.exts,
  };
}

/**
 * Adds variants `from`, `from + 1`, … until `seconds` of audio are added, committing one
 * synthetic reciter per `perCommitSeconds`; returns the next variant number.
 */
export async function addVariants(indexDir: string, base: BaseRecording[], from: number, seconds: number, perCommitSeconds = 180 * 3600): Promise<number> {
  let k = from;
  let added = 0;
  while (added < seconds) {
    if (k >= MAX_VARIANTS) throw new Error(`synthetic reciters: at most ${MAX_VARIANTS} variants`);
    const staged: StagedRecording[] = [];
    let chunk = 0;
    const first = k;
    while (chunk < perCommitSeconds && added + chunk < seconds && k < MAX_VARIANTS) {
      for (const b of base) staged.push(variantRecording(b, k));
      chunk += base.reduce((s, b) => s + b.durationS * variantOf(k).scale, 0);
      k++;
    }
    await commitRecordings(indexDir, {
      reciter: { id: `synthetic-${first}-${k - 1}`, nameEn: `Synthetic variants ${first}-${k - 1}`, riwayah: 'hafs' },
      staged,
      replaceRelPaths: [],
    });
    added += chunk;
  }
  return k;
}
