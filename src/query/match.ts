/**
 * match: turns looked-up postings into alignment candidates. Every hit votes for
 * (recording, time offset); the strongest offset regions are then refined by searching
 * the alignment slope (tempo change) that lines up the most hits in a narrow window.
 *
 * Hits are packed into one float64 key each — recording (20 bits) | offset + 2^20
 * (21 bits) | query time (11 bits) — and sorted natively: no per-hit objects.
 */
import { EXT_BITS, EXT_NONE } from '../fingerprint/config.js';
import { extOf, frameOf, type LookupResult } from '../index/api.js';
import { QUERY, type QueryConfig } from './config.js';
import type { ExtTolerance, QueryHashes } from './query-hashes.js';
import { inWindow, pairCheck, type PairEvidence } from './pair-check.js';
import { allowsEvery, doubled, RecordingHits } from './recording-hits.js';

const OFF_BIAS = 1 << 20;
const T_SPACE = 2048;
const OFF_SPACE = 1 << 21;
/** A key's recording is key / REC_UNIT (rounded down). */
const REC_UNIT = OFF_SPACE * T_SPACE;

export interface Candidate {
  recordingId: number;
  /** Aligned hits in the best window. */
  aligned: number;
  /** All hits of this recording. */
  hits: number;
  /** Hits (not distinct query times) in the best window. */
  alignedHits?: number;
  /** Offset of the query start within the recording, frames. */
  startFrame: number;
  /** Alignment slope: recording time = (1 + slope) × query time + startFrame. */
  slope: number;
  /** Pairs (not third peaks) at this alignment too (pair-check.ts), for candidates checked. */
  pairs?: PairEvidence;
}

/**
 * The hits a run collected, all of them, so that a later run over more of the same query's
 * hashes takes them on instead of voting over those postings again (the exact pass's second
 * step over its first step's hashes). Carried hits give the same candidates as voting again.
 */
export interface CarriedHits {
  /** The hashes whose postings the hits came from. */
  hashes: ReadonlySet<number>;
  /** Their hit keys. */
  keys: Float64Array;
  /** The recordings that could vote (the run's `allowed`), and how postings were told to vote. */
  allowed: Uint8Array;
  extsPer: number;
  tolerance: ExtTolerance;
}

export interface MatchOutput {
  candidates: Candidate[];
  /** The run's hits, for a later run to carry (when asked for: `carry.keep`). */
  hits?: CarriedHits;
  /** Recordings that got at least one hit. */
  competitors: number;
  totalHits: number;
  slopesTried: number;
}

/** Hit keys, reused between calls (grown as needed). */
let keys = new Float64Array(1 << 16);

/**
 * Which of a hash's query entries accept each extension: bit j of cells[cellOf(ext)] is set
 * when entry j (j < 31) has that extension among its candidates, within the tolerance. A
 * posting then costs one read to be rejected, as almost all chance postings are. Cells are
 * laid out by frequency, then time, so that the times a candidate accepts at one frequency
 * are consecutive cells: marked, and cleared after each hash, as runs. Reused.
 */
const cells = new Int32Array(1 << EXT_BITS);
/** Entries of one hash beyond this many are not given bits (a hash that many times in one clip: never seen). */
const MAX_ENTRIES = 31;
/** The runs of cells marked for the current hash, as [from, to) pairs (grown as needed). */
let runs = new Int32Array(2 * MAX_ENTRIES * 3 * 3);

/** The cell of an extension (time << 6 | frequency): frequency << 6 | time. */
function cellOf(ext: number): number {
  return ((ext & 0x3f) << 6) | (ext >>> 6);
}

