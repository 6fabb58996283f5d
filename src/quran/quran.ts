/**
 * quran: the Quran's structure, text and names in Hafs (Madani) numbering, from the npm
 * data packages (quran-json for text and names, quran-meta for juz and page); never retyped.
 * Data is loaded on first use and kept.
 */
import { findJuz, findPage, type AyahNo, type Surah } from 'quran-meta/hafs';
import { AyahError, ExitCode } from '../errors.js';
import type { SurahAyah } from '../types.js';
import { chapterNames, chapterTexts } from './data.js';
import { countLetters, disjointedLetters, normalizeArabic } from './normalize.js';

export { normalizeArabic } from './normalize.js';

export const surahCount = 114;
export const totalAyahs = 6236;

export interface SurahName {
  /** Arabic name, e.g. "الفاتحة". */
  ar: string;
  /** English meaning, e.g. "The Opener". */
  en: string;
  /** Transliteration, e.g. "Al-Fatihah". */
  translit: string;
}

/** "3:201". */
export function refString(ref: SurahAyah): string {
  return `${ref.surah}:${ref.ayah}`;
}

export function isValidSurah(surah: number): boolean {
  return Number.isInteger(surah) && surah >= 1 && surah <= surahCount;
}

export function ayahCount(surah: number): number {
  assertSurah(surah);
  return chapterTexts()[surah - 1].verses.length;
}

export function isValidAyah(surah: number, ayah: number): boolean {
  return isValidSurah(surah) && Number.isInteger(ayah) && ayah >= 1 && ayah <= ayahCount(surah);
}

export function surahName(surah: number): SurahName {
  assertSurah(surah);
  const c = chapterNames()[surah - 1];
  return { ar: c.name, en: c.translation, translit: c.transliteration };
}

/** Arabic (Uthmani) text of an ayah. */
export function ayahText(surah: number, ayah: number): string {
  assertAyah(surah, ayah);
  return chapterTexts()[surah - 1].verses[ayah - 1].text;
}

/** Juz (1–30) the ayah is in. */
export function juzOf(surah: number, ayah: number): number {
  assertAyah(surah, ayah);
  return findJuz(surah as Surah, ayah as AyahNo);
}

/** Madani mushaf page (1–604) the ayah is on. */
export function pageOf(surah: number, ayah: number): number {
  assertAyah(surah, ayah);
  return findPage(surah as Surah, ayah as AyahNo);
}

/** Number of Arabic letters of the ayah's normalized text (no marks, no spaces). */
export function letterCount(surah: number, ayah: number): number {
  return countLetters(normalizeArabic(ayahText(surah, ayah)));
}

/**
 * Letters of the ayah recited as disjointed letters (huruf muqatta'at), each read as its
 * name: 3 for 2:1 "الم", 5 for 19:1 "كهيعص", 0 for most ayahs.
 */
export function disjointedLetterCount(surah: number, ayah: number): number {
  return disjointedLetters(ayahText(surah, ayah));
}

/** Every ayah whose normalized text is the same as this one's, itself included, in mushaf order. */
export function repeatedGroup(surah: number, ayah: number): SurahAyah[] {
  assertAyah(surah, ayah);
  const group = groups().bySurahAyah.get(refString({ surah, ayah }));
  return group ? group.map((r) => ({ ...r })) : [{ surah, ayah }];
}

/** Every group of two or more ayahs with the same normalized text, in mushaf order of first member. */
export function allRepeatedGroups(): SurahAyah[][] {
  return groups().list.map((g) => g.map((r) => ({ ...r })));
}

interface Groups {
  list: SurahAyah[][];
  bySurahAyah: Map<string, SurahAyah[]>;
}
let cachedGroups: Groups | undefined;

function groups(): Groups {
  if (cachedGroups) return cachedGroups;
  const byText = new Map<string, SurahAyah[]>();
  chapterTexts().forEach((chapter, i) => {
    for (const verse of chapter.verses) {
      const key = normalizeArabic(verse.text);
      const refs = byText.get(key);
      const ref = { surah: i + 1, ayah: verse.id };
      if (refs) refs.push(ref);
      else byText.set(key, [ref]);
    }
  });
  const list = [...byText.values()].filter((g) => g.length > 1);
  const bySurahAyah = new Map<string, SurahAyah[]>();
  for (const g of list) for (const r of g) bySurahAyah.set(refString(r), g);
  cachedGroups = { list, bySurahAyah };
  return cachedGroups;
}

function assertSurah(surah: number): void {
  if (!isValidSurah(surah)) throw new AyahError(`no such surah ${surah}`, ExitCode.BAD_INPUT);
}

function assertAyah(surah: number, ayah: number): void {
  if (!isValidAyah(surah, ayah)) throw new AyahError(`no such ayah ${surah}:${ayah}`, ExitCode.BAD_INPUT);
}
