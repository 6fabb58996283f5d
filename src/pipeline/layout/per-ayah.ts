/**
 * per-ayah: turns files named after one ayah (flat and folders layouts) into recording
 * sources: checks the ayah exists in the reciter's riwayah numbering, keeps one file per ayah, and marks the files that are
 * not ayahs (ayah number 0: isti'adha or basmala) with an empty timeline.
 */
import path from 'node:path';
import type { Numbering } from '../../quran/numbering.js';
import { isValidSurah, refString } from '../../quran/quran.js';
import type { RecordingSource, SurahAyah } from '../../types.js';
import type { UnmatchedFile } from './types.js';

/** A file whose name says which ayah it is. */
export interface NamedAyahFile {
  relPath: string;
  ref: SurahAyah;
}

/**
 * Sources for files named after ayahs, in the order given. `zeroKind` is what ayah 0 of a
 * surah is in this layout. A second file for the same ayah is unmatched (the first is kept).
 */
export function ayahFileSources(
  dir: string,
  files: NamedAyahFile[],
  zeroKind: 'istiadha' | 'basmala',
  numbering: Numbering,
): { sources: RecordingSource[]; unmatched: UnmatchedFile[] } {
  const sources: RecordingSource[] = [];
  const unmatched: UnmatchedFile[] = [];
  const taken = new Map<string, string>();
  for (const { relPath, ref } of files) {
    const problem = refProblem(ref, numbering);
    if (problem) {
      unmatched.push({ relPath, reason: problem });
      continue;
    }
    const key = refString(ref);
    const first = taken.get(key);
    if (first) {
      unmatched.push({ relPath, reason: `${ref.ayah === 0 ? `${zeroKind} of surah ${ref.surah}` : `ayah ${key}`} is already ${first}` });
      continue;
    }
    taken.set(key, relPath);
    const kind = ref.ayah === 0 ? zeroKind : 'ayah';
    sources.push({
      path: path.join(dir, relPath),
      relPath,
      ref: { ...ref },
      kind,
      // end 0: up to the end of the file, whose duration is known only once decoded.
      timeline: kind === 'ayah' ? [{ ...ref, start: 0, end: 0 }] : [],
    });
  }
  return { sources, unmatched };
}

function refProblem(ref: SurahAyah, n: Numbering): string | undefined {
  if (!isValidSurah(ref.surah)) return `no such surah ${ref.surah}`;
  if (ref.ayah !== 0 && !n.isValidAyah(ref.surah, ref.ayah))
    return `no such ayah ${refString(ref)}${n.riwayah === 'hafs' ? '' : ` in ${n.riwayah} numbering (surah ${ref.surah} has ${n.ayahCount(ref.surah)} ayahs)`}`;
  return undefined;
}
