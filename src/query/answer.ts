/**
 * answer: turns scored candidates into what identify prints: the ayahs a candidate's
 * alignment covers in its recording's timeline, neighbours joined (a clip crossing into
 * the next ayah names both), repeated texts flagged as ambiguous.
 */
import { FRAME_SECONDS } from '../fingerprint/config.js';
import type { IndexReader } from '../index/api.js';
import { QUERY } from './config.js';
import { isSupportedRiwayah, numbering, type Numbering } from '../quran/numbering.js';
import type { IdentifyResult, IdentifyStatus, Match, Placement, Riwayah, SurahAyah, TimelineEntry } from '../types.js';
import { isConfident, type ScoredCandidate } from './score.js';

const MIN_COVER_S = QUERY.minCoverSeconds;

function overlap(e: TimelineEntry, from: number, to: number): number {
  return Math.max(0, Math.min(e.end, to) - Math.max(e.start, from));
}

/** Where a candidate's alignment puts the clip in its recording, and which ayahs it covers. */
export function placeCandidate(c: ScoredCandidate, rec: Placement, clipSeconds: number, reciterName: string, riwayah: string): Match | undefined {
  const from = c.startFrame * FRAME_SECONDS;
  const to = from + (1 + c.slope) * clipSeconds;
  const covered = rec.timeline
    .map((e) => ({ e, o: overlap(e, from, to) }))
    .filter(({ e, o }) => o > 0 && (o >= MIN_COVER_S || o >= e.end - e.start - 0.05));
  if (covered.length === 0) {
    // The aligned part lies in silence or a non-ayah span: take the nearest ayah.
    const nearest = [...rec.timeline].sort((a, b) => Math.abs((a.start + a.end) / 2 - from) - Math.abs((b.start + b.end) / 2 - from))[0];
    if (!nearest) return undefined;
    covered.push({ e: nearest, o: 0 });
  }
  const main = covered.reduce((a, b) => (b.o > a.o ? b : a));
  return {
    surah: main.e.surah,
    ayah: main.e.ayah,
    reciterId: rec.reciterId,
    reciterName,
    riwayah,
    confidence: c.confidence,
    offsetS: Math.round((from - main.e.start) * 100) / 100,
    recordingId: rec.id,
    score: c.aligned,
    alsoCovers: covered.filter((x) => x !== main).map(({ e }) => ({ surah: e.surah, ayah: e.ayah })),
  };
}

const same = (a: SurahAyah, b: SurahAyah) => a.surah === b.surah && a.ayah === b.ayah;

/**
 * Joins matches of consecutive ayah files of one reciter (a clip crossing the boundary
 * matches both files) and drops repeats of the same reciter and ayah, best first.
 */
export function mergeMatches(matches: Match[]): Match[] {
  const out: Match[] = [];
  for (const m of [...matches].sort((a, b) => b.confidence - a.confidence || b.score - a.score)) {
    const host = out.find((o) => o.reciterId === m.reciterId && (same(o, m) || (o.surah === m.surah && Math.abs(o.ayah - m.ayah) === 1)));
    if (!host) {
      out.push(m);
      continue;
    }
    if (!same(host, m) && isConfident(m.confidence) && !host.alsoCovers.some((x) => same(x, m))) host.alsoCovers.push({ surah: m.surah, ayah: m.ayah });
  }
  return out;
}

/**
 * The one place that builds a result's fields from a match: the match's surah:ayah are in
 * its reciter's riwayah; `hafs` names the Hafs ayahs it covers (for Hafs reciters too); the
 * text is the index's for Hafs, otherwise the Hafs words of the riwayah's ayah
 * (`textRiwayah: 'hafs'`: no package gives the Warsh or Qalun text); repeated texts are
 * looked for within the riwayah.
 */
export async function describe(reader: IndexReader, m: Match): Promise<IdentifyResult> {
  const n = numberingOf(m.riwayah);
  if (n.riwayah === 'hafs') {
    const info = await reader.ayah(m.surah, m.ayah);
    return {
      ...m,
      hafs: [{ surah: m.surah, ayah: m.ayah }],
      text: info?.text ?? '',
      ...(isSupportedRiwayah(String(m.riwayah)) ? {} : { textRiwayah: 'hafs' }),
      surahNameAr: info?.surahNameAr ?? '',
      surahNameEn: info?.surahNameEn ?? '',
      sameTextAt: (info?.group ?? []).filter((g) => !same(g, m)),
      ...(isBasmala(m, m.riwayah) ? { note: 'the basmala is also recited at the start of every surah but 9' } : {}),
    };
  }
  const names = await reader.ayah(m.surah, 1);
  const a = n.ayah(m.surah, m.ayah);
  return {
    ...m,
    hafs: a.hafs,
    text: a.hafsText,
    textRiwayah: 'hafs',
    surahNameAr: names?.surahNameAr ?? '',
    surahNameEn: names?.surahNameEn ?? '',
    sameTextAt: n.repeatedGroup(m.surah, m.ayah).filter((g) => !same(g, m)),
  };
}

/** The numbering answers use for a reciter's riwayah: Hafs for a riwayah without one (an older index's label). */
function numberingOf(riwayah: Riwayah): Numbering {
  return numbering(isSupportedRiwayah(String(riwayah).toLowerCase()) ? riwayah : 'hafs');
}

/**
 * Hafs 1:1 is the basmala, which is also read (not as an ayah) at the start of every surah
 * but 9; Warsh and Qalun do not count it as an ayah.
 */
export const isBasmala = (s: SurahAyah, riwayah: Riwayah = 'hafs') => numberingOf(riwayah).riwayah === 'hafs' && s.surah === 1 && s.ayah === 1;

/** Places with the same text as `s` (itself included) in the riwayah; the basmala counts as repeated. */
export async function groupSize(reader: IndexReader, s: SurahAyah, riwayah: Riwayah = 'hafs'): Promise<number> {
  if (isBasmala(s, riwayah)) return 114;
  const n = numberingOf(riwayah);
  if (n.riwayah !== 'hafs') return n.repeatedGroup(s.surah, s.ayah).length;
  return (await reader.ayah(s.surah, s.ayah))?.group.length ?? 1;
}

/** match, ambiguous (every covered ayah's text occurs in several places) or no_match. */
export async function statusOf(reader: IndexReader, results: IdentifyResult[], minConfidence?: number): Promise<IdentifyStatus> {
  const best = results[0];
  if (!best || !isConfident(best.confidence, minConfidence)) return 'no_match';
  for (const s of [best, ...best.alsoCovers]) if ((await groupSize(reader, s, best.riwayah)) <= 1) return 'match';
  return 'ambiguous';
}
