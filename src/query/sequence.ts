/**
 * sequence: from the alignments of overlapping windows to the ayahs recited along an input.
 *
 * 1. Occurrences: a window's hit says where a recording's start sits in the input; hits of
 *    one recording whose starts agree (within sameAnchorS) are one occurrence of it.
 * 2. Viterbi over the windows: each window is one of its occurrences or "nothing recited";
 *    staying costs nothing, going on to the next ayah of the same surah and reciter costs
 *    little, anything else (repeat, skip, jump, another reciter) costs `jumpCost`. Evidence
 *    is −ln of the chance probability, capped per window. So identical texts (the basmala,
 *    109:3 = 109:5, 83:9 = 83:20) go where their neighbours put them, while a repeat, a skip
 *    or a jump that the audio shows outweighs the cost and is reported as recited.
 * 3. Segments: each chosen occurrence covers its recording's ayahs, placed in the input by
 *    the alignment (input time = anchor + recording time / (1 + slope)) and kept within the
 *    windows that saw it; ayahs too short to win a window of their own are filled in from
 *    the occurrences seen where nothing else is; what is left is `no_match`, so the
 *    segments tile the input.
 */
import type { Recording, TimelineEntry } from '../types.js';
import { QUERY } from './config.js';
import { windowEvidence } from './score.js';
import type { ScannedWindow, WindowHit } from './window-scan.js';

export type SequenceParams = (typeof QUERY)['timeline'];

/** One stretch of the input: an ayah of a recording placed there, or nothing (no_match). */
export interface PlacedSegment {
  startS: number;
  endS: number;
  placed?: {
    recordingId: number;
    reciterId: string;
    entry: TimelineEntry;
    /** Input time of the ayah's start by the alignment (the segment may start later: cut by a neighbour). */
    entryStartS: number;
    confidence: number;
    /** Aligned hashes of the best window of this occurrence. */
    aligned: number;
  };
}

interface Occurrence {
  id: number;
  rec: Recording;
  anchorS: number;
  slope: number;
  best: WindowHit;
  /** Indexes of the windows whose hits include it. */
  windows: number[];
}

const NONE = -1;

export function decodeSequence(windows: ScannedWindow[], recordings: Map<number, Recording>, durationS: number, p: SequenceParams = QUERY.timeline): PlacedSegment[] {
  const occurrences: Occurrence[] = [];
  // Per window: occurrence id → its best hit there.
  const states: Map<number, WindowHit>[] = windows.map(() => new Map());
  const byRec = new Map<number, Occurrence[]>();
  windows.forEach((w, wi) => {
    for (const h of w.hits) {
      const rec = recordings.get(h.recordingId);
      if (!rec) continue;
      const list = byRec.get(rec.id) ?? [];
      byRec.set(rec.id, list);
      let occ = list.find((o) => Math.abs(o.anchorS - h.anchorS) <= p.sameAnchorS);
      if (!occ) {
        occ = { id: occurrences.length, rec, anchorS: h.anchorS, slope: h.slope, best: h, windows: [] };
        occurrences.push(occ);
        list.push(occ);
      }
      if (h.logP < occ.best.logP) Object.assign(occ, { best: h, anchorS: h.anchorS, slope: h.slope });
      const there = states[wi].get(occ.id);
      if (!there || h.logP < there.logP) states[wi].set(occ.id, h);
      if (occ.windows.at(-1) !== wi) occ.windows.push(wi);
    }
  });

  const path = viterbi(states, occurrences, p);
  const chosen = new Map<number, number[]>();
  path.forEach((o, wi) => {
    if (o === NONE) return;
    const list = chosen.get(o) ?? [];
    list.push(wi);
    chosen.set(o, list);
  });

  const segments: PlacedSegment[] = [];
  for (const [o, wins] of chosen) segments.push(...segmentsOf(occurrences[o], wins, windows));
  // Short ayahs that won no window: an occurrence seen where the chosen ones leave room.
  const rest = occurrences.filter((o) => !chosen.has(o.id)).sort((a, b) => a.best.logP - b.best.logP);
  for (const o of rest) {
    for (const s of segmentsOf(o, o.windows, windows)) {
      const len = s.endS - s.startS;
      const covered = segments.reduce((sum, x) => sum + Math.max(0, Math.min(x.endS, s.endS) - Math.max(x.startS, s.startS)), 0);
      if (covered <= 0.3 * len) segments.push(s);
    }
  }
  return tile(segments, durationS, p);
}

function evidence(h: WindowHit | undefined, p: SequenceParams): number {
  return h ? windowEvidence(h.logP, p.maxEvidence) : p.noneEvidence;
}

