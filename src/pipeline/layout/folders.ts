/**
 * folders layout: one folder per surah, one file per ayah: `S/A.mp3`, numbers zero-padded
 * or not (`2/255.mp3`, `002/255.mp3`, `001/007.MP3`). Ayah 0 (`S/0.mp3`, `SSS/000.mp3`) or
 * `SSS/000_basmala.mp3` is the basmala read before the surah, not an ayah. The surah folders
 * may sit in one folder of their own (`Reciter/002/255.mp3`), as downloads often do.
 */
import type { Numbering } from '../../quran/numbering.js';
import type { LayoutScan, UnmatchedFile } from './types.js';
import { AUDIO_EXT_PATTERN, isAudioName } from './files.js';
import { ayahFileSources, type NamedAyahFile } from './per-ayah.js';

const NAME = new RegExp(`^(?:[^/]+/)?(\\d{1,3})/(\\d{1,3}|0{1,3}[_ -]?basmala)\\.(?:${AUDIO_EXT_PATTERN})$`, 'i');

export function scanFolders(dir: string, files: string[], numbering: Numbering): LayoutScan {
  const named: NamedAyahFile[] = [];
  const unmatched: UnmatchedFile[] = [];
  for (const relPath of files) {
    const m = NAME.exec(relPath);
    if (m) named.push({ relPath, ref: { surah: Number(m[1]), ayah: /basmala/i.test(m[2]) ? 0 : Number(m[2]) } });
    else unmatched.push({ relPath, reason: mismatch(relPath) });
  }
  const { sources, unmatched: refUnmatched } = ayahFileSources(dir, named, 'basmala', numbering);
  return { layout: 'folders', sources, unmatched: [...unmatched, ...refUnmatched], recognised: named.length };
}

function mismatch(relPath: string): string {
  if (!isAudioName(relPath)) return 'not an audio file';
  if (relPath.split('/').length > 3) return 'too deep: surah folders may sit in one folder at most (e.g. Reciter/002/255.mp3)';
  return 'not in the form S/A (surah folder, ayah number file, e.g. 2/255.mp3)';
}
