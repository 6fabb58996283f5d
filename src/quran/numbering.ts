/**
 * numbering: how a riwayah numbers the ayahs, and where each of its ayahs lies on the Hafs
 * ayahs. Supported riwayat: hafs, warsh, qalun. Ayah counts per surah come from quran-meta's
 * entry point of the riwayah (`quran-meta/hafs`, `/warsh`, `/qalun`); where a riwayah's
 * ayahs are not the Hafs ones, data/riwayah/<riwayah>.json gives each of its ayahs as a range
 * of Hafs words (derived by scripts/derive-riwayah-map.ts, see docs/riwayat.md). No package
 * gives a Warsh or Qalun text: answers print the Hafs (quran-json) words of the ayah.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as hafsMeta from 'quran-meta/hafs';
import * as qalunMeta from 'quran-meta/qalun';
import * as warshMeta from 'quran-meta/warsh';
import type { Surah } from 'quran-meta/hafs';
import { AyahError, ExitCode } from '../errors.js';
import type { Riwayah, SurahAyah } from '../types.js';
import { chapterTexts } from './data.js';
import { normalizeArabic } from './normalize.js';
import { repeatedGroup as hafsRepeatedGroup } from './quran.js';
import { splitWords } from './words.js';

/** [hafs ayah of the first word, its word number, hafs ayah of the last word, its word number]. */
export type RiwayahSpan = [number, number, number, number];

export interface RiwayahMapFile {
  riwayah: string;
  source: string;
  span: string;
  /** Only the surahs whose ayahs are not exactly the Hafs ayahs. */
  surahs: Record<string, RiwayahSpan[]>;
}

export const SUPPORTED_RIWAYAT = ['hafs', 'warsh', 'qalun'] as const;
export type SupportedRiwayah = (typeof SUPPORTED_RIWAYAT)[number];

export function isSupportedRiwayah(r: string): r is SupportedRiwayah {
  return (SUPPORTED_RIWAYAT as readonly string[]).includes(r);
}

const META = { hafs: hafsMeta, warsh: warshMeta, qalun: qalunMeta } as const;

/** quran-meta's ayah count of a surah in a supported riwayah. */
export function metaAyahCount(riwayah: string, surah: number): number {
  if (!isSupportedRiwayah(riwayah)) throw unsupported(riwayah);
  return META[riwayah].getAyahCountInSurah(surah as Surah);
}

export function unsupported(riwayah: string): AyahError {
  return new AyahError(`riwayah ${riwayah} is not supported (supported: ${SUPPORTED_RIWAYAT.join(', ')})`, ExitCode.USAGE);
}

/** Where one ayah of a riwayah lies in the Hafs text. */
export interface RiwayahAyah extends SurahAyah {
  /** The Hafs ayahs it covers, whole or in part, in order. */
  hafs: SurahAyah[];
  /** Its words in the Hafs (quran-json) text. */
  hafsText: string;
}

export interface Numbering {
  riwayah: SupportedRiwayah;
  ayahCount(surah: number): number;
  isValidAyah(surah: number, ayah: number): boolean;
  /** The Hafs ayahs an ayah of this riwayah covers (one, or two where the riwayah joins them). */
  toHafs(surah: number, ayah: number): SurahAyah[];
  /** The ayahs of this riwayah that cover a Hafs ayah (none for Hafs 1:1 in warsh/qalun). */
  fromHafs(ref: SurahAyah): SurahAyah[];
  ayah(surah: number, ayah: number): RiwayahAyah;
  /** Every ayah of this riwayah with the same text as this one, itself included, in mushaf order. */
  repeatedGroup(surah: number, ayah: number): SurahAyah[];
  /** Where the ayah lies in the Hafs words. */
  span(surah: number, ayah: number): RiwayahSpan;
  /** Does this riwayah number the surah's ayahs exactly as Hafs? */
  sameAsHafs(surah: number): boolean;
}

const cache = new Map<string, Numbering>();

