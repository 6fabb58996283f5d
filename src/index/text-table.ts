/**
 * text-table: the Quran text an index prints, copied into the index at its creation from
 * the npm data packages (src/quran), so `identify` needs nothing but the index directory.
 */
import { ayahCount, ayahText, repeatedGroup, surahName, surahCount } from '../quran/quran.js';
import type { SurahAyah } from '../types.js';
import type { Connection, Table } from './lance.js';

export interface AyahInfo {
  text: string;
  surahNameAr: string;
  surahNameEn: string;
  /** Every place with the same text, this one included. */
  group: SurahAyah[];
}

export async function ensureTextTable(db: Connection, name: string): Promise<void> {
  if ((await db.tableNames()).includes(name)) return;
  const rows: Record<string, unknown>[] = [];
  for (let s = 1; s <= surahCount; s++) {
    const names = surahName(s);
    for (let a = 1; a <= ayahCount(s); a++) {
      const group = repeatedGroup(s, a);
      rows.push({
        surah: s,
        ayah: a,
        text: ayahText(s, a),
        surah_ar: names.ar,
        surah_en: names.en,
        group: group.length > 1 ? group.map((g) => `${g.surah}:${g.ayah}`).join(',') : '',
      });
    }
  }
  await db.createTable(name, rows);
}

export async function loadText(table: Table): Promise<Map<string, AyahInfo>> {
  const rows = (await table.query().toArray()) as Record<string, unknown>[];
  const map = new Map<string, AyahInfo>();
  for (const r of rows) {
    const surah = Number(r.surah);
    const ayah = Number(r.ayah);
    const group = String(r.group);
    map.set(`${surah}:${ayah}`, {
      text: String(r.text),
      surahNameAr: String(r.surah_ar),
      surahNameEn: String(r.surah_en),
      group: group
        ? group.split(',').map((g) => {
            const [s, a] = g.split(':').map(Number);
            return { surah: s, ayah: a };
          })
        : [{ surah, ayah }],
    });
  }
  return map;
}
