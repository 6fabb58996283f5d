/**
 * Types of the layout scanners (src/pipeline/layout.ts picks one of them).
 */
import type { Layout, RecordingSource } from '../../types.js';

/** A file of a reciter folder that is not used, and why. */
export interface UnmatchedFile {
  relPath: string;
  reason: string;
  /** Set when the file's name is fine but its timing file is missing or unusable. */
  about?: 'timing';
}

/** What one layout makes of a folder's files. */
export interface LayoutScan {
  layout: Layout;
  sources: RecordingSource[];
  unmatched: UnmatchedFile[];
  /** How many files the layout recognised by name (audio and timing files): picks the layout. */
  recognised: number;
}
