/**
 * Domain types shared by every layer (fingerprint, index, query, pipeline, cli).
 * Declare a domain type here once; never re-declare it in a module.
 */

/** A reference to one ayah in Hafs (Madani) numbering: 114 surahs, 6236 ayahs. */
export interface SurahAyah {
  surah: number;
  ayah: number;
}

/** Riwayah (transmission) of a recitation. Open-ended: new riwayat may be added. */
export type Riwayah = 'hafs' | 'warsh' | 'qalun' | 'duri' | 'susi' | 'shubah' | (string & {});

/** Recitation style. */
export type Style = 'murattal' | 'mujawwad' | 'hadr' | 'muallim' | (string & {});

export interface Reciter {
  /** Stable identifier, a slug of the English name (e.g. "ibrahim-al-akhdar"). */
  id: string;
  nameEn: string;
  nameAr?: string;
  riwayah: Riwayah;
  style?: Style;
}

/** A reciter as the catalog (the authority) describes it, with whether identify answers with it. */
export interface ReciterState extends Reciter {
  active: boolean;
}

/**
 * One span of a recording's audio that recites one ayah (or the basmala, isti'adha).
 * Times are seconds from the start of the recording's audio file.
 */
export interface TimelineEntry extends SurahAyah {
  start: number;
  end: number;
}

/** How a folder of a reciter's audio is organised. */
export type Layout = 'flat' | 'folders' | 'surah-timed';

/**
 * An audio file found in a reciter folder, before it is fingerprinted.
 * `timeline` says which ayah is where inside the file: a single entry covering the
 * whole file for ayah-per-file layouts; one entry per ayah for whole-surah files.
 * `timeline` may be empty for a file that is not an ayah (isti'adha, a lone basmala
 * of a surah other than 1): such files are not indexed.
 */
export interface RecordingSource {
  /** Absolute path of the audio file. */
  path: string;
  /** Path relative to the reciter folder, used in messages and as the stable key. */
  relPath: string;
  /** The ayah the file is named after (first ayah for whole-surah files). */
  ref: SurahAyah;
  /** What the name says the file is; "basmala" is the basmala read before a surah. */
  kind: 'ayah' | 'basmala' | 'istiadha' | 'surah';
  timeline: TimelineEntry[];
  /** For whole-surah layouts: the timing file the timeline came from. */
  timingPath?: string;
}

/** A recording as stored in the index: a fingerprinted audio file of one reciter. */
export interface Recording {
  /** Index-wide integer id (dense, assigned when the recording is indexed). */
  id: number;
  reciterId: string;
  /** Absolute path of the source audio when it was indexed (benchmarks cut clips from it). */
  path: string;
  relPath: string;
  /** SHA-256 of the file bytes: detects changed files on re-index. */
  contentHash: string;
  durationS: number;
  timeline: TimelineEntry[];
}

/** What placing an answer in its ayah needs of a recording: its reciter and its timeline. */
export type Placement = Pick<Recording, 'id' | 'reciterId' | 'timeline'>;

/** One answer of identify: where the clip is, with how sure we are. */
export interface Match extends SurahAyah {
  reciterId: string;
  reciterName: string;
  riwayah: Riwayah;
  /** Calibrated confidence in [0, 1]: 1 - probability that this alignment is chance. */
  confidence: number;
  /** Position of the clip's start within the ayah, seconds (may be negative if it starts before). */
  offsetS: number;
  recordingId: number;
  /** Aligned hashes that support the match (raw evidence). */
  score: number;
  /** Other ayahs the clip also covers (a clip crossing into the next ayah). */
  alsoCovers: SurahAyah[];
}

export type IdentifyStatus = 'match' | 'ambiguous' | 'no_match';

/** One result line of identify, as printed (--json `results[]`). */
export interface IdentifyResult extends Match {
  /** The Hafs ayahs the matched ayah covers (itself for Hafs reciters; one or two otherwise). */
  hafs: SurahAyah[];
  /** The ayah's text: the riwayah's own when a package gives it, else Hafs words (then textRiwayah is "hafs"). */
  text: string;
  textRiwayah?: Riwayah;
  surahNameAr: string;
  surahNameEn: string;
  /** Other places where the same text occurs (repeated group), excluding this one. */
  sameTextAt: SurahAyah[];
  /** Why the answer may be ambiguous beyond sameTextAt (e.g. the basmala). */
  note?: string;
}

/** identify's answer for one input. */
export interface IdentifyAnswer {
  input: string;
  status: IdentifyStatus;
  elapsedMs: number;
  results: IdentifyResult[];
  /** Set when the input could not be read; status is then "no_match". */
  error?: string;
}

/** One stretch of a long input (identify --timeline): an ayah recited there, or nothing recognised. */
export interface TimelineSegment {
  input: string;
  /** Seconds from the start of the input. */
  startS: number;
  endS: number;
  status: IdentifyStatus;
  /** The ayah recited (empty for no_match), with the fields of identify's results. */
  results: IdentifyResult[];
}

/** A line of identify --follow: the ayah being recited changed (or was first recognised). */
export interface FollowEvent {
  input: string;
  /** Stream time (seconds of input read) when the ayah was recognised. */
  streamS: number;
  /** Where the ayah started in the stream, by the alignment. */
  startS: number;
  status: IdentifyStatus;
  results: IdentifyResult[];
}
