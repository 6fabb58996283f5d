/**
 * Every fingerprinting parameter, in one place, each with what it does and why.
 * Designed for recitation: one voice, long held vowels (madd), silences between ayahs,
 * most energy below 4 kHz, phone recordings keeping 300–3,400 Hz.
 *
 * Changing any value changes the hashes: bump `version` so an index built with other
 * parameters is refused instead of silently matching nothing.
 */
export const FINGERPRINT = {
  /**
   * Fingerprint format version, stored in the index manifest. 2: every posting also carries
   * the landmark's third peak (see EXT_BITS), so postings that share a pair hash by chance are
   * told apart without a wider look-up key.
   */
  version: 2,
  /** Decode rate. 8 kHz keeps 0–4 kHz, where recitation has its energy (and phone audio its band). */
  sampleRate: 8000,
  /** FFT window: 512 samples = 64 ms, 15.6 Hz per bin: resolves the harmonics of a male voice. */
  fftSize: 512,
  /** Hop between frames: 128 samples = 16 ms, 62.5 frames per second. */
  hop: 128,
  /** Lowest frequency considered for peaks: phone band starts at 300 Hz. */
  minFreqHz: 300,
  /** Highest frequency considered for peaks: phone band ends at 3,400 Hz. */
  maxFreqHz: 3400,
  /** A peak is the maximum of its neighbourhood: ± this many bins (±94 Hz: one harmonic). */
  peakFreqRadius: 6,
  /** … and ± this many frames (±80 ms). */
  peakTimeRadius: 5,
  /** Peaks kept per second at most (the strongest), so dense audio does not flood the index. */
  peaksPerSecond: 24,
  /** Length of the block within which the strongest peaks are kept, frames (~1 s). */
  densityBlockFrames: 62,
  /** A peak must stand this far (natural log of power) above the frame's median to count. */
  minPeakProminence: 2.0,
  /** Frames whose energy is this far (log power) below the loudest recent frame are silence. */
  silenceBelowMax: 9.0,
  /** Absolute floor (log power of the FFT bin) below which nothing is a peak: digital silence. */
  absoluteFloor: -12,
  /** Each anchor peak pairs with up to this many later peaks (the fan-out). */
  fanOut: 5,
  /** Target zone: the paired peak comes 2..63 frames (32 ms..1 s) after the anchor … */
  minDt: 2,
  maxDt: 63,
  /** … within ± this many bins of the anchor's frequency (±31 bins = ±484 Hz). */
  maxDf: 31,
  /** Seconds a query needs at least (shorter clips cannot be identified reliably). */
  minQuerySeconds: 1.0,
} as const;

/** The fingerprint's parameters, any values (FINGERPRINT holds the index's; a query may vary some, as verification does). */
export type FingerprintConfig = { readonly [K in keyof typeof FINGERPRINT]: (typeof FINGERPRINT)[K] extends number ? number : (typeof FINGERPRINT)[K] };

/** Frequency bin of a frequency in Hz. */
export function binOf(hz: number, cfg: FingerprintConfig = FINGERPRINT): number {
  return Math.round((hz * cfg.fftSize) / cfg.sampleRate);
}

/** The FFT bins peaks are taken from: loBin..hiBin inclusive; peak bins are relative to loBin. */
export function bandOf(cfg: FingerprintConfig = FINGERPRINT): { loBin: number; hiBin: number; bands: number } {
  const loBin = binOf(cfg.minFreqHz, cfg);
  const hiBin = binOf(cfg.maxFreqHz, cfg);
  return { loBin, hiBin, bands: hiBin - loBin + 1 };
}

/** Seconds per frame. */
export const FRAME_SECONDS = FINGERPRINT.hop / FINGERPRINT.sampleRate;

/**
 * Hash layout (20 bits): anchor bin relative to minFreqHz (8 bits) | df + maxDf (6 bits) | dt (6 bits).
 * The index has one row per possible hash value.
 */
export const HASH_BITS = 20;
export const HASH_SPACE = 1 << HASH_BITS;

/**
 * The landmark's extension (12 bits): the next peak of the anchor's target zone after the
 * paired one, as its time (6 bits) and frequency + maxDf (6 bits) from the anchor: with the
 * pair hash, a 32-bit triplet. It is stored in each posting beside the frame (a posting's
 * second word: frame | ext << FRAME_BITS) and compared after the look-up: the look-up key
 * stays the 20-bit pair (one index row per pair), while the votes a look-up yields drop
 * ~100-fold, since a chance posting of the pair rarely has the clip's third peak too.
 */
export const EXT_BITS = 12;
/** Extension of a landmark whose anchor has no peak after the paired one (never a real one: df field 63). */
export const EXT_NONE = (1 << EXT_BITS) - 1;
/** Bits of a posting's frame: recordings up to 2^20 frames (4.6 hours); later landmarks are not indexed. */
export const FRAME_BITS = 32 - EXT_BITS;
export const MAX_FRAMES = 1 << FRAME_BITS;
