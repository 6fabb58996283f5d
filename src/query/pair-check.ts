/**
 * pair-check: a second, independent look at a candidate's alignment, in the postings the
 * look-up already read. A posting votes (match.ts) only when its landmark's third peak is
 * one of the clip's; reverberation smears and buries third peaks, so a reverberant clip of
 * an indexed recording finds its alignment with few votes. The pairs themselves (anchor and
 * second peak) survive far better: at the candidate's alignment, the clip's landmarks whose
 * pair the recording has there, though not their third peak, are evidence the votes did not
 * count. By chance, one of the recording's postings of a hash lands in the alignment's
 * window with probability window / frames of the recording (score.ts), so a few such pairs
 * are strong evidence, and nothing more is looked up. At 1,001 h this took reverberant
 * clips from 81 to 96 % top-1 (docs/benchmarks.md).
 */
import { frameOf } from '../index/api.js';
import type { LookupResult } from '../index/api.js';
import type { QueryHashes } from './query-hashes.js';
import { lowerBound } from '../util/lower-bound.js';

/** A candidate alignment (match.ts Candidate): recording time = (1 + slope) × query time + startFrame. */
export interface Alignment {
  recordingId: number;
  startFrame: number;
  slope: number;
  /** Distinct query times whose votes aligned (their pairs are aligned too, and not counted again). */
  aligned: number;
}

/** What the pair check found at one alignment. */
export interface PairEvidence {
  /** Query times whose landmark's pair is at the alignment (within the window), less the aligned ones the votes counted. */
  pairsOnly: number;
  /**
   * Postings the alignment's recording has of the looked-up hashes, each counted once per
   * query time of its hash: with the recording's length, the pairs expected at one
   * alignment by chance (score.ts), since a posting of the recording lands in the window
   * with probability window / frames of the recording.
   */
  postings: number;
}

/**
 * Whether a hit (offset `off` = recording time − query time, at query time `tq`) falls in the
 * scoring window of `window` frames of an alignment: recording time − (1 + slope) × query
 * time within [startFrame − 2, startFrame − 2 + window). The votes (match.ts refine) and the
 * pair check count with this one window.
 */
export function inWindow(a: { startFrame: number; slope: number }, off: number, tq: number, window: number): boolean {
  const x = off - a.slope * tq - (a.startFrame - 2);
  return x >= 0 && x < window;
}

/**
 * The pair evidence of each alignment: the distinct query times at which a landmark's pair is
 * at that alignment in its recording (within `window` frames, third peak or not), and the
 * recording's postings of the hashes looked up. A row holds its postings in recording order
 * (index/postings.ts), so each alignment's recording is found in it by bisection: the check
 * costs a few steps per row, not a pass over every posting.
 */
export function pairCheck(q: QueryHashes, found: LookupResult, alignments: Alignment[], window: number): PairEvidence[] {
  const seen = alignments.map(() => new Set<number>());
  const postings = new Float64Array(alignments.length);
  for (let i = 0; i < found.rows.length && alignments.length > 0; i++) {
    const times = q.timesOf.get(found.hashes[i]);
    if (!times) continue;
    const row = found.rows[i];
    for (let k = 0; k < alignments.length; k++) {
      const a = alignments[k];
      for (let p = 2 * lowerBound(row, a.recordingId, row.length / 2, 2); p < row.length && row[p] === a.recordingId; p += 2) {
        postings[k] += times.length;
        const tr = frameOf(row[p + 1]);
        for (const tq of times) if (inWindow(a, tr - tq, tq, window)) seen[k].add(tq);
      }
    }
  }
  return alignments.map((a, k) => ({ pairsOnly: Math.max(0, seen[k].size - a.aligned), postings: postings[k] }));
}
