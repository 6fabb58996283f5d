/**
 * verify: a second, denser look at the strongest candidates of a clip that no pass answered
 * with confidence, against the candidates' own recordings. Reverberation leaves a clip few
 * landmarks whose third peak is still where the index has it, so in a large index its right
 * recording can be the best candidate with too few votes to be confident. The clip is
 * fingerprinted again with more peaks per second and more pairs per anchor
 * (QUERY.verify.fingerprint): the pairs the index kept are then far more often among the
 * clip's, even where reverberation moved the peaks that picked them. The index keeps every
 * recording's peaks (fingerprint/peak-list.ts), so a candidate's landmarks around its
 * alignment are made again from them, as the index made them, and nothing is looked up:
 * verifying costs a read of a few rows, not of the postings of thousands of hashes.
 *
 * At the candidate's alignment, the distinct query instants whose pair the recording has
 * there, besides those its votes counted, are evidence the search did not use. The alignment
 * is fixed, so chance puts a pair there only as often as the recording's landmarks of those
 * hashes (in the stretch looked at) land in the scoring window: the pair check's model
 * (pair-check.ts, score.ts verifiedCandidate).
 */
import { FINGERPRINT, FRAME_SECONDS } from '../fingerprint/config.js';
import { landmarksOf, type Landmarks } from '../fingerprint/landmarks.js';
import type { Peaks } from '../fingerprint/peaks.js';
import type { LookupResult } from '../index/api.js';
import { QUERY, type QueryConfig } from './config.js';
import { pairCheck, type Alignment, type PairEvidence } from './pair-check.js';
import { queryHashes, type QueryHashes } from './query-hashes.js';
import { isConfident, verifiedCandidate, type ScoredCandidate } from './score.js';
import { lowerBound } from '../util/lower-bound.js';

/**
 * The candidates worth verifying: none when the best is confident already; otherwise those
 * of the strongest few (`scored` is strongest first) with a few aligned votes whose chance
 * probability is not beyond what pairs can make up, at the clip's own time scale (a speed
 * pass's alignment is of hashes the dense fingerprint does not have).
 */
export function toVerify(scored: ScoredCandidate[], minConfidence?: number): ScoredCandidate[] {
  if (scored.length === 0 || isConfident(scored[0].confidence, minConfidence)) return [];
  const { candidates, minVotes, maxVoteLogP } = QUERY.verify;
  return scored.slice(0, candidates).filter((c) => c.aligned >= minVotes && c.voteLogP <= maxVoteLogP && Math.abs(c.slope) <= QUERY.maxSlope);
}

/** A clip's reads of its candidates' peaks, started as soon as the candidates are known and each recording's read once. */
export class PeaksReads {
  private readonly reads = new Map<number, Promise<Peaks | undefined>>();

  constructor(private readonly read: (ids: number[]) => Promise<Map<number, Peaks>>) {}

  /** Starts reading the peaks of those of `ids` not read yet. */
  start(ids: number[]): void {
    const todo = [...new Set(ids)].filter((id) => !this.reads.has(id));
    if (todo.length === 0) return;
    const read = this.read(todo);
    for (const id of todo) this.reads.set(id, read.then((m) => m.get(id)));
  }

  /** The peaks of `ids` (those the index has). */
  async get(ids: number[]): Promise<Map<number, Peaks>> {
    this.start(ids);
    const out = new Map<number, Peaks>();
    for (const id of new Set(ids)) {
      const p = await this.reads.get(id)!;
      if (p) out.set(id, p);
    }
    return out;
  }
}

/**
 * The candidates that verification makes stronger, scored again with the pairs of the clip's
 * `dense` landmarks (of `clipSeconds`) at their alignments, against each recording's `peaks`.
 */
export function verify(candidates: ScoredCandidate[], dense: Landmarks, clipSeconds: number, peaks: Map<number, Peaks>): ScoredCandidate[] {
  const q = queryHashes(dense, 0);
  const out: ScoredCandidate[] = [];
  for (const c of candidates) {
    const p = peaks.get(c.recordingId);
    if (!p || p.length === 0) continue;
    const { evidence, spanS } = evidenceAt(c, q, clipSeconds, p);
    const verified = verifiedCandidate(c, evidence, spanS);
    if (verified !== c) out.push(verified);
  }
  return out;
}

/**
 * The pairs of the clip's hashes `q` (of `clipSeconds`) at alignment `a` in its recording,
 * whose `peaks` give the landmarks, within `cfg`'s scoring window (as the votes and the pair
 * check count); and the seconds of recording they were looked for in.
 */
export function evidenceAt(a: Alignment, q: QueryHashes, clipSeconds: number, peaks: Peaks, cfg: QueryConfig = QUERY): { evidence: PairEvidence; spanS: number } {
  const { found, frames } = landmarksAround(a, clipSeconds, peaks, q.timesOf, cfg.verify.marginS);
  const [evidence] = pairCheck(q, found, [a], cfg.scoreWindow);
  return { evidence, spanS: frames * FRAME_SECONDS };
}

/**
 * The recording's landmarks (as the index made them) whose anchor is in the stretch of
 * `marginS` around the candidate's alignment, as look-up rows of the hashes in
 * `wanted`; and the length of that stretch, frames (what chance spreads them over).
 */
function landmarksAround(c: Alignment, clipSeconds: number, p: Peaks, wanted: ReadonlyMap<number, number[]>, marginS: number): { found: LookupResult; frames: number } {
  const margin = marginS / FRAME_SECONDS;
  const from = Math.max(0, Math.floor(c.startFrame - margin));
  const to = Math.min(p.times[p.length - 1] + 1, Math.ceil(c.startFrame + (1 + c.slope) * (clipSeconds / FRAME_SECONDS) + margin));
  const first = lowerBound(p.times, from, p.length);
  const last = lowerBound(p.times, to + FINGERPRINT.maxDt, p.length);
  const lm = landmarksOf({ times: p.times.subarray(first, last), bins: p.bins.subarray(first, last), length: last - first }, FINGERPRINT, 1);
  const rows = new Map<number, number[]>();
  for (let i = 0; i < lm.length; i++) {
    const t = lm.times[i];
    if (t >= to || !wanted.has(lm.hashes[i])) continue;
    const row = rows.get(lm.hashes[i]);
    if (row) row.push(c.recordingId, t);
    else rows.set(lm.hashes[i], [c.recordingId, t]);
  }
  return { found: { hashes: [...rows.keys()], rows: [...rows.values()].map((r) => Uint32Array.from(r)) }, frames: Math.max(1, to - from) };
}

