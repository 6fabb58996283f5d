/**
 * timing-file: the timing JSON of a whole-surah recording (`alignments/SSS.json`) and the
 * timeline it gives. A segment has `time_from`, `time_to` (seconds) and `ref_from`,
 * `ref_to`: "surah:ayah:word", "Basmala" or "Isti'adha". An ayah split over several
 * segments is one timeline entry, from its first start to its last end. The basmala is
 * not an ayah, except in surah 1 where it is Hafs 1:1 (written either "Basmala" or "1:1:w").
 * Refs are in Hafs numbering, whatever the reciter's riwayah: riwayahTimelineOf renumbers.
 */
import fs from 'node:fs/promises';
import { AyahError, ExitCode, reasonOf } from '../../errors.js';
import { chapterTexts } from '../../quran/data.js';
import type { Numbering } from '../../quran/numbering.js';
import { isValidAyah, refString } from '../../quran/quran.js';
import { splitWords } from '../../quran/words.js';
import type { SurahAyah, TimelineEntry } from '../../types.js';

export interface TimingSegment {
  /** Position in the file's `segments`, from 1 (for messages). */
  n: number;
  start: number;
  end: number;
  /** The ayah the segment recites, or a recitation that is not an ayah. */
  what: SurahAyah | 'basmala' | 'istiadha';
  /** The Hafs words of `what` the segment recites, first and last (when the refs name words). */
  words?: [number, number];
}

export interface TimingFile {
  /** The well-formed segments, in file order. */
  segments: TimingSegment[];
  /** One line per malformed segment ("segment 3: no such ayah 1:9"): such segments are left out. */
  problems: string[];
}

/**
 * Largest timing file read: word-level timings of the longest surah (286 ayahs, ~6,100
 * words) are well under 2 MB; a larger file is refused before it is read into memory.
 */
export const MAX_TIMING_BYTES = 16_000_000;

const WORD_REF = /^(\d+):(\d+):(\d+)$/;

/**
 * Reads the timing file of surah `surah`. Throws a one-line AyahError naming the file when
 * it cannot be read or is not a timing file at all; reports malformed segments in `problems`.
 */
export async function readTimingFile(file: string, surah: number): Promise<TimingFile> {
  let text: string;
  try {
    const st = await fs.stat(file);
    if (!st.isFile()) throw new AyahError(`${file}: not a regular file`, ExitCode.BAD_INPUT);
    if (st.size > MAX_TIMING_BYTES)
      throw new AyahError(`${file}: ${(st.size / 1e6).toFixed(0)} MB; a timing file may have at most ${MAX_TIMING_BYTES / 1e6} MB`, ExitCode.BAD_INPUT);
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if (err instanceof AyahError) throw err;
    throw new AyahError(`${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? reasonOf(err)})`, ExitCode.BAD_INPUT);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // The parser's message quotes the content (a symlink to /etc/passwd): say only why.
    throw new AyahError(`${file}: not a readable JSON timing file (invalid JSON)`, ExitCode.BAD_INPUT);
  }
  const raw = (json as { segments?: unknown } | null)?.segments;
  if (!Array.isArray(raw)) throw new AyahError(`${file}: no "segments" list`, ExitCode.BAD_INPUT);
  const segments: TimingSegment[] = [];
  const problems: string[] = [];
  raw.forEach((item: unknown, i) => {
    const parsed = parseSegment(item, i + 1, surah);
    if (isMalformed(parsed)) problems.push(`segment ${i + 1}: ${parsed.error}`);
    else segments.push(parsed);
  });
  return { segments, problems };
}

type Ref = SurahAyah | 'basmala' | 'istiadha';
type WordRef = Ref | (SurahAyah & { word: number });
interface Malformed {
  error: string;
}

function parseSegment(item: unknown, n: number, surah: number): TimingSegment | Malformed {
  const s = (item ?? {}) as Record<string, unknown>;
  const start = s.time_from;
  const end = s.time_to;
  if (typeof start !== 'number' || !Number.isFinite(start) || typeof end !== 'number' || !Number.isFinite(end))
    return { error: 'time_from and time_to must be numbers of seconds' };
  if (start < 0) return { error: `starts at ${start} s, before the audio` };
  if (end <= start) return { error: `ends (${end} s) before it starts (${start} s)` };
  const from = parseRef(s.ref_from, surah);
  if (isMalformed(from)) return from;
  const to = parseRef(s.ref_to, surah);
  if (isMalformed(to)) return to;
  if (describe(from) !== describe(to)) return { error: `spans ${describe(from)} to ${describe(to)}: a segment must cover one ayah` };
  if (typeof from === 'object' && typeof to === 'object' && 'word' in from && 'word' in to)
    return { n, start, end, what: { surah: from.surah, ayah: from.ayah }, words: [from.word, to.word] };
  return { n, start, end, what: typeof from === 'object' ? { surah: from.surah, ayah: from.ayah } : from };
}

