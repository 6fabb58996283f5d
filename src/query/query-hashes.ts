/**
 * query-hashes: the hashes a query looks up, each with the query times it stands for and,
 * for each time, the landmark's extensions (its next peaks: fingerprint/landmarks.ts) that
 * a posting's own extension is compared with after the look-up. Exact landmark hashes; for
 * tempo tolerance, each landmark's hash with its time difference scaled by 1 ± tolerance
 * (every integer dt in between), so a sped-up or slowed-down clip still meets its hashes;
 * or the hashes as they would be at another playback speed.
 */
import { bandOf, EXT_NONE, FINGERPRINT, type FingerprintConfig } from '../fingerprint/config.js';
import { extDf, extDt, packExt, packHash, unpackHash, type Landmarks } from '../fingerprint/landmarks.js';
import { QUERY } from './config.js';

/** How closely a posting's extension must match one of the query's (match.ts extMatches). */
export interface ExtTolerance {
  /** Time: ± max(dtMin, round(dt × dtRelative)) frames. */
  dtRelative: number;
  dtMin: number;
  /** Frequency: ± this many bins. */
  df: number;
}

export interface QueryHashes {
  /** Distinct hash values to look up. */
  distinct: number[];
  /** For each distinct hash (same order): the query times (frames) it stands for. */
  timesOf: Map<number, number[]>;
  /** For each distinct hash: `extsPer` extensions per entry of timesOf, in the same order. */
  extsOf: Map<number, number[]>;
  extsPer: number;
  tolerance: ExtTolerance;
}

/** Collects (hash, time, extensions) entries into QueryHashes. */
class QueryHashesBuilder {
  readonly timesOf = new Map<number, number[]>();
  readonly extsOf = new Map<number, number[]>();

  constructor(readonly extsPer: number) {}

  add(h: number, t: number, exts: ArrayLike<number>, from: number): void {
    const times = this.timesOf.get(h);
    const list = times ? this.extsOf.get(h)! : [];
    if (times) times.push(t);
    else {
      this.timesOf.set(h, [t]);
      this.extsOf.set(h, list);
    }
    for (let e = 0; e < this.extsPer; e++) list.push(exts[from + e]);
  }

  build(tolerance: ExtTolerance): QueryHashes {
    return { distinct: [...this.timesOf.keys()], timesOf: this.timesOf, extsOf: this.extsOf, extsPer: this.extsPer, tolerance };
  }
}

export function queryHashes(lm: Landmarks, tolerance: number, cfg: FingerprintConfig = FINGERPRINT): QueryHashes {
  const out = new QueryHashesBuilder(lm.extsPer);
  for (let i = 0; i < lm.length; i++) {
    const h = lm.hashes[i];
    const t = lm.times[i];
    if (tolerance <= 0) {
      out.add(h, t, lm.exts, i * lm.extsPer);
      continue;
    }
    const { anchorBin, df, dt } = unpackHash(h, cfg);
    const lo = Math.max(cfg.minDt, Math.round(dt * (1 - tolerance)));
    const hi = Math.min(cfg.maxDt, Math.round(dt * (1 + tolerance)));
    for (let d = lo; d <= hi; d++) out.add(packHash(anchorBin, df, d, cfg), t, lm.exts, i * lm.extsPer);
  }
  return out.build({ ...QUERY.ext, dtRelative: Math.max(QUERY.ext.dtRelative, tolerance) });
}

/** The recording's peak bin (relative to the band's lowest) of a clip's bin at `speed`: its frequency divided by `speed`. */
function recordingBin(speed: number, cfg: FingerprintConfig): (bin: number) => number {
  const { loBin } = bandOf(cfg);
  return (bin) => Math.round((bin + loBin) / speed) - loBin;
}

/**
 * The hash of each landmark of a clip played `speed` times faster than the recording (speed
 * change: pitch and tempo together, as when audio is sped up without pitch correction), -1
 * where it falls outside the hash layout or the query length. The recording's frequencies
 * are the clip's divided by `speed`, its time differences multiplied by it.
 */
export function speedKeys(lm: Landmarks, speed: number, cfg: FingerprintConfig = FINGERPRINT): Int32Array {
  const { bands } = bandOf(cfg);
  const keys = new Int32Array(lm.length);
  const at = recordingBin(speed, cfg);
  for (let i = 0; i < lm.length; i++) {
    const { anchorBin, df, dt } = unpackHash(lm.hashes[i], cfg);
    const f1 = at(anchorBin);
    const f2 = at(anchorBin + df);
    const d = Math.round(dt * speed);
    const t = Math.round(lm.times[i] * speed);
    const outside = t > QUERY.maxQueryFrames || f1 < 0 || f1 >= bands || f2 - f1 > cfg.maxDf || f1 - f2 > cfg.maxDf || d < cfg.minDt || d > cfg.maxDt;
    keys[i] = outside ? -1 : packHash(f1, f2 - f1, d, cfg);
  }
  return keys;
}

/**
 * Hashes of a clip played `speed` times faster than the recording (speedKeys), with their
 * extensions moved the same way; query times are scaled too, so the alignment slope stays
 * near 0. `keys`: the clip's speedKeys at `speed`; `keep`: only these hashes (the ones a pass
 * reads), so that a probe of many factors makes only what it votes with.
 */
export function speedHashes(lm: Landmarks, speed: number, cfg: FingerprintConfig = FINGERPRINT, keys = speedKeys(lm, speed, cfg), keep?: ReadonlySet<number>): QueryHashes {
  const out = new QueryHashesBuilder(lm.extsPer);
  const exts = new Uint16Array(lm.extsPer);
  const at = recordingBin(speed, cfg);
  for (let i = 0; i < lm.length; i++) {
    const h = keys[i];
    if (h < 0 || (keep && !keep.has(h))) continue;
    const { anchorBin } = unpackHash(lm.hashes[i], cfg);
    const f1 = at(anchorBin);
    for (let e = 0; e < lm.extsPer; e++) {
      const x = lm.exts[i * lm.extsPer + e];
      const xd = Math.round(extDt(x) * speed);
      const xf = at(anchorBin + extDf(x, cfg)) - f1;
      exts[e] = x === EXT_NONE || xd > cfg.maxDt || xf > cfg.maxDf || xf < -cfg.maxDf ? EXT_NONE : packExt(xd, xf, cfg);
    }
    out.add(h, Math.round(lm.times[i] * speed), exts, 0);
  }
  return out.build(QUERY.speed.ext);
}
