/**
 * data: the Quran text and surah names from the quran-json npm package, read lazily and once.
 * Text: dist/quran.json (Uthmani script). Names: dist/chapters/en/index.json, the chapter
 * list of dist/quran_en.json without the verses (the same `translation` field, 23 kB
 * instead of 2.4 MB).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';

export interface ChapterText {
  id: number;
  verses: { id: number; text: string }[];
}

export interface ChapterName {
  id: number;
  name: string;
  transliteration: string;
  translation: string;
}

const require = createRequire(import.meta.url);

function readPackageJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(require.resolve(`quran-json/dist/${file}`), 'utf8')) as T;
}

let chapters: ChapterText[] | undefined;
let names: ChapterName[] | undefined;

/** The 114 chapters with their verses, index 0 = surah 1. */
export function chapterTexts(): ChapterText[] {
  chapters ??= readPackageJson<ChapterText[]>('quran.json');
  return chapters;
}

/** The 114 chapter names, index 0 = surah 1. */
export function chapterNames(): ChapterName[] {
  names ??= readPackageJson<ChapterName[]>('chapters/en/index.json');
  return names;
}