function isMalformed(x: object | string): x is Malformed {
  return typeof x === 'object' && 'error' in x;
}

function parseRef(value: unknown, surah: number): WordRef | Malformed {
  if (value === 'Basmala') return 'basmala';
  if (value === "Isti'adha") return 'istiadha';
  const m = typeof value === 'string' ? WORD_REF.exec(value) : null;
  if (!m) return { error: `reference ${JSON.stringify(value)} is not "surah:ayah:word", "Basmala" or "Isti'adha"` };
  const ref = { surah: Number(m[1]), ayah: Number(m[2]) };
  if (!isValidAyah(ref.surah, ref.ayah)) return { error: `no such ayah ${refString(ref)}` };
  if (ref.surah !== surah) return { error: `ayah ${refString(ref)} is not in surah ${surah}` };
  return { ...ref, word: Number(m[3]) };
}

function describe(ref: WordRef): string {
  return typeof ref === 'string' ? ref : refString(ref);
}

/** The ayah a segment recites in surah `surah` (the basmala is 1:1 in surah 1), or undefined. */
export function segmentAyah(seg: TimingSegment, surah: number): SurahAyah | undefined {
  if (typeof seg.what === 'object') return seg.what;
  if (seg.what === 'basmala' && surah === 1) return { surah: 1, ayah: 1 };
  return undefined;
}

/**
 * The timeline in the numbering of a riwayah: one entry per ayah of the riwayah, sorted by
 * start. The refs of a timing file are Hafs words; where the riwayah's ayahs are not the Hafs
 * ones, a segment is shared among the riwayah ayahs its words belong to, in proportion to
 * their words (an ayah boundary inside a segment is placed by word count).
 */
export function riwayahTimelineOf(segments: TimingSegment[], surah: number, n: Numbering): TimelineEntry[] {
  if (n.sameAsHafs(surah)) return timelineOf(segments, surah);
  const verses = chapterTexts()[surah - 1].verses;
  const before = [0];
  for (const v of verses) before.push(before[before.length - 1] + splitWords(v.text).length);
  const at = (ayah: number, word: number) => before[ayah - 1] + word - 1; // 0-based word of the surah
  const pieces = segments.flatMap((seg) => {
    if (typeof seg.what !== 'object') return [];
    const last = before[seg.what.ayah] - before[seg.what.ayah - 1];
    const [w1, w2] = seg.words ?? [1, last];
    return [{ from: at(seg.what.ayah, w1), to: at(seg.what.ayah, w2) + 1, start: seg.start, end: seg.end }];
  });
  const out: TimelineEntry[] = [];
  for (let ayah = 1; ayah <= n.ayahCount(surah); ayah++) {
    const span = n.span(surah, ayah);
    const from = at(span[0], span[1]);
    const to = at(span[2], span[3]) + 1;
    let start = Infinity;
    let end = -Infinity;
    for (const p of pieces) {
      const a = Math.max(from, p.from);
      const b = Math.min(to, p.to);
      if (b <= a) continue;
      const perWord = (p.end - p.start) / (p.to - p.from);
      start = Math.min(start, p.start + (a - p.from) * perWord);
      end = Math.max(end, p.start + (b - p.from) * perWord);
    }
    if (end > start) out.push({ surah, ayah, start: round2(start), end: round2(end) });
  }
  return out.sort((a, b) => a.start - b.start || a.ayah - b.ayah);
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** One timeline entry per Hafs ayah (split ayahs joined), sorted by start. */
export function timelineOf(segments: TimingSegment[], surah: number): TimelineEntry[] {
  const byAyah = new Map<number, TimelineEntry>();
  for (const seg of segments) {
    const ref = segmentAyah(seg, surah);
    if (!ref) continue;
    const entry = byAyah.get(ref.ayah);
    if (!entry) byAyah.set(ref.ayah, { ...ref, start: seg.start, end: seg.end });
    else {
      entry.start = Math.min(entry.start, seg.start);
      entry.end = Math.max(entry.end, seg.end);
    }
  }
  return [...byAyah.values()].sort((a, b) => a.start - b.start || a.ayah - b.ayah);
}
