/**
 * layout-names: the names of the folder layouts (layout.ts scans with them), apart from the
 * scanners so that a command's options can name them without loading the scanners and the
 * Quran's numbering (every command parses its options; only some scan folders).
 */
import type { Layout } from '../types.js';

export const LAYOUTS: readonly Layout[] = ['flat', 'folders', 'surah-timed'];

export function isLayout(value: string): value is Layout {
  return (LAYOUTS as readonly string[]).includes(value);
}
