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
   * told apart without a wider look-up key. 3: the index also keeps speed-invariant landmarks
   * (`speed` below), so the speed pass finds a sped-up clip's factor with ~100 look-ups
   * instead of probing 20 factors with ~1,200.
   */
  version: 3,
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
  /**
   * Speed-invariant landmarks (speed-landmarks.ts): triplets of peaks (an anchor and two
   * consecutive peaks of its target zone) keyed by what a change of speed (pitch and tempo
   * together) leaves as it is: the two frequency ratios, the ratio of the two time
   * differences, and the product of the anchor's frequency and the triplet's span. Each is
   * quantized in steps of the given size (ratios and the product in natural log). Coarse
   * enough that a clip played 6 % faster or slower keeps ~1 in 12 of its keys at the right
   * place (bin and frame rounding move the rest; test/speed-landmarks.test.ts), fine enough
   * that the rarest 150 of a 5-second clip's ~210 keys read ~140 k postings at 1,000 hours
   * (docs/benchmarks.md has the designs measured). ~0.14 M postings per hour of audio, 43 %
   * more than the exact hashes' 0.32 M.
   */
  speed: {
    /** Triplets per anchor: its zone's 1st and 2nd peaks, 2nd and 3rd, ... */
    triplets: 2,
    /** Shortest time from the anchor to the triplet's second peak, frames (shorter differences round too coarsely). */
    minDt: 3,
    /** Step of ln(f2 / f1) and ln(f3 / f1). */
    ratioStep: 0.04,
    /** Step of (t2 - t1) / (t3 - t1), which lies in (0, 1). */
    timeRatioStep: 0.125,
    /** Step of ln((t3 - t1) × f1), frequencies in FFT bins and times in frames. */
    productStep: 0.12,
  },
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
 * The index has one row per possible hash value: these exact hashes, then the speed keys.
 */
export const HASH_BITS = 20;
/** Exact (pair) hashes are 0 .. EXACT_HASH_SPACE - 1. */
export const EXACT_HASH_SPACE = 1 << HASH_BITS;
/** Speed-invariant keys (speed-landmarks.ts) are EXACT_HASH_SPACE .. HASH_SPACE - 1. */
export const SPEED_KEY_BASE = EXACT_HASH_SPACE;
/** Cells of each speed key field: two frequency ratios, a time ratio, a time × frequency product. */
export const SPEED_KEY_FIELDS = speedKeyFields();
export const SPEED_KEY_SPACE = SPEED_KEY_FIELDS.ratio * SPEED_KEY_FIELDS.ratio * SPEED_KEY_FIELDS.timeRatio * SPEED_KEY_FIELDS.product;
/** Rows of the index: every exact hash and every speed key. */
export const HASH_SPACE = EXACT_HASH_SPACE + SPEED_KEY_SPACE;

/** The cells each speed key field spans, from the band, the target zone and the steps. */
function speedKeyFields(cfg: FingerprintConfig = FINGERPRINT): { ratio: number; timeRatio: number; product: number; minLogProduct: number } {
  const { loBin, hiBin } = bandOf(cfg);
  // |ln(f2 / f1)| is largest with f1 at the band's lowest bin and f2 maxDf above it.
  const maxLogRatio = Math.log((loBin + cfg.maxDf) / loBin);
  const minLogProduct = Math.log((cfg.speed.minDt + 1) * loBin);
  const maxLogProduct = Math.log(cfg.maxDt * hiBin);
  return {
    ratio: 2 * Math.ceil(maxLogRatio / cfg.speed.ratioStep) + 1,
    timeRatio: Math.ceil(1 / cfg.speed.timeRatioStep),
    product: Math.floor((maxLogProduct - minLogProduct) / cfg.speed.productStep) + 1,
    minLogProduct,
  };
}

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
