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
 * The ayahs of the text table, read as they are asked for: at first each ayah's row is
 * taken on its own and kept (a cold `identify` prints a few ayahs, and reading the whole
 * text costs ~20 ms); once `WHOLE_AFTER` ayahs have been read so, the whole table is read
 * at once (a batch of clips or a long input asks for hundreds, and a take costs ~1-2 ms).
 */
const WHOLE_AFTER = 16;

export class TextReader {
  private places?: Promise<{ surah: ArrayLike<number>; ayah: ArrayLike<number> }>;
  private whole?: Promise<Map<string, AyahInfo>>;
  private readonly cache = new Map<string, Promise<AyahInfo | undefined>>();

  constructor(private readonly table: Table) {}

  ayah(surah: number, ayah: number): Promise<AyahInfo | undefined> {
    const key = `${surah}:${ayah}`;
    if (this.whole) return this.whole.then((all) => all.get(key));
    let info = this.cache.get(key);
    if (!info) {
      if (this.cache.size >= WHOLE_AFTER) return this.readWhole().then((all) => all.get(key));
      info = this.read(surah, ayah);
      this.cache.set(key, info);
      info.catch(() => this.cache.delete(key));
    }
    return info;
  }

  private readWhole(): Promise<Map<string, AyahInfo>> {
    const whole = this.table
      .query()
      .toArray()
      .then((rows: Record<string, unknown>[]) => new Map(rows.map((r) => [`${Number(r.surah)}:${Number(r.ayah)}`, infoOf(r)] as const)));
    // A failed read is not kept: the next ayah asked for reads again.
    whole.catch(() => {
      if (this.whole === whole) this.whole = undefined;
    });
    this.whole = whole;
    return whole;
  }

  private async read(surah: number, ayah: number): Promise<AyahInfo | undefined> {
    // The surah and ayah columns, as Arrow vectors (no object per row: a cold call would
    // spend ~10 ms making 6,236 of them), searched for the ayah's row.
    if (!this.places) {
      const places = this.table
        .query()
        .select(['surah', 'ayah'])
        .toArrow()
        .then((t) => ({ surah: t.getChild('surah')!.toArray() as ArrayLike<number>, ayah: t.getChild('ayah')!.toArray() as ArrayLike<number> }));
      // A failed read is not kept: the next ayah asked for reads again (as the ayahs' own cache does).
      places.catch(() => {
        if (this.places === places) this.places = undefined;
      });
      this.places = places;
    }
    const at = await this.places;
    let row = -1;
    for (let i = 0; i < at.surah.length && row < 0; i++) if (Number(at.surah[i]) === surah && Number(at.ayah[i]) === ayah) row = i;
    if (row < 0) return undefined;
    const [r] = (await this.table.takeOffsets([row]).toArray()) as Record<string, unknown>[];
    return r && Number(r.surah) === surah && Number(r.ayah) === ayah ? infoOf(r) : undefined;
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
