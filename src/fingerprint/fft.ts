/**
 * FFTs on preallocated Float64Arrays (no allocation per call).
 */
export class Fft {
  /** Twiddles of each radix-4 pass (two radix-2 stages), [w1 re, w1 im, w2 re, w2 im] per k. */
  private readonly passes: { half: number; tw: Float64Array }[] = [];
  /** Twiddles of the last radix-2 stage when log2(size) is odd. */
  private readonly last?: { cos: Float64Array; sin: Float64Array };
  /** Bit-reversal permutation: input sample i goes to position rev[i]. */
  readonly rev: Uint32Array;

  constructor(readonly size: number) {
    if (size & (size - 1) || size < 4) throw new Error(`FFT size must be a power of two ≥ 4, got ${size}`);
    const bits = Math.log2(size);
    this.rev = new Uint32Array(size);
    for (let i = 0; i < size; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.rev[i] = r;
    }
    // Stages of half-length h and 2h are done in one pass over the data (radix 2²): h = 1, 4, 16, …
    let h = 1;
    for (; 4 * h <= size; h *= 4) {
      const tw = new Float64Array(4 * h);
      for (let k = 0; k < h; k++) {
        tw[4 * k] = Math.cos((-Math.PI * k) / h);
        tw[4 * k + 1] = Math.sin((-Math.PI * k) / h);
        tw[4 * k + 2] = Math.cos((-Math.PI * k) / (2 * h));
        tw[4 * k + 3] = Math.sin((-Math.PI * k) / (2 * h));
      }
      this.passes.push({ half: h, tw });
    }
    if (2 * h === size) {
      const cos = new Float64Array(h);
      const sin = new Float64Array(h);
      for (let k = 0; k < h; k++) {
        cos[k] = Math.cos((-Math.PI * k) / h);
        sin[k] = Math.sin((-Math.PI * k) / h);
      }
      this.last = { cos, sin };
    }
  }

  /** Transforms (re, im) in place. */
  transform(re: Float64Array, im: Float64Array): void {
    const { rev, size: n } = this;
    for (let i = 0; i < n; i++) {
      const j = rev[i];
      if (j > i) {
        let t = re[i]; re[i] = re[j]; re[j] = t;
        t = im[i]; im[i] = im[j]; im[j] = t;
      }
    }
    this.transformReversed(re, im);
  }

  /**
   * Transforms in place an input already in bit-reversed order (sample i at rev[i]: the
   * caller writes it there while windowing), output in natural order.
   */
  transformReversed(re: Float64Array, im: Float64Array): void {
    const n = this.size;
    // First pass (twiddles 1 and -i): sums and differences only.
    for (let a = 0; a < n; a += 4) {
      const r0 = re[a], i0 = im[a], r1 = re[a + 1], i1 = im[a + 1];
      const r2 = re[a + 2], i2 = im[a + 2], r3 = re[a + 3], i3 = im[a + 3];
      const y0r = r0 + r1, y0i = i0 + i1, y1r = r0 - r1, y1i = i0 - i1;
      const y2r = r2 + r3, y2i = i2 + i3, y3r = r2 - r3, y3i = i2 - i3;
      re[a] = y0r + y2r; im[a] = y0i + y2i;
      re[a + 2] = y0r - y2r; im[a + 2] = y0i - y2i;
      // y3 × -i = (y3i, -y3r)
      re[a + 1] = y1r + y3i; im[a + 1] = y1i - y3r;
      re[a + 3] = y1r - y3i; im[a + 3] = y1i + y3r;
    }
    const { passes } = this;
    for (let p = 1; p < passes.length; p++) {
      const { half: h, tw } = passes[p];
      const len = 4 * h;
      for (let k = 0; k < h; k++) {
        const w1r = tw[4 * k], w1i = tw[4 * k + 1], w2r = tw[4 * k + 2], w2i = tw[4 * k + 3];
        for (let a = k; a < n; a += len) {
          const b = a + h, c = a + 2 * h, d = a + 3 * h;
          // Stage of half-length h: (a, b) and (c, d), twiddle w1.
          const tr = re[b] * w1r - im[b] * w1i, ti = re[b] * w1i + im[b] * w1r;
          const ur = re[d] * w1r - im[d] * w1i, ui = re[d] * w1i + im[d] * w1r;
          const y0r = re[a] + tr, y0i = im[a] + ti, y1r = re[a] - tr, y1i = im[a] - ti;
          const y2r = re[c] + ur, y2i = im[c] + ui, y3r = re[c] - ur, y3i = im[c] - ui;
          // Stage of half-length 2h: (a, c) twiddle w2, (b, d) twiddle w2 × -i.
          const vr = y2r * w2r - y2i * w2i, vi = y2r * w2i + y2i * w2r;
          const sr = y3r * w2i + y3i * w2r, si = y3i * w2i - y3r * w2r;
          re[a] = y0r + vr; im[a] = y0i + vi;
          re[c] = y0r - vr; im[c] = y0i - vi;
          re[b] = y1r + sr; im[b] = y1i + si;
          re[d] = y1r - sr; im[d] = y1i - si;
        }
      }
    }
    const last = this.last;
    if (last) {
      const h = n >> 1;
      for (let a = 0; a < h; a++) {
        const b = a + h;
        const wr = last.cos[a], wi = last.sin[a];
        const xr = re[b] * wr - im[b] * wi, xi = re[b] * wi + im[b] * wr;
        re[b] = re[a] - xr; im[b] = im[a] - xi;
        re[a] += xr; im[a] += xi;
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
   * and odd samples, the FFT's bit-reversed order and the log are done in the same passes.
   */
  logPower(x: Float32Array, start: number, window: Float64Array, lo: number, hi: number, out: Float32Array): void {
    const m = this.size / 2;
    const { re, im, twCos, twSin } = this;
    const rev = this.half.rev;
    for (let n = 0, i = start; n < m; n++, i += 2) {
      const j = rev[n];
      re[j] = x[i] * window[2 * n];
      im[j] = x[i + 1] * window[2 * n + 1];
    }
    this.half.transformReversed(re, im);
    for (let k = lo; k <= hi; k++) {
      // Z[k mod m] and Z[(m - k) mod m], for 0 ≤ k ≤ m.
      const a = k === m ? 0 : k;
      const b = k === 0 ? 0 : m - k;
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
