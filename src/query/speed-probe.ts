/**
 * speed-probe: which playback speeds a clip may be at, from its speed-invariant landmarks
 * (fingerprint/speed-landmarks.ts). A speed key's posting that matches a clip's landmark
 * tells the speed (the clip's anchor frequency over the recording's) and so where the clip
 * starts in the recording (recording time = speed × clip time + start). Hits are voted per
 * recording and start; a recording whose best start gathers `minVotes` is a candidate, and
 * its hits' mean speed is the factor the speed pass then looks at with exact hashes. The
 * probe finds; it never answers (the exact hashes at its factors are scored as every pass is).
 *
 * Hits of recordings with fewer than `minVotes` hits in all (almost all of them) are
 * dropped before anything is sorted; no per-hit objects.
 */
import { extOf, frameOf, type LookupResult } from '../index/api.js';
import type { Landmarks } from '../fingerprint/landmarks.js';
import { allowsEvery, doubled, RecordingHits } from './recording-hits.js';

export interface SpeedProbeConfig {
  /** Speeds considered: a hit whose anchor frequencies say otherwise does not vote. */
  minSpeed: number;
  maxSpeed: number;
  /** Start bin, frames: hits vote for (recording, start / binFrames); a start is summed over ± 1 bin. */
  binFrames: number;
  /** Votes a candidate needs. */
  minVotes: number;
}

/** A recording the probe found, with the speed its hits say. */
export interface SpeedCandidate {
  recordingId: number;
  votes: number;
  speed: number;
}

/** Hits per recording while a probe's hits are collected (recording-hits.ts). */
const perRec = new RecordingHits();
/** The probe's hits: recording, start (frames) and speed; then, of those kept, recording × 2^20 + start bin (sorted). */
let hitRecs = new Int32Array(1 << 14);
let hitStarts = new Float64Array(1 << 14);
let hitSpeeds = new Float64Array(1 << 14);
let hitKeys = new Float64Array(1 << 14);
const BIN_SPACE = 1 << 20;
const BIN_BIAS = 1 << 19;

/**
 * Candidates of the probe, most votes first: `lm` the clip's speed landmarks (extension:
 * anchor bin), `found` the postings of the keys looked up.
 */
export function probeSpeeds(lm: Landmarks, found: LookupResult, allowed: Uint8Array, cfg: SpeedProbeConfig): SpeedCandidate[] {
  perRec.cover(allowed.length);
  const entries = clipEntries(lm);
  const all = allowsEvery(allowed);
  // 1. Every hit whose speed is in range, counted per recording.
  let n = 0;
  for (let i = 0; i < found.rows.length; i++) {
    const clip = entries.get(found.hashes[i]);
    if (!clip) continue;
    const row = found.rows[i];
    for (let j = 0; j < clip.length; j += 2) {
      const t = clip[j];
      const anchor = clip[j + 1];
      // The recording's anchor bins that put the speed in range.
      const lo = anchor / cfg.maxSpeed;
      const hi = anchor / cfg.minSpeed;
      for (let p = 0; p < row.length; p += 2) {
        const bin = extOf(row[p + 1]);
        if (bin < lo || bin > hi) continue;
        const rec = row[p];
        if (rec >= allowed.length || (!all && !allowed[rec])) continue;
        if (n === hitRecs.length) {
          hitRecs = doubled(hitRecs);
          hitStarts = doubled(hitStarts);
          hitSpeeds = doubled(hitSpeeds);
        }
        const speed = anchor / bin;
        hitRecs[n] = rec;
        hitStarts[n] = frameOf(row[p + 1]) - speed * t;
        hitSpeeds[n++] = speed;
        perRec.add(rec);
      }
    }
  }
  // 2. The hits of recordings with enough of them, as (recording, start bin) keys.
  let kept = 0;
  for (let k = 0; k < n; k++) {
    if (perRec.of(hitRecs[k]) < cfg.minVotes) continue;
    if (kept === hitKeys.length) hitKeys = doubled(hitKeys);
    hitKeys[kept] = hitRecs[k] * BIN_SPACE + Math.round(hitStarts[k] / cfg.binFrames) + BIN_BIAS;
    hitSpeeds[kept++] = hitSpeeds[k];
  }
  perRec.clear();
  return bestStarts(kept, cfg);
}

/** A clip's landmarks by key: key → [time, anchor bin, time, anchor bin, ...]. */
function clipEntries(lm: Landmarks): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (let i = 0; i < lm.length; i++) {
    const list = out.get(lm.hashes[i]);
    if (list) list.push(lm.times[i], lm.exts[i]);
    else out.set(lm.hashes[i], [lm.times[i], lm.exts[i]]);
  }
  return out;
}

/** Each recording's best start (its hits within ± 1 bin), from the `n` hits kept; most votes first. */
function bestStarts(n: number, cfg: SpeedProbeConfig): SpeedCandidate[] {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => hitKeys[a] - hitKeys[b]);
  const best = new Map<number, SpeedCandidate>();
  let lo = 0;
  let sum = 0;
  for (let hi = 0; hi < n; hi++) {
    const key = hitKeys[order[hi]];
    sum += hitSpeeds[order[hi]];
    while (hitKeys[order[lo]] < key - 2) sum -= hitSpeeds[order[lo++]];
    const votes = hi - lo + 1;
    const rec = Math.floor(key / BIN_SPACE);
    if (Math.floor(hitKeys[order[lo]] / BIN_SPACE) !== rec || votes < cfg.minVotes) continue;
    const had = best.get(rec);
    if (!had || votes > had.votes) best.set(rec, { recordingId: rec, votes, speed: sum / votes });
  }
  return [...best.values()].sort((a, b) => b.votes - a.votes || a.recordingId - b.recordingId);
}

/**
 * The speed factors the speed pass looks at: the factor nearest each probe candidate's
 * speed, strongest candidate first, then the strongest's second nearest, `max` distinct
 * ones at most. 1 is never one (the exact pass looked at it).
 */
export function factorsToConfirm(found: SpeedCandidate[], factors: readonly number[], max: number): number[] {
  const byDistance = (speed: number) => factors.filter((f) => f !== 1).sort((a, b) => Math.abs(a - speed) - Math.abs(b - speed));
  const wanted = [...found.map((c) => byDistance(c.speed)[0]), ...(found.length ? [byDistance(found[0].speed)[1]] : [])];
  return [...new Set(wanted)].slice(0, max);
}
