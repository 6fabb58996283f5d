/**
 * landmarks: pairs each anchor peak with the next peaks of its target zone and packs each
 * pair into a 20-bit hash (anchor bin | frequency difference | time difference), as in
 * Shazam, audfprint and Olaf. A hash repeated by a held vowel within `maxDt` frames is
 * emitted once: it carries no new information.
 */
import { FINGERPRINT, HASH_SPACE, type FingerprintConfig } from './config.js';
import type { Peaks } from './peaks.js';

/** Landmarks as parallel typed arrays: hash value and anchor time (frames). */
export interface Landmarks {
  hashes: Uint32Array;
  times: Uint32Array;
  length: number;
}

export function packHash(anchorBin: number, df: number, dt: number, cfg: FingerprintConfig = FINGERPRINT): number {
  return ((anchorBin & 0xff) << 12) | (((df + cfg.maxDf) & 0x3f) << 6) | (dt & 0x3f);
}

export function unpackHash(hash: number, cfg: FingerprintConfig = FINGERPRINT): { anchorBin: number; df: number; dt: number } {
  return { anchorBin: hash >>> 12, df: ((hash >>> 6) & 0x3f) - cfg.maxDf, dt: hash & 0x3f };
}

/** Last frame a hash was emitted at (+1; 0 = never), reused between calls of one thread. */
let lastSeen: Int32Array | null = null;

export function landmarksOf(peaks: Peaks, cfg: FingerprintConfig = FINGERPRINT): Landmarks {
  const { times, bins, length } = peaks;
  const cap = length * cfg.fanOut;
  const hashes = new Uint32Array(cap);
  const at = new Uint32Array(cap);
  const seen = (lastSeen ??= new Int32Array(HASH_SPACE));
  const touched: number[] = [];
  let n = 0;
  for (let i = 0; i < length; i++) {
    const t1 = times[i];
    const f1 = bins[i];
    let made = 0;
    for (let j = i + 1; j < length && made < cfg.fanOut; j++) {
      const dt = times[j] - t1;
      if (dt > cfg.maxDt) break;
      if (dt < cfg.minDt) continue;
      const df = bins[j] - f1;
      if (df > cfg.maxDf || df < -cfg.maxDf) continue;
      made++;
      const h = packHash(f1, df, dt, cfg);
      const prev = seen[h];
      if (prev !== 0 && t1 - (prev - 1) <= cfg.maxDt) continue;
      if (prev === 0) touched.push(h);
      seen[h] = t1 + 1;
      hashes[n] = h;
      at[n] = t1;
      n++;
    }
  }
  for (const h of touched) seen[h] = 0;
  return { hashes: hashes.subarray(0, n), times: at.subarray(0, n), length: n };
}
