/**
 * fingerprinter: the fingerprint pipeline of one audio input, streamed:
 * PCM chunks → spectrogram frames → peaks → landmarks.
 */
import { FINGERPRINT, type FingerprintConfig } from './config.js';
import { decodeStream, type DecodeOptions } from './decode.js';
import { landmarksOf, type Landmarks } from './landmarks.js';
import { PeakPicker, type Peaks } from './peaks.js';
import { SpectrogramStream } from './spectrogram.js';

export interface Fingerprint {
  landmarks: Landmarks;
  peaks: Peaks;
  /** Decoded duration, seconds. */
  durationS: number;
  /** Peak absolute sample value (0 means digital silence). */
  maxAbs: number;
}

export class Fingerprinter {
  private readonly spec: SpectrogramStream;
  private readonly picker: PeakPicker;
  private readonly frame: Float32Array;
  private samples = 0;
  private maxAbs = 0;
  /** The spectrogram's frames, one after the other (opts.keepFrames), and how many. */
  private kept?: Float32Array;
  private keptFrames = 0;
  private readonly onFrame = (frame: Float32Array, index: number) => {
    this.picker.addFrame(frame, index);
    if (this.kept) this.keep(frame);
  };

  /** `keepFrames`: keep the spectrogram, so that peaks of another density can be picked from it after (landmarksOfKept). */
  constructor(
    private readonly cfg: FingerprintConfig = FINGERPRINT,
    opts: { keepFrames?: boolean } = {},
  ) {
    this.spec = new SpectrogramStream(cfg);
    this.picker = new PeakPicker(this.spec.bands, cfg);
    this.frame = new Float32Array(this.spec.bands);
    if (opts.keepFrames) this.kept = new Float32Array(this.spec.bands * 512);
  }

  private keep(frame: Float32Array): void {
    const bands = this.spec.bands;
    if ((this.keptFrames + 1) * bands > this.kept!.length) {
      const grown = new Float32Array(this.kept!.length * 2);
      grown.set(this.kept!);
      this.kept = grown;
    }
    this.kept!.set(frame, this.keptFrames++ * bands);
  }

  /**
   * Landmarks of the kept spectrogram (opts.keepFrames) with peaks and pairs picked as `cfg`
   * says: another density or fan-out of the same spectrogram (its sample rate, FFT, hop and
   * band must be this fingerprinter's). Call after finish().
   */
  landmarksOfKept(cfg: FingerprintConfig, extsPer = 1): Landmarks {
    if (!this.kept) throw new Error('Fingerprinter: frames were not kept');
    const bands = this.spec.bands;
    const picker = new PeakPicker(bands, cfg);
    for (let i = 0; i < this.keptFrames; i++) picker.addFrame(this.kept.subarray(i * bands, (i + 1) * bands), i);
    return landmarksOf(picker.finish(), cfg, extsPer);
  }

  push(pcm: Float32Array): void {
    this.samples += pcm.length;
    let m = this.maxAbs;
    for (let i = 0; i < pcm.length; i++) {
      const a = pcm[i] < 0 ? -pcm[i] : pcm[i];
      if (a > m) m = a;
    }
    this.maxAbs = m;
    this.spec.push(pcm, this.onFrame, this.frame);
  }

  /** Peaks final so far, taken out (streams: see PeakPicker.drain); times in frames from the start. */
  drainPeaks(): Peaks {
    return this.picker.drain();
  }

  /** Seconds from the start before which every peak has been drained (or can be). */
  get finalSeconds(): number {
    return (this.picker.finalBefore * this.cfg.hop) / this.cfg.sampleRate;
  }

  /** Seconds from the start up to which peaks are known: final, or pending (see pendingPeaks). */
  get evaluatedSeconds(): number {
    return (this.picker.evaluatedBefore * this.cfg.hop) / this.cfg.sampleRate;
  }

  /** The peaks after finalSeconds, provisional (live input; PeakPicker.pending), not taken out. */
  pendingPeaks(): Peaks {
    return this.picker.pending();
  }

  /** Ends a stream read with drainPeaks: the last peaks. */
  finishPeaks(): Peaks {
    return this.picker.finish();
  }

  /** Peak absolute sample value so far (0: digital silence). */
  get loudest(): number {
    return this.maxAbs;
  }

  /** Seconds of audio pushed so far. */
  get seconds(): number {
    return this.samples / this.cfg.sampleRate;
  }

  /** Ends the input: its peaks and landmarks, with `extsPer` extensions per landmark (1 to index; a query's QUERY.extsPer). */
  finish(extsPer = 1): Fingerprint {
    const peaks = this.picker.finish();
    return { peaks, landmarks: landmarksOf(peaks, this.cfg, extsPer), durationS: this.samples / this.cfg.sampleRate, maxAbs: this.maxAbs };
  }
}

export function fingerprintPcm(pcm: Float32Array, cfg: FingerprintConfig = FINGERPRINT, extsPer = 1): Fingerprint {
  const fp = new Fingerprinter(cfg);
  fp.push(pcm);
  return fp.finish(extsPer);
}

/** Decodes and fingerprints an input (path or "-"), streaming. */
export async function fingerprintInput(input: string, opts: Omit<DecodeOptions, 'sampleRate'> = {}, cfg: FingerprintConfig = FINGERPRINT): Promise<Fingerprint> {
  const fp = new Fingerprinter(cfg);
  for await (const chunk of decodeStream(input, { ...opts, sampleRate: cfg.sampleRate })) fp.push(chunk);
  return fp.finish();
}
