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
 * (a batch of clips or a long input asks for hundreds, and a take costs ~1-2 ms). That read
 * runs while the ayahs asked for meanwhile are still taken one by one, and it keeps the
 * table's columns, not an object per row: waited for, and read as 6,236 objects, it held up
 * the clip that asked for it by ~40-90 ms (a batch's slowest answer but the first).
 */
const WHOLE_AFTER = 16;

/** The whole table's columns, and each ayah's row ("surah:ayah" → row). */
interface WholeText {
  rows: Map<string, number>;
  column: (name: string) => { get(i: number): unknown };
}

export class TextReader {
  private places?: Promise<{ surah: ArrayLike<number>; ayah: ArrayLike<number> }>;
  /** The whole table, once read (undefined: not read, or its read failed; a later ayah starts another). */
  private whole?: WholeText;
  private wholeRead?: Promise<void>;
  private readonly cache = new Map<string, Promise<AyahInfo | undefined>>();

  constructor(private readonly table: Table) {}

  ayah(surah: number, ayah: number): Promise<AyahInfo | undefined> {
    const key = `${surah}:${ayah}`;
    let info = this.cache.get(key);
    if (!info) {
      info = this.whole ? Promise.resolve(this.fromWhole(this.whole, key)) : this.read(surah, ayah);
      this.cache.set(key, info);
      info.catch(() => this.cache.delete(key));
      if (!this.whole && !this.wholeRead && this.cache.size >= WHOLE_AFTER) this.readWhole();
    }
    return info;
  }

  /** Reads the whole table in the background; ayahs asked for meanwhile are taken one by one. */
  private readWhole(): void {
    const read = this.table
      .query()
      .toArrow()
      .then((t) => {
        const surah = t.getChild('surah')!.toArray() as ArrayLike<number>;
        const ayah = t.getChild('ayah')!.toArray() as ArrayLike<number>;
        const rows = new Map<string, number>();
        for (let i = 0; i < surah.length; i++) rows.set(`${Number(surah[i])}:${Number(ayah[i])}`, i);
        this.whole = { rows, column: (name) => t.getChild(name)! };
      });
    // A failed read is not kept: ayahs go on being taken one by one, and a later one reads again.
    this.wholeRead = read.then(
      () => undefined,
      () => {
        this.wholeRead = undefined;
      },
    );
  }

  private fromWhole(whole: WholeText, key: string): AyahInfo | undefined {
    const row = whole.rows.get(key);
    if (row === undefined) return undefined;
    const value = (name: string) => whole.column(name).get(row);
    return infoOf({ surah: value('surah'), ayah: value('ayah'), text: value('text'), surah_ar: value('surah_ar'), surah_en: value('surah_en'), group: value('group') });
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
