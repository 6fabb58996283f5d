/**
 * Every query-time parameter, in one place, each with what it does and why: the passes
 * and what each may look up, the vote and alignment search, the chance model, and what
 * makes an answer. The fingerprint's own parameters are in src/fingerprint/config.ts.
 *
 * Look-up budgets keep the cost of a query flat as the index grows: each pass looks up
 * its rarest hashes first (fewest postings: the most telling, and the cheapest) until it
 * has spent its budget of hashes or of postings. In a small index every hash fits.
 */
export const QUERY = {
  /** Longest query analysed, frames (query time must fit the 11 bits of a vote key). */
  maxQueryFrames: 2047,

  /**
   * Extensions (the landmark's next peaks, fingerprint/landmarks.ts): a query landmark keeps
   * its next `extsPer` peaks, and a posting votes only when its own extension (the peak the
   * index kept) is one of them, within `ext`: time ± max(dtMin, dt × dtRelative) frames,
   * frequency ± df bins. Several candidates: a spurious peak in a noisy clip can come before
   * the one the index kept. The tolerance is what reverberation needs: it smears the third
   * peak in time. On the shared corpus (150 clips), ± 1 frame and 0 bins gave reverb top-1
   * 73 %, ± 4 and ± 1 gave 96 %. At 1,001 h (docs/benchmarks.md), ± 8 frames instead of ± 4
   * took reverb from 77.3 to 84.0 % and from 78.5 to 82.0 % (two seeds), with 0 of 767
   * not-indexed clips answered either way; ± 2 bins gained nothing. More chance postings pass
   * with it, and the chance model counts them. The tempo pass widens the time tolerance to
   * its own.
   */
  extsPer: 3,
  ext: { dtRelative: 0, dtMin: 8, df: 1 },

  /**
   * Pass 1, exact hashes, in two steps: the clip's rarest `exactFirst` hashes, then, when
   * that is not decisive, up to `exact` (the first step's look-ups reused). Most clips are
   * decided by the first step; a look-up costs ~15-25 µs per hash, so the hashes looked up
   * are what a query costs. Postings are cheap to scan since only those whose extension
   * matches vote.
   */
  exactFirst: { maxHashes: 250, maxPostings: 100_000 },
  exact: { maxHashes: 800, maxPostings: 400_000 },
  /**
   * Pass 1, third step: when the best alignment so far is promising (at least `minAligned`
   * aligned hashes) but not decisive, the exact pass goes on to far more of the clip's
   * hashes. Reverberation leaves few of a clip's hashes intact, so in a large index the rarest
   * 800 can hold too few of them for a confident answer; a clip that matches nothing rarely
   * gets that far by chance, so it seldom pays for this step. A best alignment that chance
   * explains (logP 0) needs `minAlignedAtChance`: at 1,001 h, 32 of 767 clips of reciters not
   * in the index reached this step on 5 or 6 such hashes (the slowest 4 % of them, 47 ms each),
   * none with 7; of 400 reverberant clips, 4 that ended right were left out with 7, 1 of them
   * helped by this step (docs/benchmarks.md).
   */
  exactDeep: { minAligned: 5, minAlignedAtChance: 7, maxHashes: 2000, maxPostings: 2_000_000 },
  /**
   * Pass 2, tempo: each landmark also looked up with its time difference scaled by
   * 1 ± `tolerance` (every integer dt in between), so clips sped up or slowed down by more
   * than the exact pass tolerates still meet their hashes. Runs only when pass 1 is not
   * decisive but its best candidate has at least `minAligned` aligned hashes: it refines
   * evidence, it does not look for it (the exact pass alone finds tempo ±5 % clips).
   */
  tempo: { tolerance: 0.06, minAligned: 4, maxHashes: 600, maxPostings: 200_000 },
  /**
   * Pass 3, speed (pitch and tempo together, audio sped up without pitch correction). A probe
   * looks up the clip's rarest `probe.maxHashes` speed-invariant keys (fingerprint
   * v3: speed-landmarks.ts) and votes their hits per recording and start (speed-probe.ts);
   * the speeds of its best candidates with `probe.minVotes` votes, rounded to `factors`
   * (0.90..1.10 in steps of 0.01), are then looked up with exact hashes as they would be at
   * that speed, `confirm.maxHashes` each, at most `confirm.factors` of them. Runs only when
   * passes 1 and 2 are not decisive. At 1,000 hours (a simulation over the synthetic index's
   * keys, docs/benchmarks.md) the rarest 150 keys of a clip of a reciter not indexed give its
   * best recording 2–4 votes, those of a clip sped up by 3–8 % give its own recording 6 or
   * more in 9 clips of 10 (median 12). The speed pass at 1,001 h: speed +5 % 96.7 %, −5 %
   * 96.7 %, +3 % 99.3 %, −8 % 89.7 % top-1 (97.0, 94.7, 98.7 and 80.3 % with v2's probe of 20
   * factors).
   */
  speed: {
    factors: speedFactors(0.9, 1.1, 0.01),
    probe: { maxHashes: 150, maxPostings: 150_000, minSpeed: 0.885, maxSpeed: 1.115, binFrames: 8, minVotes: 4 },
    confirm: { factors: 2, maxHashes: 250, maxPostings: 100_000 },
    /** Extensions moved to another speed land on rounded bins and frames. */
    ext: { dtRelative: 0, dtMin: 4, df: 1 },
    /**
     * When the first exact step's best candidate has fewer aligned hashes than this (a clip
     * that matches nothing, or one sped up), the probe's look-up starts at once and runs
     * while the next steps look up and vote; the answers are the same.
     */
    readAheadBelow: 6,
  },

  /**
   * Pair check (pair-check.ts): candidates with at least `minAligned` aligned votes are
   * looked at again in the postings already read, for the clip's landmarks whose pair is at
   * the alignment though their third peak is not (reverberation's mark). Their pairs count
   * as aligned hashes (score.ts alignedOf: the floor of a match, the passes' gates, a
   * decisive answer) from `minPairs`: one pair is what chance gives one alignment in ten of
   * clips that are not indexed (1,001 h), two one in three hundred.
   */
  pairCheck: { minAligned: 3, minPairs: 2 },

  /**
   * Verification (verify.ts): when no pass gave a confident answer, those of the `candidates`
   * strongest with at least `minVotes` aligned votes whose chance log probability is at most
   * `maxVoteLogP` are looked at again, with a denser fingerprint of the clip (`fingerprint`:
   * 48 peaks per second instead of 24, 10 pairs per anchor instead of 5; ~3.6 times the
   * landmarks) against the landmarks of their recording within `marginS` of the alignment,
   * made again from the peaks the index keeps. A candidate's pairs there, besides its aligned votes, are scored against chance as
   * the pair check's are; it counts from `minAligned` aligned votes and pairs (denser landmarks
   * make pairs cheaper to come by: with 8, two of 2,267 clips of reciters not in a 1,001-hour
   * index were answered, each with 4 votes and 4 pairs). Measured in docs/benchmarks.md.
   */
  verify: { candidates: 3, minVotes: 4, maxVoteLogP: 12, minAligned: 9, marginS: 10, fingerprint: { peaksPerSecond: 48, fanOut: 10 } },

  /** Alignment slopes searched (recording time = (1 + slope) × query time + offset): ± this, in steps. */
  maxSlope: 0.08,
  slopeStep: 0.005,
  /** Coarse offset bin of the first vote, frames; votes are summed over ± `spreadBins` bins. */
  coarseBin: 8,
  spreadBins: 2,
  /** A coarse region needs this many votes to be refined. */
  minRegionVotes: 3,
  /** Scoring window of the refined alignment, frames (2 bins of 2 frames). */
  scoreWindow: 4,
  /** Candidates refined per pass (one per recording and offset area). */
  maxCandidates: 12,

  /**
   * Chance hits are not independent: the harmonics of one held note, or one syllable, match
   * together. Counts are divided by this factor (measured on recordings that are not in the
   * index: with 1 the tail of chance alignments is ~1000 times heavier than Poisson says).
   */
  evidenceClumping: 2,
  /** Fewest aligned hashes that can ever count as a match, whatever the statistics say. */
  minAligned: 6,
  /** A match this well aligned (distinct query instants) and this confident ends the passes early. */
  decisiveAligned: 16,
  /** Confidence from which a result is a match (identify --min-confidence). */
  minConfidence: 0.5,
  /** Confidence below which an alternative is at chance level (identify's listing leaves it out; --json keeps it). */
  chanceLevelConfidence: 0.01,
  /** Seconds an ayah must be covered by the clip to count as covered (or be covered wholly). */
  minCoverSeconds: 1.0,

  /**
   * Long inputs (identify --timeline, and any input longer than maxQueryFrames): windows of
   * `windowS` seconds every `hopS` seconds, each queried with the exact and tempo passes
   * (the speed pass is left out: it is the costly one when a window matches nothing, and a
   * long recording is one take, rarely sped up). 6 s holds most ayahs of a murattal reading
   * or the ends of two; a 2 s hop sees every ayah from three windows.
   */
  timeline: {
    windowS: 6,
    hopS: 2,
    /**
     * The exact pass of a window: its rarest hashes only (a window is one of many that see the
     * same audio). With fingerprint v2 (extensions) fewer postings vote, so a window needs more
     * hashes than v1's 400 to find as many ayahs in noise (bench:timeline, 51 h index: 400 found
     * 597 and 594 of 601 ayahs of akhdar and salama at noise:10, 600 finds 601 and 599).
     */
    exact: { maxHashes: 600, maxPostings: 100_000 },
    /** Windows matched at once: their look-ups (LanceDB's threads) overlap the next windows' fingerprinting. */
    parallel: 3,
    /** Candidates kept per window (those at least minConfidence), strongest first. */
    keep: 6,
    /** Evidence (−ln of the chance probability) counted at most per window: one window must not outvote its neighbours' context. */
    maxEvidence: 30,
    /** Evidence of "nothing recited here" per window (−ln 0.05: a 95 % confident match beats it). */
    noneEvidence: 3,
    /** Cost of entering or leaving a recited stretch. */
    enterCost: 1,
    /** Cost of going on to the next ayah of the same surah and reciter (the expected order). */
    nextCost: 0.25,
    /** Cost of any other change: a repeat, a skip, a jump to another surah, another reciter. */
    jumpCost: 8,
    /** Two windows see the same occurrence of a recording when their alignments put its start within this many seconds. */
    sameAnchorS: 0.5,
    /** A stretch of no_match up to this long between two ayahs still makes them neighbours (a pause between ayahs). */
    maxPauseS: 5,
    /** Gaps shorter than this between two segments are closed (the earlier one is extended); longer ones are no_match. */
    minGapS: 0.5,
  },
  /**
   * Follow mode (identify --follow): every `hopS` a window of the last `windowS` seconds (as
   * soon as `minWindowS` have arrived) is queried; an ayah is reported once the window's
   * best alignment puts it in the last seconds of the stream. The ayah after the one
   * reported is reported as soon as it is aligned where that one ends with at least
   * `nextEvidence` (−ln of the chance probability; 3: 95 % confident), even while the ayah
   * before it still fills most of the window (and so has the stronger alignment). When the
   * stream reached is more than `maxLagS` behind the time since start (start-up, a slow
   * window), windows are skipped up to the newest audio in hand.
   */
  follow: { windowS: 6, hopS: 0.5, minWindowS: 2, nextEvidence: 3, maxLagS: 2 },
} as const;

export type QueryConfig = typeof QUERY;

/** Speed factors from..to in steps, 1 excluded (the exact pass covers it). */
function speedFactors(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let i = 0; from + i * step <= to + 1e-9; i++) {
    const f = Math.round((from + i * step) * 1000) / 1000;
    if (f !== 1) out.push(f);
  }
  return out;
}
