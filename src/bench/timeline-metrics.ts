/**
 * timeline-metrics: scores identify --timeline's segments against the truth of a joined or
 * aligned recording: share of ayahs found, start and end errors, false segments per hour,
 * and repeated texts placed right (found with status "match").
 */
import type { TruthSpan } from './joined-recording.js';
import { percentile } from './metrics.js';

/** A segment as identify --timeline --json prints it. */
export interface SegmentJson {
  start_s: number;
  end_s: number;
  status: 'match' | 'ambiguous' | 'no_match';
  results: { surah: number; ayah: number; same_text_at: string[]; note?: string }[];
}

export interface TimelineScore {
  ayahs: number;
  found: number;
  /** |segment start − truth start| and |segment end − truth end| of the ayahs found, seconds. */
  startErrors: number[];
  endErrors: number[];
  /** Segments naming an ayah that is not recited where they are. */
  falseSegments: number;
  hours: number;
  /** Truth spans whose text occurs elsewhere too (repeated groups, the basmala): how many, and how many found with status match. */
  repeated: number;
  repeatedPlaced: number;
}

const overlap = (a0: number, a1: number, b0: number, b1: number) => Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));

/** `isRepeated` tells which truth spans are repeated texts. */
export function scoreTimeline(segments: SegmentJson[], truth: TruthSpan[], durationS: number, isRepeated: (t: TruthSpan) => boolean): TimelineScore {
  const named = segments.filter((s) => s.status !== 'no_match' && s.results[0]);
  const score: TimelineScore = { ayahs: truth.length, found: 0, startErrors: [], endErrors: [], falseSegments: 0, hours: durationS / 3600, repeated: 0, repeatedPlaced: 0 };
  for (const t of truth) {
    const best = named
      .filter((s) => s.results[0].surah === t.surah && s.results[0].ayah === t.ayah)
      .map((s) => ({ s, o: overlap(s.start_s, s.end_s, t.startS, t.endS) }))
      .sort((a, b) => b.o - a.o)[0];
    const found = best !== undefined && best.o >= 0.5 * Math.min(t.endS - t.startS, best.s.end_s - best.s.start_s);
    if (isRepeated(t)) {
      score.repeated++;
      if (found && best.s.status === 'match') score.repeatedPlaced++;
    }
    if (!found) continue;
    score.found++;
    score.startErrors.push(Math.abs(best.s.start_s - t.startS));
    score.endErrors.push(Math.abs(best.s.end_s - t.endS));
  }
  for (const s of named) {
    const r = s.results[0];
    const right = truth.some((t) => t.surah === r.surah && t.ayah === r.ayah && overlap(s.start_s, s.end_s, t.startS, t.endS) >= 0.5 * (s.end_s - s.start_s));
    if (!right) score.falseSegments++;
  }
  return score;
}

/** The p-th percentile (0..100) of values, nearest rank (metrics.percentile). */
export function quantile(values: number[], p: number): number {
  return percentile(Float64Array.from(values).sort(), p);
}
