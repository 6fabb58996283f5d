/**
 * flat layout (EveryAyah): `SSSAAA.mp3` files at the top of the folder; AAA = 000 is the
 * isti'adha read before the surah, not an ayah.
 */
import type { Numbering } from '../../quran/numbering.js';
import type { LayoutScan, UnmatchedFile } from './types.js';
import { AUDIO_EXT_PATTERN, isAudioName } from './files.js';
import { ayahFileSources, type NamedAyahFile } from './per-ayah.js';

const NAME = new RegExp(`^(\\d{3})(\\d{3})\\.(?:${AUDIO_EXT_PATTERN})$`, 'i');

export function scanFlat(dir: string, files: string[], numbering: Numbering): LayoutScan {
  const named: NamedAyahFile[] = [];
  const unmatched: UnmatchedFile[] = [];
  for (const relPath of files) {
    const m = relPath.includes('/') ? null : NAME.exec(relPath);
    if (m) named.push({ relPath, ref: { surah: Number(m[1]), ayah: Number(m[2]) } });
    else unmatched.push({ relPath, reason: flatMismatch(relPath) });
  }
  const { sources, unmatched: refUnmatched } = ayahFileSources(dir, named, 'istiadha', numbering);
  return { layout: 'flat', sources, unmatched: [...unmatched, ...refUnmatched], recognised: named.length };
}

function flatMismatch(relPath: string): string {
  if (!isAudioName(relPath)) return 'not an audio file';
  if (relPath.includes('/')) return 'in a subfolder (flat layout: SSSAAA files at the top of the folder)';
  return 'name is not SSSAAA (3-digit surah and ayah numbers, e.g. 002255.mp3)';
}
