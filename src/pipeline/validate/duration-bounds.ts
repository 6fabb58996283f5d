/**
 * duration-bounds: is a recording's length plausible for its ayah's text? The text's
 * length is counted in letters, a disjointed letter (huruf muqatta'at, read as its name
 * with a long madd) counting as DISJOINTED_LETTER_WEIGHT letters. The bounds are
 * calibrated on the corpus (docs/validation.md): outside the soft bounds is a warning,
 * outside the hard bounds (a mislabelled file) an error.
 */
import { disjointedLetterCount, letterCount, refString } from '../../quran/quran.js';
import type { SurahAyah } from '../../types.js';
import type { Severity } from './types.js';

export const DISJOINTED_LETTER_WEIGHT = 8;

/** Sound seconds per letter allowed: at least `min`·letters, at most `max`·letters + `slackS`. */
export const DURATION_BOUNDS = {
  soft: { min: 0.1, max: 0.8, slackS: 4 },
  hard: { min: 0.05, max: 1.2, slackS: 6 },
} as const;

/** Letters of the ayah, weighted for disjointed letters. */
export function spokenLetters(ref: SurahAyah): number {
  return letterCount(ref.surah, ref.ayah) + (DISJOINTED_LETTER_WEIGHT - 1) * disjointedLetterCount(ref.surah, ref.ayah);
}

/** The verdict on `soundS` seconds of recitation of `ref`, or undefined when plausible. */
export function durationVerdict(ref: SurahAyah, soundS: number): { severity: Severity; reason: string } | undefined {
  const letters = spokenLetters(ref);
  for (const [severity, b] of [['error', DURATION_BOUNDS.hard], ['warning', DURATION_BOUNDS.soft]] as const) {
    const min = b.min * letters;
    const max = b.max * letters + b.slackS;
    const what = `${soundS.toFixed(1)} s of recitation for ${refString(ref)} (${letters} letters)`;
    if (soundS < min) return { severity, reason: `too short: ${what}, expected at least ${min.toFixed(1)} s` };
    if (soundS > max) return { severity, reason: `too long: ${what}, expected at most ${max.toFixed(1)} s` };
  }
  return undefined;
}
