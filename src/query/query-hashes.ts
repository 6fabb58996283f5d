/**
 * query-hashes: the hashes a query looks up. Exact landmark hashes, or, for tempo
 * tolerance, each landmark's hash with its time difference scaled by 1 ± tolerance
 * (every integer dt in between), so a sped-up or slowed-down clip still meets its hashes.
 */
import { bandOf, FINGERPRINT, type FingerprintConfig } from '../fingerprint/config.js';
import { packHash, unpackHash, type Landmarks } from '../fingerprint/landmarks.js';
import { QUERY } from './config.js';

export interface QueryHashes {
  /** Distinct hash values to look up. */
  distinct: number[];
  /** For each distinct hash (same order): the query times (frames) it stands for. */
  timesOf: Map<number, number[]>;
}

export function queryHashes(lm: Landmarks, tolerance: number, cfg: FingerprintConfig = FINGERPRINT): QueryHashes {
  const timesOf = new Map<number, number[]>();
  const add = (h: number, t: number) => {
    const list = timesOf.get(h);
    if (list) list.push(t);
    else timesOf.set(h, [t]);
  };
  for (let i = 0; i < lm.length; i++) {
    const h = lm.hashes[i];
    const t = lm.times[i];
    if (tolerance <= 0) {
      add(h, t);
      continue;
    }
    const { anchorBin, df, dt } = unpackHash(h, cfg);
    const lo = Math.max(cfg.minDt, Math.round(dt * (1 - tolerance)));
    const hi = Math.min(cfg.maxDt, Math.round(dt * (1 + tolerance)));
    for (let d = lo; d <= hi; d++) add(packHash(anchorBin, df, d, cfg), t);
  }
  return { distinct: [...timesOf.keys()], timesOf };
}

/**
 * Hashes of a clip played `speed` times faster than the recording (speed change: pitch and
 * tempo together, as when audio is sped up without pitch correction). The recording's
 * frequencies are the clip's divided by `speed`, its time differences multiplied by it;
 * query times are scaled too, so the alignment slope stays near 0.
 */
export function speedHashes(lm: Landmarks, speed: number, cfg: FingerprintConfig = FINGERPRINT): QueryHashes {
  const { loBin, bands } = bandOf(cfg);
  const timesOf = new Map<number, number[]>();
  for (let i = 0; i < lm.length; i++) {
    const { anchorBin, df, dt } = unpackHash(lm.hashes[i], cfg);
    const f1 = Math.round((anchorBin + loBin) / speed) - loBin;
    const f2 = Math.round((anchorBin + df + loBin) / speed) - loBin;
    const d = Math.round(dt * speed);
    const t = Math.round(lm.times[i] * speed);
    if (t > QUERY.maxQueryFrames || f1 < 0 || f1 >= bands || f2 - f1 > cfg.maxDf || f1 - f2 > cfg.maxDf || d < cfg.minDt || d > cfg.maxDt) continue;
    const h = packHash(f1, f2 - f1, d, cfg);
    const list = timesOf.get(h);
    if (list) list.push(t);
    else timesOf.set(h, [t]);
  }
  return { distinct: [...timesOf.keys()], timesOf };
}
