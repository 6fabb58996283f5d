/**
 * spectrogram: streaming short-time Fourier transform of mono PCM into log-power frames
 * restricted to the fingerprint band. Frames are written into a caller-owned ring, so no
 * allocation happens per frame.
 */
import { bandOf, FINGERPRINT, type FingerprintConfig } from './config.js';
import { RealPowerSpectrum } from './fft.js';

export class SpectrogramStream {
  readonly loBin: number;
  readonly hiBin: number;
  /** Number of bins per frame (loBin..hiBin inclusive). */
  readonly bands: number;
  private readonly spectrum: RealPowerSpectrum;
  private readonly window: Float64Array;
  /** Samples not yet consumed by a full frame. */
  private readonly pending: Float32Array;
  private pendingLength = 0;
  /** Power below which a frame cannot hold a peak (the peak floor). */
  private readonly quiet: number;
  /** Index of the next frame to be produced. */
  frameCount = 0;

  constructor(private readonly cfg: FingerprintConfig = FINGERPRINT) {
    ({ loBin: this.loBin, hiBin: this.hiBin, bands: this.bands } = bandOf(cfg));
    this.spectrum = new RealPowerSpectrum(cfg.fftSize);
    this.window = new Float64Array(cfg.fftSize);
    for (let i = 0; i < cfg.fftSize; i++) this.window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / cfg.fftSize);
    this.pending = new Float32Array(cfg.fftSize + cfg.hop * 64);
    this.quiet = Math.exp(cfg.absoluteFloor) - 1e-10;
  }

  /**
   * Feeds samples; calls `onFrame(frame, index)` for every complete frame. `frame` is a
   * reused buffer of `bands` log-power values, valid only during the call.
   */
  push(samples: Float32Array, onFrame: (frame: Float32Array, index: number) => void, out: Float32Array): void {
    const { fftSize, hop } = this.cfg;
    let offset = 0;
    while (offset < samples.length) {
      const take = Math.min(samples.length - offset, this.pending.length - this.pendingLength);
      this.pending.set(samples.subarray(offset, offset + take), this.pendingLength);
      this.pendingLength += take;
      offset += take;
      let start = 0;
      while (this.pendingLength - start >= fftSize) {
        this.transform(this.pending, start, out);
        onFrame(out, this.frameCount++);
        start += hop;
      }
      if (start > 0) {
        this.pending.copyWithin(0, start, this.pendingLength);
        this.pendingLength -= start;
      }
    }
  }

  private transform(src: Float32Array, start: number, out: Float32Array): void {
    // No bin of a frame can have more power than (Σ |x·w|)²: when that is below the peak
    // floor, no peak can come from this frame nor be outdone by it, and the FFT is skipped
    // (silence between words and ayahs). The frame gets that bound, as the log power.
    // The middle quarter of the window alone (w ≥ 0.85 there) usually shows the frame is
    // not silent, without the full sum.
    const { window, quiet } = this;
    const n = window.length;
    let centre = 0;
    for (let i = start + (3 * n) / 8, end = start + (5 * n) / 8; i < end; i++) {
      const x = src[i];
      centre += x < 0 ? -x : x;
    }
    const lower = centre * window[(3 * n) / 8];
    if (lower * lower < quiet) {
      let bound = 0;
      for (let i = 0; i < n; i++) {
        const x = src[start + i];
        bound += (x < 0 ? -x : x) * window[i];
      }
      const ceiling = bound * bound;
      if (ceiling < quiet) {
        out.fill(Math.log(ceiling + 1e-10));
        return;
      }
    }
    this.spectrum.logPower(src, start, window, this.loBin, this.hiBin, out);
  }
}