function viterbi(states: Map<number, WindowHit>[], occ: Occurrence[], p: SequenceParams): number[] {
  const back: Int32Array[] = [];
  const idsOf: number[][] = [];
  let prevIds: number[] = [];
  let prevScores: number[] = [];
  states.forEach((m, wi) => {
    const ids = [NONE, ...m.keys()];
    const scores: number[] = [];
    const ptr = new Int32Array(ids.length);
    ids.forEach((b, bi) => {
      const e = evidence(b === NONE ? undefined : m.get(b), p);
      if (wi === 0) {
        scores.push(e - (b === NONE ? 0 : p.enterCost));
        return;
      }
      let best = -Infinity;
      prevIds.forEach((a, ai) => {
        const s = prevScores[ai] - transitionCost(a, b, occ, p);
        if (s > best) {
          best = s;
          ptr[bi] = ai;
        }
      });
      scores.push(best + e);
    });
    back.push(ptr);
    idsOf.push(ids);
    prevIds = ids;
    prevScores = scores;
  });
  const path = new Array<number>(states.length).fill(NONE);
  if (!states.length) return path;
  let k = prevScores.indexOf(Math.max(...prevScores));
  for (let wi = states.length - 1; wi >= 0; wi--) {
    path[wi] = idsOf[wi][k];
    k = back[wi][k];
  }
  return path;
}

function transitionCost(a: number, b: number, occ: Occurrence[], p: SequenceParams): number {
  if (a === b) return 0;
  if (a === NONE || b === NONE) return p.enterCost;
  return follows(occ[a], occ[b]) ? p.nextCost : p.jumpCost;
}

/** b is what comes after a in a reading: the next ayah of the same surah (or the basmala, or a surah's first ayah after it), same reciter, starting about where a ends. */
export function follows(a: Occurrence | { rec: Recording; anchorS: number; slope: number }, b: { rec: Recording; anchorS: number; slope: number }): boolean {
  if (a.rec.reciterId !== b.rec.reciterId || !a.rec.timeline.length || !b.rec.timeline.length) return false;
  const last = a.rec.timeline[a.rec.timeline.length - 1];
  const first = b.rec.timeline[0];
  const inOrder =
    (first.surah === last.surah && first.ayah === last.ayah + 1) ||
    (first.surah === 1 && first.ayah === 1) ||
    (last.surah === 1 && last.ayah === 1 && first.ayah === 1) ||
    (first.ayah === 1 && first.surah === last.surah + 1);
  if (!inOrder) return false;
  const aEnd = a.anchorS + last.end / (1 + a.slope);
  const bStart = b.anchorS + first.start / (1 + b.slope);
  return bStart >= aEnd - 3 && bStart <= aEnd + 30;
}

/** The ayahs of an occurrence, placed in the input and kept within the windows `wins` that saw it. */
function segmentsOf(o: Occurrence, wins: number[], windows: ScannedWindow[]): PlacedSegment[] {
  const from = Math.min(...wins.map((w) => windows[w].startS));
  const to = Math.max(...wins.map((w) => windows[w].endS));
  const out: PlacedSegment[] = [];
  for (const entry of o.rec.timeline) {
    const s = o.anchorS + entry.start / (1 + o.slope);
    const e = o.anchorS + entry.end / (1 + o.slope);
    const startS = Math.max(s, from, 0);
    const endS = Math.min(e, to);
    if (endS - startS < Math.min(QUERY.minCoverSeconds, 0.5 * (e - s))) continue;
    out.push({
      startS,
      endS,
      placed: { recordingId: o.rec.id, reciterId: o.rec.reciterId, entry, entryStartS: s, confidence: o.best.confidence, aligned: o.best.aligned },
    });
  }
  return out;
}

/** Sorts, cuts overlaps at their middle, closes small gaps, and fills the rest with no_match. */
function tile(segments: PlacedSegment[], durationS: number, p: SequenceParams): PlacedSegment[] {
  const sorted = segments.sort((a, b) => a.startS - b.startS);
  const kept: PlacedSegment[] = [];
  for (const s of sorted) {
    const prev = kept.at(-1);
    if (prev && s.startS < prev.endS) {
      if (s.endS <= prev.endS) continue; // inside the previous one
      const mid = (s.startS + prev.endS) / 2;
      prev.endS = mid;
      s.startS = mid;
    }
    kept.push(s);
  }
  const out: PlacedSegment[] = [];
  let t = 0;
  for (const s of kept.filter((x) => x.endS - x.startS >= 0.3)) {
    if (s.startS - t >= p.minGapS) out.push({ startS: t, endS: s.startS });
    else if (out.length) out[out.length - 1].endS = s.startS;
    else s.startS = 0;
    out.push(s);
    t = s.endS;
  }
  if (durationS - t >= p.minGapS || !out.length) out.push({ startS: t, endS: durationS });
  else out[out.length - 1].endS = durationS;
  return out.map((s) => ({ ...s, startS: round2(s.startS), endS: round2(s.endS) }));
}

const round2 = (x: number) => Math.round(x * 100) / 100;