/** Marks the cells of the `count` entries' candidates (`extsPer` each); returns how many run bounds it wrote (clearCells' argument). */
function markCells(exts: number[], count: number, extsPer: number, tol: ExtTolerance): number {
  const most = 2 * Math.min(count, MAX_ENTRIES) * extsPer * (2 * tol.df + 1);
  if (runs.length < most) runs = new Int32Array(most);
  let r = 0;
  for (let j = 0; j < count && j < MAX_ENTRIES; j++) {
    const bit = 1 << j;
    for (let e = j * extsPer; e < (j + 1) * extsPer; e++) {
      const c = exts[e];
      if (c === EXT_NONE) {
        r = markRun(r, EXT_NONE_CELL, EXT_NONE_CELL + 1, bit);
        continue;
      }
      const cdt = c >>> 6;
      const cdf = c & 0x3f;
      const slack = Math.max(tol.dtMin, Math.round(cdt * tol.dtRelative));
      const from = Math.max(0, cdt - slack);
      const to = Math.min(63, cdt + slack) + 1;
      // Frequency fields run 0..62 (63 with time 63 is EXT_NONE).
      for (let df = Math.max(0, cdf - tol.df); df <= Math.min(62, cdf + tol.df); df++) r = markRun(r, (df << 6) + from, (df << 6) + to, bit);
    }
  }
  return r;
}

const EXT_NONE_CELL = cellOf(EXT_NONE);

/** Sets `bit` in cells from..to - 1 and records the run at `r`; returns the next run's position. */
function markRun(r: number, from: number, to: number, bit: number): number {
  for (let v = from; v < to; v++) cells[v] |= bit;
  runs[r] = from;
  runs[r + 1] = to;
  return r + 2;
}

/** Clears the runs markCells recorded (`bounds`: its return value). */
function clearCells(bounds: number): void {
  for (let k = 0; k < bounds; k += 2) for (let v = runs[k]; v < runs[k + 1]; v++) cells[v] = 0;
}

/** Hits per recording while a run's keys are collected (recording-hits.ts). */
const perRec = new RecordingHits();

/** Takes on an earlier run's hits (matchHits' carry): into `keys`, counted per recording. */
function carryHits(from: CarriedHits, out: { n: number }): void {
  while (keys.length < from.keys.length) keys = doubled(keys);
  keys.set(from.keys);
  for (let i = 0; i < from.keys.length; i++) perRec.add(Math.floor(keys[i] / REC_UNIT));
  out.n = from.keys.length;
}

/**
 * The hits of one hash's postings (`row`: recording, frame | extension pairs) whose
 * extension is in a cell markCells marked: one key for each query time (`times`) whose
 * bit is set, appended to `keys` at out.n, counted per recording. `all`: `allowed` allows
 * every recording (allowsEvery), and is not read.
 */
function collectHits(row: Uint32Array, times: number[], allowed: Uint8Array, all: boolean, out: { n: number }): void {
  let n = out.n;
  for (let p = 0; p < row.length; p += 2) {
    const word = row[p + 1];
    let bits = cells[cellOf(extOf(word))];
    if (bits === 0) continue;
    const rec = row[p];
    if (rec >= allowed.length || (!all && !allowed[rec])) continue;
    const tr = frameOf(word);
    for (let j = 0; bits !== 0; j++, bits >>>= 1) {
      if ((bits & 1) === 0) continue;
      const tq = times[j];
      const off = tr - tq + OFF_BIAS;
      if (off < 0 || off >= OFF_SPACE) continue;
      if (n === keys.length) keys = doubled(keys);
      keys[n++] = (rec * OFF_SPACE + off) * T_SPACE + tq;
      perRec.add(rec);
    }
  }
  out.n = n;
}

/**
 * Keeps, in place at the front of `keys`, the first `n` keys' hits of recordings with at
 * least `minVotes` hits (only those can hold a region: the others' hits, almost all of them
 * when the clip matches nothing, are dropped before sorting); clears the counts. Returns how
 * many it kept.
 */
function keepRegionHits(n: number, minVotes: number): number {
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const key = keys[i];
    if (perRec.of(Math.floor(key / REC_UNIT)) >= minVotes) keys[kept++] = key;
  }
  perRec.clear();
  return kept;
}

/**
 * Votes of a run's postings (`found`, looked up for `q`), aligned into candidates. `carry`:
 * `from`, the hits of an earlier run over some of the same hashes (their postings are not
 * voted over again); `keep`, return this run's hits for a later run.
 */
