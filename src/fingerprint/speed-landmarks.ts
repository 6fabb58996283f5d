/**
 * speed-landmarks: landmarks whose keys a change of speed does not change. Audio played s
 * times as fast (pitch and tempo together, as when it is sped up without pitch correction)
 * has every frequency multiplied by s and every time difference divided by s, so the exact
 * hashes (landmarks.ts) of a sped-up clip are not the recording's. A triplet of peaks (an
 * anchor and two consecutive peaks of its target zone) is keyed instead by what speed leaves
 * as it is: f2 / f1, f3 / f1, (t2 - t1) / (t3 - t1) and (t3 - t1) × f1, each quantized
 * (config.ts FINGERPRINT.speed), as Panako keys its triplets. Each landmark keeps its anchor's
 * frequency (in its extension's place), so a match tells the speed: the clip's anchor
 * frequency over the recording's.
 *
 * Keys are SPEED_KEY_BASE + a key of SPEED_KEY_SPACE values: the index keeps them in the
 * same rows as the exact hashes, after them.
 */
import { bandOf, EXACT_HASH_SPACE, FINGERPRINT, SPEED_KEY_BASE, SPEED_KEY_FIELDS, SPEED_KEY_SPACE } from './config.js';
import { targetZone, type Landmarks } from './landmarks.js';
import { RecentKeys } from './recent-keys.js';
import type { Peaks } from './peaks.js';

/** Keys emitted recently (a held vowel's repeats are emitted once), reused between calls of one thread. */
const recent = new RecentKeys(SPEED_KEY_SPACE);
/** Peaks of the current anchor's target zone (indices), reused. */
const zone = new Int32Array(FINGERPRINT.speed.triplets + 1);

/**
 * The speed-invariant landmarks of `peaks`: key, anchor time (frames) and, as the
 * extension, the anchor's FFT bin (from 0 Hz). A key repeated within maxDt frames (a
 * held vowel) is emitted once, as exact hashes are.
 */
export function speedLandmarksOf(peaks: Peaks): Landmarks {
  const cfg = FINGERPRINT;
  const { ratioStep, timeRatioStep, productStep, minDt, triplets } = cfg.speed;
  const { ratio, timeRatio, product, minLogProduct } = SPEED_KEY_FIELDS;
  const { loBin } = bandOf(cfg);
  const { times, bins, length } = peaks;
  const cap = length * triplets;
  const keys = new Uint32Array(cap);
  const at = new Uint32Array(cap);
  const anchors = new Uint16Array(cap);
  const half = (ratio - 1) / 2;
  let n = 0;
  for (let i = 0; i < length; i++) {
    const t1 = times[i];
    const f1 = bins[i] + loBin;
    const z = targetZone(peaks, i, minDt, triplets + 1, zone, cfg);
    for (let m = 0; m + 1 < z; m++) {
      const j = zone[m];
      const k = zone[m + 1];
      const d2 = times[j] - t1;
      const d3 = times[k] - t1;
      const q2 = Math.floor(Math.log((bins[j] + loBin) / f1) / ratioStep) + half;
      const q3 = Math.floor(Math.log((bins[k] + loBin) / f1) / ratioStep) + half;
      const qt = Math.min(timeRatio - 1, Math.floor(d2 / d3 / timeRatioStep));
      const qp = Math.floor((Math.log(d3 * f1) - minLogProduct) / productStep);
      if (qp < 0 || qp >= product) continue;
      const key = ((q2 * ratio + q3) * timeRatio + qt) * product + qp;
      if (recent.repeats(key, t1, cfg.maxDt)) continue;
      keys[n] = SPEED_KEY_BASE + key;
      at[n] = t1;
      anchors[n] = f1;
      n++;
    }
  }
  recent.clear();
  return { hashes: keys.subarray(0, n), times: at.subarray(0, n), exts: anchors.subarray(0, n), extsPer: 1, length: n };
}

/** Whether a hash value is a speed key (not an exact hash). */
export function isSpeedKey(hash: number): boolean {
  return hash >= EXACT_HASH_SPACE;
}

/** What the index keeps of a recording: its exact landmarks (one extension each) followed by its speed landmarks. */
export function indexedLandmarks(exact: Landmarks, peaks: Peaks): Landmarks {
  if (exact.extsPer !== 1) throw new Error('indexedLandmarks: the index keeps one extension per landmark');
  const speed = speedLandmarksOf(peaks);
  const join = <T extends Uint32Array | Uint16Array>(a: T, b: T, make: (n: number) => T): T => {
    const out = make(a.length + b.length);
    out.set(a);
    out.set(b, a.length);
    return out;
  };
  return {
    hashes: join(exact.hashes, speed.hashes, (n) => new Uint32Array(n)),
    times: join(exact.times, speed.times, (n) => new Uint32Array(n)),
    exts: join(exact.exts, speed.exts, (n) => new Uint16Array(n)),
    extsPer: 1,
    length: exact.length + speed.length,
  };
}
