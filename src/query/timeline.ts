/**
 * timeline: every ayah recited along a whole input, with its start and end (identify
 * --timeline), and the one answer for a long input without --timeline (the ayah covering
 * most of it, the others in also_covers). The input is streamed (window-scan), the windows'
 * alignments decoded into a sequence (sequence), and each segment described with the
 * fields of identify's results (answer.describe). A repeated text is `match` when its
 * neighbours in the input are its neighbours in the mushaf, else `ambiguous` as identify.
 */
import { FINGERPRINT } from '../fingerprint/config.js';
import { inputName } from '../fingerprint/decode.js';
import { reasonOf } from '../errors.js';
import type { IdentifyAnswer, IdentifyResult, IdentifyStatus, Match, SurahAyah, TimelineSegment } from '../types.js';
import { describe, isBasmala } from './answer.js';
import { QUERY } from './config.js';
import type { IdentifyOptions, Identifier } from './identifier.js';
import { decodeSequence, type PlacedSegment } from './sequence.js';
import { scanWindows, type ScannedWindow, type ScanSummary } from './window-scan.js';

export interface Timeline {
  input: string;
  durationS: number;
  segments: TimelineSegment[];
  /** Set when the input could not be used (unreadable, silent, too short). */
  error?: string;
  elapsedMs: number;
}

export async function timelineOf(identifier: Identifier, input: string, opts: IdentifyOptions = {}): Promise<Timeline> {
  const started = performance.now();
  const name = inputName(input);
  const t = QUERY.timeline;
  const windows: ScannedWindow[] = [];
  let summary: ScanSummary;
  const failed = (error: string, durationS = 0): Timeline => ({ input: name, durationS, segments: [], error, elapsedMs: performance.now() - started });
  try {
    const scan = scanWindows(identifier, input, opts, { windowS: t.windowS, hopS: t.hopS, firstEndS: t.windowS, keep: t.keep, parallel: t.parallel });
    for (;;) {
      const next = await scan.next();
      if (next.done) {
        summary = next.value;
        break;
      }
      windows.push(next.value);
    }
  } catch (err) {
    return failed(reasonOf(err).replace(`${name}: `, ''));
  }
  if (summary.durationS < FINGERPRINT.minQuerySeconds)
    return failed(`too short (${summary.durationS.toFixed(2)} s; at least ${FINGERPRINT.minQuerySeconds} s needed)`, summary.durationS);
  if (summary.maxAbs < 1e-4 || summary.peaks === 0) return failed('silent (no audio to match)', summary.durationS);

  const ids = [...new Set(windows.flatMap((w) => w.hits.map((h) => h.recordingId)))];
  const recordings = await identifier.reader.recordings(ids);
  const placed = decodeSequence(windows, recordings, summary.durationS);
  const segments = await describeSegments(identifier, name, placed);
  return { input: name, durationS: summary.durationS, segments, elapsedMs: performance.now() - started };
}

async function describeSegments(identifier: Identifier, input: string, placed: PlacedSegment[]): Promise<TimelineSegment[]> {
  // One after the other: the first call loads the index's text table, the others read it.
  const results: (IdentifyResult | undefined)[] = [];
  for (const s of placed) results.push(s.placed ? await describe(identifier.reader, matchOf(identifier, s)) : undefined);
  // The ayahs before and after a segment: the nearest placed segments, across a pause.
  const neighbour = (i: number, step: -1 | 1): IdentifyResult | undefined => {
    for (let j = i + step; j >= 0 && j < placed.length; j += step) {
      if (results[j]) return results[j];
      if (placed[j].endS - placed[j].startS > QUERY.timeline.maxPauseS) return undefined;
    }
    return undefined;
  };
  return placed.map((s, i) => {
    const r = results[i];
    if (!r) return { input, startS: s.startS, endS: s.endS, status: 'no_match' as const, results: [] };
    const { status, note } = placedByContext(r, neighbour(i, -1), neighbour(i, 1));
    return { input, startS: s.startS, endS: s.endS, status, results: [note ? { ...r, note } : r] };
  });
}

function matchOf(identifier: Identifier, s: PlacedSegment): Match {
  const p = s.placed!;
  const reciter = identifier.reader.reciter(p.reciterId);
  return {
    surah: p.entry.surah,
    ayah: p.entry.ayah,
    reciterId: p.reciterId,
    reciterName: reciter?.nameEn ?? p.reciterId,
    riwayah: reciter?.riwayah ?? '',
    confidence: p.confidence,
    offsetS: Math.round((s.startS - p.entryStartS) * 100) / 100,
    recordingId: p.recordingId,
    score: p.aligned,
    alsoCovers: [],
  };
}

const sameReciter = (a: IdentifyResult | undefined, b: IdentifyResult) => a !== undefined && a.reciterId === b.reciterId;
const isNext = (a: SurahAyah, b: SurahAyah) => a.surah === b.surah && b.ayah === a.ayah + 1;

/**
 * match or ambiguous for one segment, by its neighbours: a text that occurs in several
 * places is placed when the segment before is the ayah before it, or the one after is the
 * ayah after it (same reciter). The basmala followed by a surah's first ayah is that
 * surah's basmala.
 */
export function placedByContext(r: IdentifyResult, prev: IdentifyResult | undefined, next: IdentifyResult | undefined): { status: IdentifyStatus; note?: string } {
  if (isBasmala(r)) {
    if (next && sameReciter(next, r) && next.ayah === 1 && next.surah !== 1 && next.surah !== 9)
      return { status: 'match', note: `the basmala, read here before surah ${next.surah} (in surah 1 it is ayah 1:1)` };
    if (next && sameReciter(next, r) && next.surah === 1 && next.ayah === 2) return { status: 'match' };
    return { status: 'ambiguous' };
  }
  if (r.sameTextAt.length === 0) return { status: 'match' };
  if ((prev && sameReciter(prev, r) && isNext(prev, r)) || (next && sameReciter(next, r) && isNext(r, next))) return { status: 'match' };
  return { status: 'ambiguous' };
}

/**
 * identify's one answer for a long input: the ayah covering most of it (its confidence,
 * status and where the input starts relative to it), every other ayah recited in
 * also_covers, in order.
 */
export function wholeInputAnswer(tl: Timeline): IdentifyAnswer {
  const elapsedMs = Math.round(tl.elapsedMs * 10) / 10;
  if (tl.error) return { input: tl.input, status: 'no_match', elapsedMs, results: [], error: tl.error };
  const key = (r: IdentifyResult) => `${r.reciterId}|${r.surah}:${r.ayah}`;
  const covered = new Map<string, number>();
  for (const s of tl.segments) if (s.results[0]) covered.set(key(s.results[0]), (covered.get(key(s.results[0])) ?? 0) + s.endS - s.startS);
  const main = tl.segments.filter((s) => s.results[0]).sort((a, b) => covered.get(key(b.results[0]))! - covered.get(key(a.results[0]))!)[0];
  if (!main) return { input: tl.input, status: 'no_match', elapsedMs, results: [] };
  const best = main.results[0];
  const others: SurahAyah[] = [];
  for (const s of tl.segments) {
    const r = s.results[0];
    if (r && !(r.surah === best.surah && r.ayah === best.ayah) && !others.some((o) => o.surah === r.surah && o.ayah === r.ayah)) others.push({ surah: r.surah, ayah: r.ayah });
  }
  return {
    input: tl.input,
    status: main.status,
    elapsedMs,
    results: [{ ...best, offsetS: Math.round((best.offsetS - main.startS) * 100) / 100, alsoCovers: others }],
  };
}
