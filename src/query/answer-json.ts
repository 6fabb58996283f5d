/**
 * answer-json: an answer as `identify --json` prints it and `ayah serve` returns it
 * (snake_case fields, rounded confidence, references as "surah:ayah").
 */
import type { IdentifyAnswer } from '../types.js';

/** The --json schema (documented in README "identify --json"). */
export function answerJson(a: IdentifyAnswer) {
  return {
    input: a.input,
    status: a.status,
    elapsed_ms: a.elapsedMs,
    ...(a.error ? { error: a.error } : {}),
    results: a.results.map((r) => ({
      surah: r.surah,
      ayah: r.ayah,
      surah_name_en: r.surahNameEn,
      surah_name_ar: r.surahNameAr,
      text: r.text,
      reciter: r.reciterName,
      reciter_id: r.reciterId,
      riwayah: r.riwayah,
      confidence: Math.round(r.confidence * 10000) / 10000,
      offset_s: r.offsetS,
      also_covers: r.alsoCovers.map((x) => `${x.surah}:${x.ayah}`),
      same_text_at: r.sameTextAt.map((x) => `${x.surah}:${x.ayah}`),
      ...(r.note ? { note: r.note } : {}),
    })),
  };
}

export type AnswerJson = ReturnType<typeof answerJson>;
