/**
 * layout: maps the files of a reciter folder to ayahs. Three layouts (see layout/*.ts):
 * 'flat' SSSAAA.mp3, 'folders' S/A.mp3 (or SSS/AAA.mp3, SSS/000_basmala.mp3, below one optional folder), 'surah-timed' audio/SSS.mp3 + alignments/SSS.json.
 * The layout is the one that recognises most files, unless forced. Every file the layout
 * does not use is listed in `unmatched` with a reason, never silently skipped.
 */
import { numbering } from '../quran/numbering.js';
import type { Layout, RecordingSource, Riwayah } from '../types.js';
import { listFolder } from './layout/files.js';
import { scanFlat } from './layout/flat.js';
import { scanFolders } from './layout/folders.js';
import { scanSurahTimed } from './layout/surah-timed.js';
import type { LayoutScan, UnmatchedFile } from './layout/types.js';
import { LAYOUTS } from './layout-names.js';

export type { UnmatchedFile } from './layout/types.js';

export { LAYOUTS, isLayout } from './layout-names.js';

export interface FolderScan {
  layout: Layout;
  /** Files mapped to ayahs (and isti'adha/basmala files), sorted by surah, ayah, path. */
  sources: RecordingSource[];
  /** Files not used, sorted by path. */
  unmatched: UnmatchedFile[];
}

/**
 * Maps the files of `dir` to ayahs numbered as `riwayah` numbers them (file names, and the
 * timelines of whole-surah recordings; see src/quran/numbering.ts).
 */
export async function scanReciterFolder(dir: string, forced?: Layout, riwayah: Riwayah = 'hafs'): Promise<FolderScan> {
  const { files, loops } = await listFolder(dir);
  const n = numbering(riwayah);
  const scanners: Record<Layout, () => LayoutScan | Promise<LayoutScan>> = {
    flat: () => scanFlat(dir, files, n),
    folders: () => scanFolders(dir, files, n),
    'surah-timed': () => scanSurahTimed(dir, files, n),
  };
  let best: LayoutScan;
  if (forced) best = await scanners[forced]();
  else {
    const scans = await Promise.all(LAYOUTS.map((l) => scanners[l]()));
    // Ties keep the earlier layout of LAYOUTS.
    best = scans.reduce((a, b) => (b.recognised > a.recognised ? b : a));
  }
  return {
    layout: best.layout,
    sources: [...best.sources].sort((a, b) => a.ref.surah - b.ref.surah || a.ref.ayah - b.ref.ayah || byRelPath(a, b)),
    unmatched: [...best.unmatched, ...loops.map((relPath) => ({ relPath, reason: 'symlink to a folder already listed (a loop): skipped' }))].sort(byRelPath),
  };
}

/** Code-unit order of paths: the same on every machine, unlike localeCompare. */
function byRelPath(a: { relPath: string }, b: { relPath: string }): number {
  return a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0;
}