/** Groups of two or more ayahs with the same bare-letter text, by "surah:ayah". */
function textGroups(count: (surah: number) => number, ayahOf: (s: number, a: number) => RiwayahAyah): Map<string, SurahAyah[]> {
  const byText = new Map<string, SurahAyah[]>();
  for (let s = 1; s <= 114; s++)
    for (let a = 1; a <= count(s); a++) {
      const key = normalizeArabic(ayahOf(s, a).hafsText);
      const refs = byText.get(key);
      if (refs) refs.push({ surah: s, ayah: a });
      else byText.set(key, [{ surah: s, ayah: a }]);
    }
  const out = new Map<string, SurahAyah[]>();
  for (const g of byText.values()) if (g.length > 1) for (const x of g) out.set(`${x.surah}:${x.ayah}`, g);
  return out;
}

/** The numbering of a supported riwayah (a usage error for others). */
export function numbering(riwayah: Riwayah): Numbering {
  const r = String(riwayah).toLowerCase();
  if (!isSupportedRiwayah(r)) throw unsupported(r);
  let n = cache.get(r);
  if (!n) cache.set(r, (n = build(r)));
  return n;
}

function dataDir(): string {
  // dist/src/quran → repo root; src/quran (ts sources are never run directly)
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return path.join(dir, 'data', 'riwayah');
}

function loadSpans(r: SupportedRiwayah): Record<string, RiwayahSpan[]> {
  if (r === 'hafs') return {};
  return (JSON.parse(fs.readFileSync(path.join(dataDir(), `${r}.json`), 'utf8')) as RiwayahMapFile).surahs;
}

function hafsSpans(surah: number): RiwayahSpan[] {
  return chapterTexts()[surah - 1].verses.map((v) => [v.id, 1, v.id, splitWords(v.text).length] as RiwayahSpan);
}

function build(r: SupportedRiwayah): Numbering {
  const special = loadSpans(r);
  const spansOf = (surah: number): RiwayahSpan[] => special[String(surah)] ?? hafsSpans(surah);
  const count = (surah: number): number => {
    if (!Number.isInteger(surah) || surah < 1 || surah > 114) throw new AyahError(`no such surah ${surah}`, ExitCode.BAD_INPUT);
    return metaAyahCount(r, surah);
  };
  const isValidAyah = (surah: number, ayah: number): boolean =>
    Number.isInteger(surah) && surah >= 1 && surah <= 114 && Number.isInteger(ayah) && ayah >= 1 && ayah <= count(surah);
  const span = (surah: number, ayah: number): RiwayahSpan => {
    if (!isValidAyah(surah, ayah)) throw new AyahError(`no such ayah ${surah}:${ayah} in ${r} numbering`, ExitCode.BAD_INPUT);
    return spansOf(surah)[ayah - 1];
  };
  const toHafs = (surah: number, ayah: number): SurahAyah[] => {
    const [a, , b] = span(surah, ayah);
    return Array.from({ length: b - a + 1 }, (_, i) => ({ surah, ayah: a + i }));
  };
  function numberingAyah(surah: number, ayah: number): RiwayahAyah {
    const [a, w, b, x] = span(surah, ayah);
    const verses = chapterTexts()[surah - 1].verses;
    const words: string[] = [];
    for (let h = a; h <= b; h++) {
      const all = splitWords(verses[h - 1].text);
      words.push(...all.slice(h === a ? w - 1 : 0, h === b ? x : all.length));
    }
    return { surah, ayah, hafs: toHafs(surah, ayah), hafsText: words.join(' ') };
  }
  let groups: Map<string, SurahAyah[]> | undefined;
  return {
    riwayah: r,
    ayahCount: count,
    isValidAyah,
    toHafs,
    fromHafs: (ref) =>
      spansOf(ref.surah)
        .map((s, i) => ({ s, ayah: i + 1 }))
        .filter(({ s }) => s[0] <= ref.ayah && ref.ayah <= s[2])
        .map(({ ayah }) => ({ surah: ref.surah, ayah })),
    ayah: numberingAyah,
    repeatedGroup: (surah, ayah) => {
      if (r === 'hafs') return hafsRepeatedGroup(surah, ayah);
      groups ??= textGroups(count, (s, a) => numberingAyah(s, a));
      return (groups.get(`${surah}:${ayah}`) ?? [{ surah, ayah }]).map((g) => ({ ...g }));
    },
    span: (surah, ayah) => [...span(surah, ayah)] as RiwayahSpan,
    sameAsHafs: (surah) => special[String(surah)] === undefined,
  };
}
