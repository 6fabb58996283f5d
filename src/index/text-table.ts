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

/**
 * The ayahs of the text table, read as they are asked for: the first call reads the surah
 * and ayah columns (where each ayah's row is), each ayah's row is then taken on its own and
 * kept. A cold `identify` prints a few ayahs; reading the whole text (6,236 rows) cost it
 * ~0.1 s.
 */
export class TextReader {
  private rowOf?: Promise<Map<string, number>>;
  private readonly cache = new Map<string, Promise<AyahInfo | undefined>>();

  constructor(private readonly table: Table) {}

  ayah(surah: number, ayah: number): Promise<AyahInfo | undefined> {
    const key = `${surah}:${ayah}`;
    let info = this.cache.get(key);
    if (!info) {
      info = this.read(key);
      this.cache.set(key, info);
      info.catch(() => this.cache.delete(key));
    }
    return info;
  }

  private async read(key: string): Promise<AyahInfo | undefined> {
    if (!this.rowOf) {
      const rowOf = this.table
        .query()
        .select(['surah', 'ayah'])
        .toArray()
        .then((rows: Record<string, unknown>[]) => new Map(rows.map((r, i) => [`${Number(r.surah)}:${Number(r.ayah)}`, i] as const)));
      // A failed read is not kept: the next ayah asked for reads again (as the ayahs' own cache does).
      rowOf.catch(() => {
        if (this.rowOf === rowOf) this.rowOf = undefined;
      });
      this.rowOf = rowOf;
    }
    const row = (await this.rowOf).get(key);
    if (row === undefined) return undefined;
    const [r] = (await this.table.takeOffsets([row]).toArray()) as Record<string, unknown>[];
    return r && `${Number(r.surah)}:${Number(r.ayah)}` === key ? infoOf(r) : undefined;
  }
}

function infoOf(r: Record<string, unknown>): AyahInfo {
  const surah = Number(r.surah);
  const ayah = Number(r.ayah);
  const group = String(r.group);
  return {
    text: String(r.text),
    surahNameAr: String(r.surah_ar),
    surahNameEn: String(r.surah_en),
    group: group
      ? group.split(',').map((g) => {
          const [s, a] = g.split(':').map(Number);
          return { surah: s, ayah: a };
        })
      : [{ surah, ayah }],
  };
}
