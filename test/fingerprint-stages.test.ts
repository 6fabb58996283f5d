/**
 * The fingerprint's stages against their definitions, computed the slow, obvious way: the
 * FFT and the power spectrum against a direct DFT, and the peak picker against a search of
 * every bin's whole neighbourhood, on a real recitation; and a kept spectrogram picked again
 * at another density against fingerprinting again.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { FINGERPRINT } from '../src/fingerprint/config.js';
import { decodeAll } from '../src/fingerprint/decode.js';
import { Fft, RealPowerSpectrum } from '../src/fingerprint/fft.js';
import { Fingerprinter, fingerprintPcm } from '../src/fingerprint/fingerprinter.js';
import { PeakPicker } from '../src/fingerprint/peaks.js';
import { QUERY } from '../src/query/config.js';
import { SpectrogramStream } from '../src/fingerprint/spectrogram.js';
import { CORPUS } from './helpers/env.js';

/** A direct DFT of (re, im). */
function dft(re: Float64Array, im: Float64Array): { re: Float64Array; im: Float64Array } {
  const n = re.length;
  const out = { re: new Float64Array(n), im: new Float64Array(n) };
  for (let k = 0; k < n; k++) {
    for (let t = 0; t < n; t++) {
      const a = (-2 * Math.PI * k * t) / n;
      out.re[k] += re[t] * Math.cos(a) - im[t] * Math.sin(a);
      out.im[k] += re[t] * Math.sin(a) + im[t] * Math.cos(a);
    }
  }
  return out;
}

/** Deterministic noise in [-1, 1). */
function noise(n: number, seed: number): Float64Array {
  let s = seed >>> 0;
  return Float64Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

describe('fingerprint stages', () => {
  it('the FFT equals a direct DFT, for sizes of odd and even log2', () => {
    for (const n of [4, 8, 16, 32, 64, 128, 256, 512]) {
      const re = noise(n, n);
      const im = noise(n, n + 1);
      const want = dft(re, im);
      new Fft(n).transform(re, im);
      for (let k = 0; k < n; k++) {
        assert.ok(Math.abs(re[k] - want.re[k]) < 1e-9 && Math.abs(im[k] - want.im[k]) < 1e-9, `size ${n}, bin ${k}: ${re[k]}, ${im[k]} against ${want.re[k]}, ${want.im[k]}`);
      }
    }
  });

  it('the log-power spectrum of a windowed real frame equals the DFT’s, at every bin asked for', () => {
    const n = FINGERPRINT.fftSize;
    const x = Float32Array.from(noise(n + 40, 7));
    const window = Float64Array.from({ length: n }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n));
    const start = 17;
    const want = dft(Float64Array.from({ length: n }, (_, i) => x[start + i] * window[i]), new Float64Array(n));
    const out = new Float32Array(n / 2 + 1);
    new RealPowerSpectrum(n).logPower(x, start, window, 0, n / 2, out);
    for (let k = 0; k <= n / 2; k++) {
      const p = Math.log(want.re[k] ** 2 + want.im[k] ** 2 + 1e-10);
      assert.ok(Math.abs(out[k] - p) < 1e-4, `bin ${k}: ${out[k]} against ${p}`);
    }
  });

  it('peaks are exactly those of the definition, on a recitation', async () => {
    const cfg = FINGERPRINT;
    const pcm = await decodeAll(path.join(CORPUS, 'salama', '078040.mp3'), { sampleRate: cfg.sampleRate });
    // The frames, kept.
    const spec = new SpectrogramStream(cfg);
    const frames: Float32Array[] = [];
    spec.push(pcm, (f) => frames.push(f.slice()), new Float32Array(spec.bands));
    const picker = new PeakPicker(spec.bands, cfg);
    frames.forEach((f, i) => picker.addFrame(f, i));
    const got = picker.finish();

    // The definition: the maximum of its neighbourhood (ties to the earliest frame), above
    // the floor and the frame's mean by the prominence, and among its block's strongest.
    const b = spec.bands;
    const keep = Math.round((cfg.peaksPerSecond * cfg.densityBlockFrames * cfg.hop) / cfg.sampleRate);
    const want: string[] = [];
    for (let block = 0; block < frames.length; block += cfg.densityBlockFrames) {
      const candidates: { t: number; f: number; v: number }[] = [];
      for (let t = block; t < Math.min(frames.length, block + cfg.densityBlockFrames); t++) {
        const mean = frames[t].reduce((a, v) => a + v, 0) / b;
        for (let f = 0; f < b; f++) {
          const v = frames[t][f];
          if (v < cfg.absoluteFloor || v - mean < cfg.minPeakProminence) continue;
          let peak = true;
          for (let u = Math.max(0, t - cfg.peakTimeRadius); u <= Math.min(frames.length - 1, t + cfg.peakTimeRadius); u++) {
            for (let g = Math.max(0, f - cfg.peakFreqRadius); g <= Math.min(b - 1, f + cfg.peakFreqRadius); g++) {
              const w = frames[u][g];
              if (w > v || (w === v && u < t)) peak = false;
            }
          }
          if (peak) candidates.push({ t, f, v });
        }
      }
      const strongest = candidates.map((c, i) => ({ ...c, i })).sort((a, c) => c.v - a.v || a.i - c.i).slice(0, keep);
      strongest.sort((a, c) => a.i - c.i).forEach((c) => want.push(`${c.t}:${c.f}`));
    }
    assert.ok(want.length > 300, `${want.length} peaks`);
    assert.deepEqual(Array.from({ length: got.length }, (_, i) => `${got.times[i]}:${got.bins[i]}`), want);
  });

  it('landmarks of a kept spectrogram are those of fingerprinting again, at the same or another density', async () => {
    const pcm = await decodeAll(path.join(CORPUS, 'salama', '078040.mp3'), { sampleRate: FINGERPRINT.sampleRate });
    const fp = new Fingerprinter(FINGERPRINT, { keepFrames: true });
    for (let i = 0; i < pcm.length; i += 3000) fp.push(pcm.subarray(i, i + 3000)); // pushed in pieces, the kept frames grown
    const own = fp.finish(QUERY.extsPer);
    const dense = { ...FINGERPRINT, ...QUERY.verify.fingerprint };
    for (const [cfg, extsPer, want] of [
      [FINGERPRINT, QUERY.extsPer, own.landmarks],
      [dense, 1, fingerprintPcm(pcm, dense).landmarks],
    ] as const) {
      const got = fp.landmarksOfKept(cfg, extsPer);
      assert.ok(got.length > 1000, `${got.length} landmarks`);
      assert.deepEqual(got, want);
    }
    assert.ok(fp.landmarksOfKept(dense).length > 2 * own.landmarks.length, 'the denser fingerprint has more landmarks');
  });
});
