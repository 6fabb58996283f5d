/**
 * folders layout: `S/A.mp3`, one folder per surah; `S/0.mp3` is the basmala read before
 * the surah, not an ayah.
 */
import type { LayoutScan, UnmatchedFile } from './types.js';
import { AUDIO_EXT_PATTERN, isAudioName } from './files.js';
import { ayahFileSources, type NamedAyahFile } from './per-ayah.js';

const NAME = new RegExp(`^(\\d{1,3})/(\\d{1,3})\\.(?:${AUDIO_EXT_PATTERN})$`, 'i');

export function scanFolders(dir: string, files: string[]): LayoutScan {
  const named: NamedAyahFile[] = [];
  const unmatched: UnmatchedFile[] = [];
  for (const relPath of files) {
    const m = NAME.exec(relPath);
    if (m) named.push({ relPath, ref: { surah: Number(m[1]), ayah: Number(m[2]) } });
    else unmatched.push({ relPath, reason: isAudioName(relPath) ? 'not in the form S/A (surah folder, ayah number file, e.g. 2/255.mp3)' : 'not an audio file' });
  }
  const { sources, unmatched: refUnmatched } = ayahFileSources(dir, named, 'basmala');
  return { layout: 'folders', sources, unmatched: [...unmatched, ...refUnmatched], recognised: named.length };
}
