/**
 * per-ayah-folder: cuts the whole-surah recordings of a surah-timed folder (audio/SSS.mp3 +
 * alignments/SSS.json) into one file per ayah, numbered in a riwayah, as reciters publish
 * them: `<top>/SSS/AAA.mp3` and `<top>/SSS/000_basmala.mp3`. Test and benchmark material
 * (a Warsh-numbered folder from the corpus's basit-warsh); the cuts are the timeline the
 * surah-timed layout gives in that riwayah (src/pipeline/layout/timing-file.ts).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ffmpegPath } from '../fingerprint/ffmpeg-path.js';
import { scanReciterFolder } from '../pipeline/layout.js';
import { readTimingFile } from '../pipeline/layout/timing-file.js';
import type { Riwayah, SurahAyah } from '../types.js';

export interface PerAyahFolderOptions {
  /** Surahs to cut (each needs audio/SSS.* and alignments/SSS.json). */
  surahs: number[];
  /** The numbering of the file names. */
  riwayah: Riwayah;
  /** Relative path of an ayah's file (ayah 0: the basmala before the surah). Default `SSS/AAA.mp3`, `SSS/000_basmala.mp3`. */
  name?: (ref: SurahAyah) => string;
}

const pad3 = (n: number) => String(n).padStart(3, '0');
const defaultName = (r: SurahAyah) => `${pad3(r.surah)}/${r.ayah === 0 ? '000_basmala' : pad3(r.ayah)}.mp3`;

/** Cuts the folder into `out` (one ffmpeg process per surah, stream copy); returns the files written. */
export async function cutPerAyahFolder(surahTimedDir: string, out: string, opts: PerAyahFolderOptions): Promise<string[]> {
  const scan = await scanReciterFolder(surahTimedDir, 'surah-timed', opts.riwayah);
  const name = opts.name ?? defaultName;
  const written: string[] = [];
  for (const surah of opts.surahs) {
    const source = scan.sources.find((s) => s.ref.surah === surah);
    if (!source?.timingPath) throw new Error(`${surahTimedDir}: no usable audio and timing for surah ${surah}`);
    const basmala = (await readTimingFile(source.timingPath, surah)).segments.find((s) => s.what === 'basmala');
    const cuts = [
      ...(basmala && surah !== 1 ? [{ ref: { surah, ayah: 0 }, start: basmala.start, end: basmala.end }] : []),
      ...source.timeline.map((e) => ({ ref: { surah: e.surah, ayah: e.ayah }, start: e.start, end: e.end })),
    ];
    const args = ['-v', 'error', '-y', '-i', source.path];
    for (const c of cuts) {
      const file = path.join(out, name(c.ref));
      fs.mkdirSync(path.dirname(file), { recursive: true });
      args.push('-map', '0:a', '-ss', c.start.toFixed(3), '-to', c.end.toFixed(3), '-c', 'copy', '-f', 'mp3', file);
      written.push(file);
    }
    execFileSync(ffmpegPath(), args, { stdio: ['ignore', 'ignore', 'pipe'] });
  }
  return written;
}
