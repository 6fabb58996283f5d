/**
 * quran-seed: fills the catalog's surahs and ayahs (text, juz, page) from src/quran, the
 * npm data packages; never retyped. One statement per table (arrays unnested).
 */
import { ayahCount, ayahText, juzOf, pageOf, surahCount, surahName } from '../quran/quran.js';
import type { Sql } from './catalog.js';

export async function seedQuran(sql: Sql): Promise<void> {
  const s = { surah: [] as number[], ar: [] as string[], en: [] as string[], tr: [] as string[], count: [] as number[] };
  const a = { surah: [] as number[], ayah: [] as number[], text: [] as string[], juz: [] as number[], page: [] as number[] };
  for (let surah = 1; surah <= surahCount; surah++) {
    const name = surahName(surah);
    const n = ayahCount(surah);
    s.surah.push(surah), s.ar.push(name.ar), s.en.push(name.en), s.tr.push(name.translit), s.count.push(n);
    for (let ayah = 1; ayah <= n; ayah++) {
      a.surah.push(surah), a.ayah.push(ayah), a.text.push(ayahText(surah, ayah)), a.juz.push(juzOf(surah, ayah)), a.page.push(pageOf(surah, ayah));
    }
  }
  await sql.query(
    `INSERT INTO surahs (surah, name_ar, name_en, translit, ayah_count)
     SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::int[])`,
    [s.surah, s.ar, s.en, s.tr, s.count],
  );
  await sql.query(
    `INSERT INTO ayahs (surah, ayah, text, juz, page)
     SELECT * FROM unnest($1::int[], $2::int[], $3::text[], $4::int[], $5::int[])`,
    [a.surah, a.ayah, a.text, a.juz, a.page],
  );
}
