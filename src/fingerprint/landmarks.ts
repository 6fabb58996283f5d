/**
 * landmarks: pairs each anchor peak with the next peaks of its target zone and packs each
 * pair into a 20-bit hash (anchor bin | frequency difference | time difference), as in
 * Shazam, audfprint and Olaf. A hash repeated by a held vowel within `maxDt` frames is
 * emitted once: it carries no new information.
 *
 * Each landmark also carries extensions: the peaks of the anchor's target zone that come
 * after the paired one, packed in 12 bits each (config.ts EXT_BITS). An indexed landmark
 * keeps one (the next peak: with the pair, a triplet); a query keeps the next few, so that a
 * spurious peak in a noisy clip does not hide the one the index kept.
 */
import { EXACT_HASH_SPACE, EXT_NONE, FINGERPRINT, type FingerprintConfig } from './config.js';
import type { Peaks } from './peaks.js';
import { RecentKeys } from './recent-keys.js';

/** Landmarks as parallel typed arrays: hash value, anchor time (frames) and `extsPer` extensions each. */
export interface Landmarks {
  hashes: Uint32Array;
  times: Uint32Array;
  /** Extensions of landmark i: exts[i * extsPer .. (i + 1) * extsPer), EXT_NONE where the zone has no more peaks. */
  exts: Uint16Array;
  extsPer: number;
  length: number;
}

export function packHash(anchorBin: number, df: number, dt: number, cfg: FingerprintConfig = FINGERPRINT): number {
  return ((anchorBin & 0xff) << 12) | (((df + cfg.maxDf) & 0x3f) << 6) | (dt & 0x3f);
}

export function unpackHash(hash: number, cfg: FingerprintConfig = FINGERPRINT): { anchorBin: number; df: number; dt: number } {
  return { anchorBin: hash >>> 12, df: ((hash >>> 6) & 0x3f) - cfg.maxDf, dt: hash & 0x3f };
}

/** A third peak as an extension: its time (frames) and frequency (bins) from the anchor. */
export function packExt(dt: number, df: number, cfg: FingerprintConfig = FINGERPRINT): number {
  return ((dt & 0x3f) << 6) | ((df + cfg.maxDf) & 0x3f);
}

/** Time from the anchor of an extension's peak (frames); for EXT_NONE, 63. */
export function extDt(ext: number): number {
  return ext >>> 6;
}

/** Frequency from the anchor of an extension's peak (bins). */
export function extDf(ext: number, cfg: FingerprintConfig = FINGERPRINT): number {
  return (ext & 0x3f) - cfg.maxDf;
}

/** Exact hashes emitted recently (a held vowel's repeats are emitted once), reused between calls of one thread. */
const recent = new RecentKeys(EXACT_HASH_SPACE);
/** Peaks of the current anchor's target zone (indices), reused. */
let zone = new Int32Array(16);

/**
 * The first `cap` peaks of anchor `i`'s target zone (`minDt`..maxDt frames after it, within
 * ± maxDf bins) into `into`, as indices of `peaks`; returns how many.
 */
export function targetZone(peaks: Peaks, i: number, minDt: number, cap: number, into: Int32Array, cfg: FingerprintConfig = FINGERPRINT): number {
  const { times, bins, length } = peaks;
  const t1 = times[i];
  let z = 0;
  for (let j = i + 1; j < length && z < cap; j++) {
    const dt = times[j] - t1;
    if (dt > cfg.maxDt) break;
    if (dt < minDt) continue;
    const df = bins[j] - bins[i];
    if (df > cfg.maxDf || df < -cfg.maxDf) continue;
    into[z++] = j;
  }
  return z;
}

/**
 * Landmarks of `peaks`, each with `extsPer` extensions (1 for the index, a few for a query).
 */
export function landmarksOf(peaks: Peaks, cfg: FingerprintConfig = FINGERPRINT, extsPer = 1): Landmarks {
  const { times, bins, length } = peaks;
  const cap = length * cfg.fanOut;
  const hashes = new Uint32Array(cap);
  const at = new Uint32Array(cap);
  const exts = new Uint16Array(cap * extsPer).fill(EXT_NONE);
  if (zone.length < cfg.fanOut + extsPer) zone = new Int32Array(cfg.fanOut + extsPer);
  const zoneCap = cfg.fanOut + extsPer;
  let n = 0;
  for (let i = 0; i < length; i++) {
    const t1 = times[i];
    const f1 = bins[i];
    // The zone's first fanOut peaks pair with the anchor; the ones after give extensions.
    const z = targetZone(peaks, i, cfg.minDt, zoneCap, zone, cfg);
    const pairs = z < cfg.fanOut ? z : cfg.fanOut;
    for (let m = 0; m < pairs; m++) {
      const j = zone[m];
      const h = packHash(f1, bins[j] - f1, times[j] - t1, cfg);
      if (recent.repeats(h, t1, cfg.maxDt)) continue;
      hashes[n] = h;
      at[n] = t1;
      for (let e = 0; e < extsPer && m + 1 + e < z; e++) {
        const k = zone[m + 1 + e];
        exts[n * extsPer + e] = packExt(times[k] - t1, bins[k] - f1, cfg);
      }
      n++;
    }
  }
  recent.clear();
  return { hashes: hashes.subarray(0, n), times: at.subarray(0, n), exts: exts.subarray(0, n * extsPer), extsPer, length: n };
}
