/**
 * normalize: Arabic text reduced to its bare letters so that texts differing only in
 * diacritics, Quranic annotation marks or letter variants compare equal.
 */

/**
 * Marks that are not letters: Quranic annotation signs (U+0610–U+061A), harakat, tanween,
 * shadda, sukun and other combining marks (U+064B–U+065F), the dagger alef (U+0670),
 * Quranic pause/small-letter marks, rub el hizb and sajda signs (U+06D6–U+06ED), tatweel
 * (U+0640), and invisible format characters (zero-width, direction marks).
 */
const NON_LETTERS = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640\u200B-\u200F\u2066-\u2069\uFEFF]/g;

/** Letter variants unified to one base letter. */
const VARIANTS: Record<string, string> = {
  '\u0622': '\u0627', // alef with madda → alef
  '\u0623': '\u0627', // alef with hamza above → alef
  '\u0625': '\u0627', // alef with hamza below → alef
  '\u0671': '\u0627', // alef wasla → alef
  '\u0672': '\u0627', // alef with wavy hamza above → alef
  '\u0673': '\u0627', // alef with wavy hamza below → alef
  '\u0624': '\u0648', // waw with hamza → waw
  '\u0626': '\u064A', // ya with hamza → ya
  '\u0649': '\u064A', // alef maqsura → ya
  '\u06CC': '\u064A', // Farsi ya → ya
  '\u0629': '\u0647', // ta marbuta → ha
};
const VARIANT_CHARS = new RegExp(`[${Object.keys(VARIANTS).join('')}]`, 'g');

/** Arabic letters (after normalization): hamza U+0621 to ya U+064A, tatweel excluded. */
const LETTER = /[\u0621-\u063F\u0641-\u064A]/g;

/** Bare letters of an Arabic text, words separated by single spaces. */
export function normalizeArabic(text: string): string {
  return text
    .replace(NON_LETTERS, '')
    .replace(VARIANT_CHARS, (c) => VARIANTS[c] ?? c)
    .replace(/\s+/g, ' ')
    .trim();
}

/** Number of Arabic letters of an already normalized text. */
export function countLetters(normalized: string): number {
  return normalized.match(LETTER)?.length ?? 0;
}

/** Harakat, tanween, shadda and sukun: every ordinary Quranic word carries at least one. */
const VOWEL_MARK = /[\u064B-\u0652]/;

/**
 * Letters of the disjointed-letter words (huruf muqatta'at, e.g. "الٓمٓ" opening 2:1) of an
 * Uthmani text: the only words written without any haraka. They are recited letter by
 * letter, each letter as its name ("alif lam mim"), so they take far longer than their
 * letter count suggests.
 */
export function disjointedLetters(uthmani: string): number {
  let n = 0;
  for (const word of uthmani.split(/\s+/)) if (!VOWEL_MARK.test(word)) n += countLetters(normalizeArabic(word));
  return n;
}
