/**
 * words: an ayah's text as the sequence of words the riwayah mappings count in. A word is a
 * space-separated token of quran-json's Uthmani text (pause marks are attached to words
 * there); word numbers start at 1, as in the corpus alignments' `surah:ayah:word` refs.
 */
import { normalizeArabic } from './normalize.js';

/** Yeh barree and other final forms of the Maghribi script unified with their base letters. */
const MAGHRIBI: Record<string, string> = { '\u06D2': '\u064A', '\u06D3': '\u064A', '\u06A1': '\u0641', '\u066F': '\u0642' };

/** The words of an Uthmani text (any script of the mushaf), marks kept. */
export function splitWords(text: string): string[] {
  return text.split(/\s+/).filter((w) => /[\u0621-\u064A\u0671-\u06D3]/.test(w));
}

/** A word reduced to bare letters, for comparing the words of two mushaf scripts. */
export function wordKey(word: string): string {
  return normalizeArabic(word.replace(/[\u06D2\u06D3\u06A1\u066F]/g, (c) => MAGHRIBI[c] ?? c)).replace(/[^\u0621-\u064A]/g, '');
}
