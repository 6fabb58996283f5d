/**
 * In-place radix-2 FFT on preallocated Float64Arrays (no allocation per call).
 */
export class Fft {
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  private readonly rev: Uint32Array;

  constructor(readonly size: number) {
    if (size & (size - 1)) throw new Error(`FFT size must be a power of two, got ${size}`);
    this.cos = new Float64Array(size / 2);
    this.sin = new Float64Array(size / 2);
    for (let i = 0; i < size / 2; i++) {
      this.cos[i] = Math.cos((-2 * Math.PI * i) / size);
      this.sin[i] = Math.sin((-2 * Math.PI * i) / size);
    }
    this.rev = new Uint32Array(size);
    const bits = Math.log2(size);
    for (let i = 0; i < size; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.rev[i] = r;
    }
  }

  /** Transforms (re, im) in place. */
  transform(re: Float64Array, im: Float64Array): void {
    const n = this.size;
    const rev = this.rev;
    for (let i = 0; i < n; i++) {
      const j = rev[i];
      if (j > i) {
        let t = re[i]; re[i] = re[j]; re[j] = t;
        t = im[i]; im[i] = im[j]; im[j] = t;
      }
    }
    // First stage (twiddle 1): plain sums and differences.
    for (let a = 0; a < n; a += 2) {
      const b = a + 1;
      const xr = re[b];
      const xi = im[b];
      re[b] = re[a] - xr;
      im[b] = im[a] - xi;
      re[a] += xr;
      im[a] += xi;
    }
    const { cos, sin } = this;
    for (let len = 4; len <= n; len <<= 1) {
      const half = len >> 1;
      const step = n / len;
      for (let k = 0, t = 0; k < half; k++, t += step) {
        const wr = cos[t];
        const wi = sin[t];
        for (let a = k; a < n; a += len) {
          const b = a + half;
          const xr = re[b] * wr - im[b] * wi;
          const xi = re[b] * wi + im[b] * wr;
          re[b] = re[a] - xr;
          im[b] = im[a] - xi;
          re[a] += xr;
          im[a] += xi;
        }
      }
    }
  }
}

/**
 * Power spectrum of a real signal of length N through one complex FFT of length N/2
 * (even samples as real part, odd as imaginary), about twice as fast as a full FFT.
 */
export class RealPowerSpectrum {
  private readonly half: Fft;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  private readonly twCos: Float64Array;
  private readonly twSin: Float64Array;

  constructor(readonly size: number) {
    const m = size / 2;
    this.half = new Fft(m);
    this.re = new Float64Array(m);
    this.im = new Float64Array(m);
    this.twCos = new Float64Array(m + 1);
    this.twSin = new Float64Array(m + 1);
    for (let k = 0; k <= m; k++) {
      this.twCos[k] = Math.cos((-2 * Math.PI * k) / size);
      this.twSin[k] = Math.sin((-2 * Math.PI * k) / size);
    }
  }

  /**
   * Writes log(|X[k]|² + 1e-10) for k in [lo, hi] into out[k - lo], where X is the
   * spectrum of x[start + i] × window[i] (`size` samples): windowing, the split into even
   * and odd samples and the log are done in the same passes.
   */
  logPower(x: Float32Array, start: number, window: Float64Array, lo: number, hi: number, out: Float32Array): void {
    const m = this.size / 2;
    const { re, im, twCos, twSin } = this;
    for (let n = 0, i = start; n < m; n++, i += 2) {
      re[n] = x[i] * window[2 * n];
      im[n] = x[i + 1] * window[2 * n + 1];
    }
    this.half.transform(re, im);
    for (let k = lo; k <= hi; k++) {
      const a = k % m;
      const b = (m - k) % m;
      // E = (Z[k] + conj Z[m-k]) / 2, O = (Z[k] - conj Z[m-k]) / 2i
      const er = (re[a] + re[b]) * 0.5;
      const ei = (im[a] - im[b]) * 0.5;
      const or = (im[a] + im[b]) * 0.5;
      const oi = (re[b] - re[a]) * 0.5;
      const wr = twCos[k];
      const wi = twSin[k];
      const xr = er + (or * wr - oi * wi);
      const xi = ei + (or * wi + oi * wr);
      out[k - lo] = Math.log(xr * xr + xi * xi + 1e-10);
    }
  }
}
