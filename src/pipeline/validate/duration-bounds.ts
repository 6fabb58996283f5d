/**
 * duration-bounds: is a recording's length plausible for its ayah's text? The text's
 * length is counted in letters, a disjointed letter (huruf muqatta'at, read as its name
 * with a long madd) counting as DISJOINTED_LETTER_WEIGHT letters. The bounds are
 * calibrated on the corpus (docs/validation.md): outside the soft bounds is a warning,
 * outside the hard bounds (a mislabelled file) an error.
 */
import { numbering } from '../../quran/numbering.js';
import { countLetters, disjointedLetters, normalizeArabic } from '../../quran/normalize.js';
import { refString } from '../../quran/quran.js';
import type { Riwayah, SurahAyah } from '../../types.js';
import type { Severity } from './types.js';

export const DISJOINTED_LETTER_WEIGHT = 8;

/** Sound seconds per letter allowed: at least `min`·letters, at most `max`·letters + `slackS`. */
export const DURATION_BOUNDS = {
  soft: { min: 0.1, max: 0.8, slackS: 4 },
  hard: { min: 0.05, max: 1.2, slackS: 6 },
} as const;

/** Letters of the ayah (numbered in `riwayah`), weighted for disjointed letters. */
export function spokenLetters(ref: SurahAyah, riwayah: Riwayah = 'hafs'): number {
  const text = numbering(riwayah).ayah(ref.surah, ref.ayah).hafsText;
  return countLetters(normalizeArabic(text)) + (DISJOINTED_LETTER_WEIGHT - 1) * disjointedLetters(text);
}

/** The verdict on `soundS` seconds of recitation of `ref`, or undefined when plausible. */
export function durationVerdict(ref: SurahAyah, soundS: number, riwayah: Riwayah = 'hafs'): { severity: Severity; reason: string } | undefined {
  const letters = spokenLetters(ref, riwayah);
  for (const [severity, b] of [['error', DURATION_BOUNDS.hard], ['warning', DURATION_BOUNDS.soft]] as const) {
    const min = b.min * letters;
    const max = b.max * letters + b.slackS;
    const what = `${soundS.toFixed(1)} s of recitation for ${refString(ref)} (${letters} letters)`;
    if (soundS < min) return { severity, reason: `too short: ${what}, expected at least ${min.toFixed(1)} s` };
    if (soundS > max) return { severity, reason: `too long: ${what}, expected at most ${max.toFixed(1)} s` };
  }
  return undefined;
}
