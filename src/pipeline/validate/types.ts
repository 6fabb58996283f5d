/**
 * Types of `ayah validate`'s report. The JSON output (`--json`) is exactly a
 * ValidationReport; its schema is documented in docs/validation.md and versioned by
 * `schema`: fields are only ever added within one version.
 */
import type { Layout, RecordingSource } from '../../types.js';

export const REPORT_SCHEMA = 'ayahfinder.validate/1';

export type Severity = 'error' | 'warning';

/** What was checked. */
export type Check =
  /** The file decodes completely and has an audio stream. */
  | 'decode'
  /** Silent or nearly silent file, long leading/trailing silence. */
  | 'silence'
  /** Very low level. */
  | 'level'
  /** Clipped samples. */
  | 'clipping'
  /** Duration plausible for the ayah's text. */
  | 'duration'
  /** The file name maps to a real ayah in the folder's layout. */
  | 'name'
  /** Ayahs missing from the surahs present. */
  | 'coverage'
  /** The same decoded audio under two names. */
  | 'duplicate'
  /** Mixed codecs, sample rates or channel counts. */
  | 'format'
  /** Whole-surah timing files: segments inside the audio, in order, not overlapping, every ayah present. */
  | 'timing';

export interface Issue {
  severity: Severity;
  check: Check;
  /** Path relative to the folder; "." for the folder as a whole. */
  file: string;
  /** One line. */
  reason: string;
}

/** What decoding measured of one audio file (numbers rounded; null: not measurable). */
export interface AudioFacts {
  bytes: number;
  container: string;
  codec: string;
  sampleRate: number;
  channels: number | null;
  bitrateKbps: number | null;
  /** Decoded duration, seconds. */
  durationS: number;
  /** Duration the file's headers declare, seconds. */
  headerDurationS: number | null;
  leadingSilenceS: number;
  trailingSilenceS: number;
  /** Seconds from the first to the last non-silent 20 ms frame: what the duration check judges. */
  soundS: number;
  silentRatio: number;
  clippingRatio: number;
  rmsDb: number | null;
  peakDb: number | null;
  /** SHA-256 of the decoded PCM (mono float32). */
  pcmHash: string;
}

export interface FileReport {
  relPath: string;
  kind: RecordingSource['kind'];
  /** "surah:ayah" the name says (ayah 0: isti'adha/basmala file). */
  ref: string;
  /** null when the file could not be decoded. */
  audio: AudioFacts | null;
}

export interface SurahCoverage {
  surah: number;
  present: number;
  total: number;
  /** Missing ayahs, "surah:ayah". */
  missing: string[];
}

export interface ValidationReport {
  schema: typeof REPORT_SCHEMA;
  dir: string;
  layout: Layout;
  /** The riwayah whose numbering the names and timings were checked against. */
  riwayah: string;
  /** No errors (and, under --strict, no warnings). */
  ok: boolean;
  strict: boolean;
  counts: {
    /** Every file in the folder. */
    files: number;
    /** Files the layout maps to ayahs (and isti'adha/basmala files): the ones decoded. */
    sources: number;
    /** Files the layout does not use. */
    unmatched: number;
    errors: number;
    warnings: number;
  };
  /** Decoded audio, seconds. */
  audioSeconds: number;
  elapsedSeconds: number;
  /** One entry per surah that has at least one ayah. */
  coverage: SurahCoverage[];
  files: FileReport[];
  /** Sorted: errors first, then by file, check. */
  issues: Issue[];
}
