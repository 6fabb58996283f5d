/**
 * pcm-stats: the signal statistics of validation, computed in one pass over the mono
 * float32 samples of a decode (a decodeBatch sink) without keeping the audio: duration,
 * silence (20 ms frames below SILENCE_DB), clipping, RMS and peak level, and a SHA-256
 * of the PCM that identifies the same audio under two names.
 */
import { createHash, type Hash } from 'node:crypto';
import type { PcmSink } from '../../fingerprint/decode-batch.js';

/** A 20 ms frame whose RMS is below this level (dBFS) is silent. */
export const SILENCE_DB = -45;
/** A sample at or above this magnitude counts as clipped. */
export const CLIP_LEVEL = 0.99;
const FRAME_S = 0.02;
const SILENCE_POWER = 10 ** (SILENCE_DB / 10);

export interface PcmStats {
  samples: number;
  durationS: number;
  leadingSilenceS: number;
  trailingSilenceS: number;
  /** Audio between the first and the last non-silent frame, seconds (0 when all silent). */
  soundS: number;
  /** Fraction of 20 ms frames that are silent. */
  silentRatio: number;
  /** Fraction of samples at or above CLIP_LEVEL. */
  clippingRatio: number;
  /** RMS of the whole file, dBFS (-Infinity for digital silence). */
  rmsDb: number;
  /** RMS of the non-silent frames, dBFS (-Infinity when there are none). */
  activeRmsDb: number;
  peakDb: number;
  /** SHA-256 (hex) of the decoded float32 PCM. */
  pcmHash: string;
}

export class PcmStatsAccumulator implements PcmSink {
  private readonly frameLen: number;
  private readonly hash: Hash = createHash('sha256');

  private samples = 0;
  private sumSquares = 0;
  private peak = 0;
  private clipped = 0;
  private frameFill = 0;
  private frameEnergy = 0;
  private frames = 0;
  private silentFrames = 0;
  private firstActive = -1;
  private lastActive = -1;
  private activeEnergy = 0;
  private activeSamples = 0;

  constructor(readonly sampleRate: number) {
    this.frameLen = Math.max(1, Math.round(sampleRate * FRAME_S));
  }

  /** Adds decoded samples (a PcmSink of decodeBatch; the hot loop: no allocation). */
  push(x: Float32Array): void {
    this.hash.update(new Uint8Array(x.buffer, x.byteOffset, x.byteLength));
    const frameLen = this.frameLen;
    let { sumSquares, peak, clipped, frameFill, frameEnergy } = this;
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      const sq = v * v;
      sumSquares += sq;
      frameEnergy += sq;
      const a = v < 0 ? -v : v;
      if (a > peak) peak = a;
      if (a >= CLIP_LEVEL) clipped++;
      if (++frameFill === frameLen) {
        this.endFrame(frameEnergy, frameLen);
        frameFill = 0;
        frameEnergy = 0;
      }
    }
    this.samples += x.length;
    this.sumSquares = sumSquares;
    this.peak = peak;
    this.clipped = clipped;
    this.frameFill = frameFill;
    this.frameEnergy = frameEnergy;
  }

  private endFrame(energy: number, len: number): void {
    const silent = energy / len < SILENCE_POWER;
    if (silent) this.silentFrames++;
    else {
      if (this.firstActive < 0) this.firstActive = this.frames;
      this.lastActive = this.frames;
      this.activeEnergy += energy;
      this.activeSamples += len;
    }
    this.frames++;
  }

  finish(): PcmStats {
    if (this.frameFill > 0) {
      this.endFrame(this.frameEnergy, this.frameFill);
      this.frameFill = 0;
    }
    const rate = this.sampleRate;
    const durationS = this.samples / rate;
    const frameS = this.frameLen / rate;
    const anyActive = this.firstActive >= 0;
    const leading = anyActive ? this.firstActive * frameS : durationS;
    const trailing = anyActive ? Math.max(0, durationS - (this.lastActive + 1) * frameS) : durationS;
    return {
      samples: this.samples,
      durationS,
      leadingSilenceS: leading,
      trailingSilenceS: trailing,
      soundS: anyActive ? Math.max(0, durationS - leading - trailing) : 0,
      silentRatio: this.frames ? this.silentFrames / this.frames : 1,
      clippingRatio: this.samples ? this.clipped / this.samples : 0,
      rmsDb: toDb(this.samples ? this.sumSquares / this.samples : 0),
      activeRmsDb: toDb(this.activeSamples ? this.activeEnergy / this.activeSamples : 0),
      peakDb: toDb(this.peak * this.peak),
      pcmHash: this.hash.digest('hex'),
    };
  }
}

/** Power (mean square) to dBFS. */
function toDb(power: number): number {
  return power > 0 ? 10 * Math.log10(power) : -Infinity;
}
