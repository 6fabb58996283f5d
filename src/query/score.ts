/**
 * score: how strong an alignment is, in one module: the chance model, the confidence it
 * gives, and the tests answers are decided by. identify, the timeline, follow mode and the
 * server score through here; every parameter is in config.ts (QUERY).
 *
 * The chance model: how likely an alignment of k matching hashes is by chance, given how
 * many hits a recording got at all. Random hits spread uniformly over the recording's
 * possible offsets form a Poisson process; the best of many windows (offsets × slopes) is
 * corrected for the number of windows tried, and for the number of recordings competing.
 * This keeps confidence honest as the index grows: a bigger index gives more random hits
 * and more competitors, and so needs more evidence for the same confidence.
 */
import { FRAME_SECONDS } from '../fingerprint/config.js';
import { QUERY } from './config.js';
import type { Candidate, MatchOutput } from './match.js';
import type { PairEvidence } from './pair-check.js';

/** log P(X ≥ k) for X ~ Poisson(λ). */
function logPoissonTail(k: number, lambda: number): number {
  if (k <= 0) return 0;
  if (lambda <= 0) return -Infinity;
  // Sum the terms from k upward in log space until they vanish.
  let logTerm = -lambda + k * Math.log(lambda) - logFactorial(k);
  let logSum = logTerm;
  for (let j = k + 1; j < k + 200; j++) {
    logTerm += Math.log(lambda / j);
    const next = logAdd(logSum, logTerm);
    if (next - logSum < 1e-12) break;
    logSum = next;
  }
  return Math.min(0, logSum);
}

function logAdd(a: number, b: number): number {
  const m = Math.max(a, b);
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
}

const factCache: number[] = [0];
function logFactorial(n: number): number {
  for (let i = factCache.length; i <= n; i++) factCache[i] = factCache[i - 1] + Math.log(i);
  return factCache[n];
}

interface ChanceInput {
  /** Aligned hits of the best window. */
  aligned: number;
  /** All hits of this recording, at any offset. */
  hits: number;
  /** Number of possible offsets (frames) = recording frames + query frames. */
  offsets: number;
  /** Width of the scoring window, frames. */
  window: number;
  /** Alignment slopes tried. */
  slopes: number;
  /** Recordings competing (that got any hit). */
  competitors: number;
  /** All hits of the query, over every recording, and the offsets of the whole index: a
   * recording that got only a few hits is still exposed to the index-wide rate of chance hits. */
  totalHits: number;
  totalOffsets: number;
}


/**
 * Natural log of the probability that chance alone gives an alignment this strong somewhere
 * in the index (not capped at 0, so that the pair check's evidence can be added to it).
 */
function chanceLogProbability(c: ChanceInput): number {
  const clumping = QUERY.evidenceClumping;
  const background = Math.max(0, c.hits - c.aligned) / clumping;
  const aligned = Math.floor(c.aligned / clumping);
  const local = (background * c.window) / Math.max(c.window, c.offsets);
  const global = (c.totalHits / clumping) * (c.window / Math.max(c.window, c.totalOffsets));
  const lambda = Math.max(1e-9, local, global);
  const windows = Math.max(1, c.offsets / c.window) * Math.max(1, c.slopes / 2) * Math.max(1, c.competitors);
  return logPoissonTail(aligned, lambda) + Math.log(windows);
}

/**
 * Natural log of the probability that chance puts the pair check's pairs at the alignment
 * (pair-check.ts): each of the recording's postings of the hashes looked up lands in the
 * scoring window with probability window / frames of the recording. The pairs found are
 * left out of that count (they are where the alignment says, not spread at random); the
 * votes' own postings are kept in (at chance, they are where the search put the alignment).
 * Measured at the 1,901 alignments checked for 500 clips of reciters not in a 1,001-hour
 * index: this model expected 156 of them to have a pair, 11.7 two or more and 1.0 three or
 * more; 183, 6 and 0 had. Pairs do not clump as votes do (the check counts query instants,
 * and only those the votes did not), so they are counted one by one.
 */
function pairLogProbability(p: PairEvidence, recordingFrames: number): number {
  const lambda = (Math.max(0, p.postings - p.pairsOnly) * QUERY.scoreWindow) / Math.max(QUERY.scoreWindow, recordingFrames);
  return logPoissonTail(p.pairsOnly, Math.max(1e-9, lambda));
}

/** An alignment candidate with its evidence. */
export interface ScoredCandidate {
  recordingId: number;
  aligned: number;
  confidence: number;
  /** Natural log of the chance probability (more negative: stronger evidence). */
  logP: number;
  /** Natural log of the chance probability of the votes alone, before any pair evidence (not capped); Infinity for a candidate with too few votes to be scored. */
  voteLogP: number;
  startFrame: number;
  slope: number;
  /** Pairs the pair check found at the alignment besides the aligned votes. */
  pairsOnly: number;
}

/** Aligned hashes of a candidate: its aligned votes, and the pairs the pair check found besides them once they are more than chance gives (QUERY.pairCheck.minPairs). */
export function alignedOf(c: { aligned: number; pairsOnly: number }): number {
  return c.aligned + (c.pairsOnly >= QUERY.pairCheck.minPairs ? c.pairsOnly : 0);
}

