/**
 * pcm: the typed-array degradations of the benchmark and the measurements that check them.
 * Every function takes mono float32 PCM and returns a new array (inputs are never changed).
 *
 * Levels are measured on active speech, not on the whole clip: recitation has long
 * silences (between ayahs, breaths), and a noise level relative to a clip's average power
 * would depend on how much silence the clip happens to contain.
 */
import { gaussian, type Rng } from './prng.js';

/** Frame length of the active-speech measurement, seconds. */
const ACTIVE_FRAME_S = 0.02;
/** A frame is active when its power is within this many dB of the loudest frame. */
const ACTIVE_RANGE_DB = 30;
/** μ of G.711 μ-law. */
const MU = 255;

export function dbToPower(db: number): number {
  return 10 ** (db / 10);
}

export function powerToDb(power: number): number {
  return 10 * Math.log10(power);
}

/** Mean power (mean square) of the whole array. */
export function meanPower(pcm: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < pcm.length; i++) sum += pcm[i] * pcm[i];
  return pcm.length ? sum / pcm.length : 0;
}

/**
 * Active-speech power: the mean power over the 20 ms frames whose power is within 30 dB
 * of the loudest frame (the silences between words and ayahs are left out). 0 for silence.
 */
export function activePower(pcm: Float32Array, rate: number): number {
  const frame = Math.max(1, Math.round(rate * ACTIVE_FRAME_S));
  const frames = Math.ceil(pcm.length / frame);
  const power = new Float64Array(frames);
  let loudest = 0;
  for (let f = 0; f < frames; f++) {
    const end = Math.min(pcm.length, (f + 1) * frame);
    let sum = 0;
    for (let i = f * frame; i < end; i++) sum += pcm[i] * pcm[i];
    power[f] = sum / (end - f * frame);
    if (power[f] > loudest) loudest = power[f];
  }
  if (loudest === 0) return 0;
  const floor = loudest / dbToPower(ACTIVE_RANGE_DB);
  let sum = 0;
  let n = 0;
  for (let f = 0; f < frames; f++) {
    if (power[f] >= floor) {
      sum += power[f];
      n++;
    }
  }
  return sum / n;
}

/**
 * White noise: adds Gaussian noise whose power is the clip's active-speech power minus
 * `snrDb` dB. A silent clip stays silent (its SNR is undefined).
 */
export function addWhiteNoise(pcm: Float32Array, rate: number, snrDb: number, rng: Rng): Float32Array {
  const out = Float32Array.from(pcm);
  const signal = activePower(pcm, rate);
  if (signal === 0) return out;
  const sigma = Math.sqrt(signal / dbToPower(snrDb));
  const normal = gaussian(rng);
  for (let i = 0; i < out.length; i++) out[i] += sigma * normal();
  return out;
}

/**
 * Mixes `other` (e.g. another recitation: babble) into the clip so that the clip's
 * active-speech power is `snrDb` dB above the other's. `other` is repeated when shorter.
 */
export function mixAtSnr(pcm: Float32Array, other: Float32Array, rate: number, snrDb: number): Float32Array {
  const out = Float32Array.from(pcm);
  const signal = activePower(pcm, rate);
  const interference = activePower(other, rate);
  if (signal === 0 || interference === 0) return out;
  const g = Math.sqrt(signal / (interference * dbToPower(snrDb)));
  for (let i = 0; i < out.length; i++) out[i] += g * other[i % other.length];
  return out;
}

/** Gain by `db` decibels (samples beyond ±1 are kept: float PCM does not clip). */
export function applyGain(pcm: Float32Array, db: number): Float32Array {
  const g = 10 ** (db / 20);
  const out = new Float32Array(pcm.length);
  for (let i = 0; i < pcm.length; i++) out[i] = g * pcm[i];
  return out;
}

/**
 * G.711-like μ-law: samples clipped to ±1, compressed with μ = 255, quantized to 8 bits
 * (256 levels), expanded back. The quantization noise of a landline telephone.
 */
export function muLaw8bit(pcm: Float32Array): Float32Array {
  const out = new Float32Array(pcm.length);
  const norm = Math.log1p(MU);
  for (let i = 0; i < pcm.length; i++) {
    const x = Math.max(-1, Math.min(1, pcm[i]));
    const y = Math.round(((Math.sign(x) * Math.log1p(MU * Math.abs(x))) / norm) * 127) / 127;
    out[i] = (Math.sign(y) * Math.expm1(Math.abs(y) * norm)) / MU;
  }
  return out;
}

/**
 * Measured SNR of a degraded clip against its clean version of the same length and
 * alignment: active-speech power of `clean` over the power of `degraded − clean`, dB.
 */
export function measureSnrDb(clean: Float32Array, degraded: Float32Array, rate: number): number {
  const n = Math.min(clean.length, degraded.length);
  const diff = new Float32Array(n);
  for (let i = 0; i < n; i++) diff[i] = degraded[i] - clean[i];
  return powerToDb(activePower(clean, rate) / meanPower(diff));
}