export function matchHits(q: QueryHashes, found: LookupResult, allowed: Uint8Array, cfg: QueryConfig = QUERY, carry: { from?: CarriedHits; keep?: boolean } = {}): MatchOutput {
  // 1. Collect hits as packed keys: a posting votes for each query time of its hash whose
  // extensions include the posting's own. Hits per recording are counted on the way.
  // (Each loop of this function is a function of its own: V8 compiles a long loop while it
  // runs, and code after the loop that has not run yet would send it back to the
  // interpreter. A cold `ayah identify` runs most of its votes before anything is compiled.)
  perRec.cover(allowed.length);
  const from = carry.from && carries(carry.from, q, allowed) ? carry.from : undefined;
  const collected = { n: 0 };
  const all = allowsEvery(allowed);
  if (from) carryHits(from, collected);
  for (let i = 0; i < found.rows.length; i++) {
    if (from?.hashes.has(found.hashes[i])) continue;
    const times = q.timesOf.get(found.hashes[i]);
    if (!times) continue;
    const marked = markCells(q.extsOf.get(found.hashes[i])!, times.length, q.extsPer, q.tolerance);
    collectHits(found.rows[i], times, allowed, all, collected);
    clearCells(marked);
  }
  const { n } = collected;
  const competitors = perRec.recordings;
  const hits = carry.keep ? { hashes: new Set(found.hashes), keys: keys.slice(0, n), allowed, extsPer: q.extsPer, tolerance: q.tolerance } : undefined;
  const kept = keepRegionHits(n, cfg.minRegionVotes);
  const sorted = keys.subarray(0, kept).sort();

  // 2. Coarse vote per (recording, offset bin), summed over ± spreadBins bins (tempo drift
  // spreads an alignment over a few bins); hits per recording.
  const { bins, hitsPerRec } = coarseBins(sorted, cfg.coarseBin);
  const scored = regionsOf(bins, cfg.spreadBins, cfg.minRegionVotes);

  // 3. Refine the best regions (one per recording and offset area).
  const picked: typeof scored = [];
  for (const s of scored) {
    if (picked.length >= cfg.maxCandidates) break;
    if (picked.some((p) => p.rec === s.rec && Math.abs(p.bin - s.bin) <= 2 * cfg.spreadBins)) continue;
    picked.push(s);
  }
  const slopes = slopeGrid(cfg.maxSlope, cfg.slopeStep);
  const candidates = picked.map((p) => refine(sorted, p.from, p.to, p.rec, hitsPerRec.get(p.rec) ?? 0, slopes, cfg));
  candidates.sort((a, b) => b.aligned - a.aligned);
  const checked = candidates.filter((c) => c.aligned >= cfg.pairCheck.minAligned);
  pairCheck(q, found, checked, cfg.scoreWindow).forEach((e, k) => (checked[k].pairs = e));
  return { candidates, ...(hits ? { hits } : {}), competitors, totalHits: n, slopesTried: slopes.length };
}

/** A coarse offset bin of one recording: its votes, and where its hits are in the sorted keys. */
interface CoarseBin {
  rec: number;
  bin: number;
  count: number;
  start: number;
  end: number;
}

/** A region of coarse bins worth refining: its recording, central bin, votes and hits (sorted keys from..to). */
interface Region {
  rec: number;
  bin: number;
  sum: number;
  from: number;
  to: number;
}

/** Votes of `sorted` keys per (recording, offset bin of `coarseBin` frames), and hits per recording. */
function coarseBins(sorted: Float64Array, coarseBin: number): { bins: CoarseBin[]; hitsPerRec: Map<number, number> } {
  const hitsPerRec = new Map<number, number>();
  const bins: CoarseBin[] = [];
  let prevKey = -1;
  let runRec = -1;
  let runHits = 0;
  for (let i = 0; i < sorted.length; i++) {
    const key = sorted[i];
    if (key === prevKey) continue; // the same (recording, offset, query time) twice
    prevKey = key;
    const recOff = Math.floor(key / T_SPACE);
    const rec = Math.floor(recOff / OFF_SPACE);
    const bin = Math.floor((recOff % OFF_SPACE) / coarseBin);
    if (rec !== runRec) {
      if (runRec >= 0) hitsPerRec.set(runRec, runHits);
      runRec = rec;
      runHits = 0;
    }
    runHits++;
    const last = bins[bins.length - 1];
    if (last && last.rec === rec && last.bin === bin) {
      last.count++;
      last.end = i + 1;
    } else bins.push({ rec, bin, count: 1, start: i, end: i + 1 });
  }
  if (runRec >= 0) hitsPerRec.set(runRec, runHits);
  return { bins, hitsPerRec };
}

