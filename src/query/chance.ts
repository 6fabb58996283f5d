/**
 * chance: how likely an alignment of k matching hashes is by chance, given how many hits
 * a recording got at all. Random hits spread uniformly over the recording's possible
 * offsets form a Poisson process; the best of many windows (offsets × slopes) is corrected
 * for the number of windows tried, and for the number of recordings competing. This keeps
 * confidence honest as the index grows: a bigger index gives more random hits and more
 * competitors, and so needs more evidence for the same confidence.
 */
import { QUERY } from './config.js';

/** log P(X ≥ k) for X ~ Poisson(λ). */
export function logPoissonTail(k: number, lambda: number): number {
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

export interface ChanceInput {
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
 * in the index. Kept in logs so that strong candidates still rank where 1 − p saturates.
 */
export function chanceLogProbability(c: ChanceInput): number {
  const clumping = QUERY.evidenceClumping;
  const background = Math.max(0, c.hits - c.aligned) / clumping;
  const aligned = Math.floor(c.aligned / clumping);
  const local = (background * c.window) / Math.max(c.window, c.offsets);
  const global = (c.totalHits / clumping) * (c.window / Math.max(c.window, c.totalOffsets));
  const lambda = Math.max(1e-9, local, global);
  const windows = Math.max(1, c.offsets / c.window) * Math.max(1, c.slopes / 2) * Math.max(1, c.competitors);
  return Math.min(0, logPoissonTail(aligned, lambda) + Math.log(windows));
}