/** Strongest evidence first; equal evidence: more aligned hashes first. */
export const strongestFirst = (a: ScoredCandidate, b: ScoredCandidate) => a.logP - b.logP || alignedOf(b) - alignedOf(a);

/** What scoring the candidates of one run of look-ups needs besides them. */
export interface ScoreContext {
  /** Length of the clip, seconds. */
  clipSeconds: number;
  /** Speed factor the run's hashes were computed at (1: the clip as it is). */
  speed: number;
  /** Look-up variants tried for the clip: each is another chance for a chance alignment. */
  hypotheses: number;
  /** Frames of audio in the index (what chance hits spread over). */
  indexFrames: number;
}

/**
 * Whether a candidate aligns enough hashes to be a match at all, votes and pairs of the pair
 * check together (only those are scored, and need their recording's duration).
 */
export function canMatch(c: Candidate): boolean {
  return alignedOf({ aligned: c.aligned, pairsOnly: c.pairs?.pairsOnly ?? 0 }) >= QUERY.minAligned;
}

/**
 * Whether scoring a candidate needs its recording's duration (and its votes' chance
 * probability): one that can be a match, or one verify.ts may look at again (the pair check
 * looked at it, and it has QUERY.verify.minVotes aligned votes).
 */
export function needsDuration(c: Candidate): boolean {
  return canMatch(c) || (c.pairs !== undefined && c.aligned >= QUERY.verify.minVotes);
}

/**
 * A candidate scored again with the evidence verify.ts found at its alignment: the pairs of
 * the clip's dense landmarks there besides its aligned votes, counted against chance as the
 * pair check's are (pairLogProbability: the recording's landmarks of those hashes spread over
 * the `spanS` seconds they were taken from), on top of its votes' own chance probability. The
 * denser landmarks make pairs cheaper to come by, so a verified candidate needs more of them
 * to count at all (QUERY.verify.minAligned aligned votes and pairs); it keeps its earlier
 * score when that is stronger.
 */
export function verifiedCandidate(c: ScoredCandidate, dense: PairEvidence, spanS: number): ScoredCandidate {
  if (c.aligned + dense.pairsOnly < QUERY.verify.minAligned) return c;
  const logP = Math.min(0, c.voteLogP + pairLogProbability(dense, spanS / FRAME_SECONDS));
  return logP < c.logP ? { ...c, logP, confidence: confidenceOf(logP), pairsOnly: Math.max(c.pairsOnly, dense.pairsOnly) } : c;
}

/**
 * The run's candidates scored, strongest first: chance probability and confidence, the
 * alignment converted from the run's speed back to the clip's own time. `durationS`: the
 * duration of a candidate's recording (needed for those that canMatch).
 */
export function scoreCandidates(m: MatchOutput, durationS: (recordingId: number) => number | undefined, ctx: ScoreContext): ScoredCandidate[] {
  const clipFrames = (ctx.clipSeconds * ctx.speed) / FRAME_SECONDS;
  return m.candidates
    .map((c) => {
      const recordingFrames = (durationS(c.recordingId) ?? 0) / FRAME_SECONDS;
      const voteLogP = !needsDuration(c)
        ? Infinity
        : chanceLogProbability({
            aligned: c.aligned,
            hits: c.hits,
            offsets: recordingFrames + clipFrames,
            window: QUERY.scoreWindow,
            slopes: m.slopesTried * ctx.hypotheses,
            competitors: m.competitors,
            totalHits: m.totalHits,
            totalOffsets: ctx.indexFrames + m.competitors * clipFrames,
          });
      const logP = !canMatch(c) ? 0 : Math.min(0, voteLogP + (c.pairs ? pairLogProbability(c.pairs, recordingFrames) : 0));
      const pairsOnly = c.pairs?.pairsOnly ?? 0;
      return { recordingId: c.recordingId, aligned: c.aligned, pairsOnly, confidence: confidenceOf(logP), logP, voteLogP, startFrame: c.startFrame, slope: (1 + c.slope) * ctx.speed - 1 };
    })
    .sort(strongestFirst);
}

/** Confidence of an alignment: 1 − its chance probability. */
export function confidenceOf(logP: number): number {
  return 1 - Math.exp(logP);
}

/** Whether a confidence makes a match (identify --min-confidence; QUERY.minConfidence by default). */
export function isConfident(confidence: number, minConfidence: number = QUERY.minConfidence): boolean {
  return confidence >= minConfidence;
}

/** A best candidate that ends identify's passes early: confident, and aligned (votes and pairs) on at least QUERY.decisiveAligned query instants. */
export function isDecisive(best: ScoredCandidate | undefined, minConfidence?: number): boolean {
  return best !== undefined && isConfident(best.confidence, minConfidence) && alignedOf(best) >= QUERY.decisiveAligned;
}

/** A confidence at chance level: listings leave such alternatives out. */
export function atChanceLevel(confidence: number): boolean {
  return confidence < QUERY.chanceLevelConfidence;
}

/** Evidence of one window's alignment (−ln of its chance probability), capped: one window must not outvote its neighbours' context. */
export function windowEvidence(logP: number, maxEvidence: number = QUERY.timeline.maxEvidence): number {
  return Math.min(-logP, maxEvidence);
}