/** Windowed sums of `bins` over ± `spread` bins of one recording: those of at least `minVotes`, most votes first. */
function regionsOf(bins: CoarseBin[], spread: number, minVotes: number): Region[] {
  const scored: Region[] = [];
  let lo = 0;
  let hi = 0;
  let sum = 0;
  for (let i = 0; i < bins.length; i++) {
    const b = bins[i];
    while (hi < bins.length && bins[hi].rec === b.rec && bins[hi].bin <= b.bin + spread) sum += bins[hi++].count;
    while (bins[lo].rec !== b.rec || bins[lo].bin < b.bin - spread) sum -= bins[lo++].count;
    if (sum >= minVotes) scored.push({ rec: b.rec, bin: b.bin, sum, from: bins[lo].start, to: bins[hi - 1].end });
  }
  return scored.sort((a, b) => b.sum - a.sum);
}

/** Whether hits of an earlier run can stand in for voting over its hashes: the same recordings could vote the same way, and each of its hashes is one of this query's. */
function carries(from: CarriedHits, q: QueryHashes, allowed: Uint8Array): boolean {
  const [a, b] = [from.tolerance, q.tolerance];
  if (from.allowed !== allowed || from.extsPer !== q.extsPer || a.dtMin !== b.dtMin || a.dtRelative !== b.dtRelative || a.df !== b.df) return false;
  for (const h of from.hashes) if (!q.timesOf.has(h)) return false;
  return true;
}

function slopeGrid(max: number, step: number): number[] {
  const out: number[] = [];
  for (let s = -max; s <= max + 1e-9; s += step) out.push(Math.round(s * 1000) / 1000);
  return out;
}

/** Best (slope, offset) alignment of the hits sorted[from..to) of one recording. */
function refine(sorted: Float64Array, from: number, to: number, rec: number, hits: number, slopes: number[], cfg: QueryConfig): Candidate {
  const count = to - from;
  const offs = new Float64Array(count);
  const tqs = new Float64Array(count);
  let minOff = Infinity;
  let maxOff = -Infinity;
  for (let i = 0; i < count; i++) {
    const key = sorted[from + i];
    const recOff = Math.floor(key / T_SPACE);
    tqs[i] = key - recOff * T_SPACE;
    offs[i] = (recOff % OFF_SPACE) - OFF_BIAS;
    if (offs[i] < minOff) minOff = offs[i];
    if (offs[i] > maxOff) maxOff = offs[i];
  }
  const margin = 0.1 * cfg.maxQueryFrames;
  const base = minOff - margin;
  const width = Math.ceil((maxOff - minOff + 2 * margin) / 2) + 2;
  const hist = new Int32Array(width);
  let best: Candidate = { recordingId: rec, aligned: 0, hits, startFrame: minOff, slope: 0 };
  for (const s of slopes) {
    hist.fill(0);
    for (let i = 0; i < count; i++) {
      const x = offs[i] - s * tqs[i] - base;
      const b = Math.floor(x / 2);
      if (b >= 0 && b < width) hist[b]++;
    }
    for (let b = 0; b + 1 < width; b++) {
      const c = hist[b] + hist[b + 1];
      if (c > best.aligned || (c === best.aligned && Math.abs(s) < Math.abs(best.slope))) {
        best = { recordingId: rec, aligned: c, hits, startFrame: base + 2 * b + 2, slope: s };
      }
    }
  }
  // The evidence is the number of distinct query times that align: the harmonics of one
  // sung note match together, so hits at one instant are not independent evidence.
  const seen = new Set<number>();
  let hitsAt = 0;
  for (let i = 0; i < count; i++) {
    if (inWindow(best, offs[i], tqs[i], cfg.scoreWindow)) {
      hitsAt++;
      seen.add(tqs[i]);
    }
  }
  best.aligned = seen.size;
  best.alignedHits = hitsAt;
  return best;
}
