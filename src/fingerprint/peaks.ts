/**
 * peaks: streaming spectral peak picking. A peak is a time-frequency point that is the
 * maximum of its neighbourhood (± peakFreqRadius bins, ± peakTimeRadius frames), stands
 * out from its frame, and is among the strongest `peaksPerSecond` of its ~1 s block.
 * Memory is bounded by the neighbourhood, whatever the input length.
 */
import { FINGERPRINT, type FingerprintConfig } from './config.js';

/** Peaks as parallel typed arrays (time in frames, frequency bin relative to the band). */
export interface Peaks {
  times: Uint32Array;
  bins: Uint16Array;
  length: number;
}

export class PeakPicker {
  private readonly span: number;
  /** Ring of the last `span` frames' log power. */
  private readonly ring: Float32Array;
  private readonly frameMean: Float32Array;
  private framesSeen = 0;
  /** Candidate peaks of the current density block. */
  private blockTimes: number[] = [];
  private blockBins: number[] = [];
  private blockValues: number[] = [];
  private blockStart = 0;
  private outTimes: Uint32Array = new Uint32Array(4096);
  private outBins: Uint16Array = new Uint16Array(4096);
  private outLength = 0;

  constructor(private readonly bands: number, private readonly cfg: FingerprintConfig = FINGERPRINT) {
    this.span = 2 * cfg.peakTimeRadius + 1;
    this.ring = new Float32Array(this.span * bands);
    this.frameMean = new Float32Array(this.span);
  }

  /** Adds frame `index` (frames must arrive in order, starting at 0). */
  addFrame(frame: Float32Array, index: number): void {
    const b = this.bands;
    const slot = index % this.span;
    const row = slot * b;
    let sum = 0;
    for (let f = 0; f < b; f++) {
      this.ring[row + f] = frame[f];
      sum += frame[f];
    }
    this.frameMean[slot] = sum / b;
    this.framesSeen = index + 1;
    const centre = index - this.cfg.peakTimeRadius;
    if (centre >= 0) this.evaluate(centre);
  }

  /**
   * The peaks that are final so far (every density block already closed), in time order,
   * taken out of the picker: a long stream is read in pieces and its memory stays bounded.
   * The arrays are copies, owned by the caller.
   */
  drain(): Peaks {
    const peaks = { times: this.outTimes.slice(0, this.outLength), bins: this.outBins.slice(0, this.outLength), length: this.outLength };
    this.outLength = 0;
    return peaks;
  }

  /** Frames before this one have all their peaks out (drain gives them); later ones may still change. */
  get finalBefore(): number {
    return this.blockStart;
  }

  /** Frames before this one have been looked at for peaks: final (drain) or pending. */
  get evaluatedBefore(): number {
    return Math.max(this.blockStart, this.framesSeen - this.cfg.peakTimeRadius);
  }

  /**
   * The peaks of the density block still open, provisionally: its strongest candidates so
   * far, as many as the part of the block looked at allows. For live input, whose newest
   * audio is matched before its block closes. In time order, not taken out: once the block
   * closes, drain gives its final peaks (the strongest of the whole block, which may differ).
   */
  pending(): Peaks {
    const share = (this.evaluatedBefore - this.blockStart) / this.cfg.densityBlockFrames;
    const order = this.strongestOfBlock(Math.round(this.keepPerBlock * share));
    return { times: Uint32Array.from(order, (i) => this.blockTimes[i]), bins: Uint16Array.from(order, (i) => this.blockBins[i]), length: order.length };
  }

  /** Flushes the last frames (no future context: the missing frames count as silence). */
  finish(): Peaks {
    const last = this.framesSeen - 1;
    for (let c = Math.max(0, last - this.cfg.peakTimeRadius + 1); c <= last; c++) this.evaluate(c, last);
    this.flushBlock();
    return { times: this.outTimes.subarray(0, this.outLength), bins: this.outBins.subarray(0, this.outLength), length: this.outLength };
  }

  /**
   * Finds the peaks of frame `t`. The cheap tests come first: the floor and the prominence
   * (most bins fail them), then the bin's own frame, then the frames around it, each left
   * at the first value that outdoes the bin (no max-filter of every frame is kept: most bins
   * are outdone by a near neighbour, and a full filter cost more than the whole search).
   */
  private evaluate(t: number, lastAvailable = t + this.cfg.peakTimeRadius): void {
    const { span, bands: b, cfg, ring } = this;
    if (t - this.blockStart >= cfg.densityBlockFrames) this.flushBlock(t);
    const row = (t % span) * b;
    const mean = this.frameMean[t % span];
    const tLo = Math.max(0, t - cfg.peakTimeRadius);
    const tHi = Math.min(lastAvailable, t + cfg.peakTimeRadius);
    const { absoluteFloor, minPeakProminence, peakFreqRadius: r } = cfg;
    const last = b - 1;
    const size = ring.length;
    for (let f = 0; f < b; f++) {
      const v = ring[row + f];
      if (v < absoluteFloor || v - mean < minPeakProminence) continue;
      const lo = f - r < 0 ? 0 : f - r;
      const hi = f + r > last ? last : f + r;
      if (outdone(ring, row, lo, hi, v, false)) continue; // not the maximum across frequency
      let isPeak = true;
      // Ties go to the earliest frame, so a flat ridge yields one peak, not many.
      for (let u = tLo, at = (tLo % span) * b; u < t && isPeak; u++, at += b) {
        if (at >= size) at -= size;
        if (outdone(ring, at, lo, hi, v, true)) isPeak = false;
      }
      for (let u = t + 1, at = row + b; u <= tHi && isPeak; u++, at += b) {
        if (at >= size) at -= size;
        if (outdone(ring, at, lo, hi, v, false)) isPeak = false;
      }
      if (isPeak) {
        this.blockTimes.push(t);
        this.blockBins.push(f);
        this.blockValues.push(v);
      }
    }
  }

  /** Peaks kept per density block. */
  private get keepPerBlock(): number {
    return Math.round((this.cfg.peaksPerSecond * this.cfg.densityBlockFrames * this.cfg.hop) / this.cfg.sampleRate);
  }

  /** Indices of the current block's `keep` strongest candidates, in time order. */
  private strongestOfBlock(keep: number): number[] {
    let order = Array.from({ length: this.blockTimes.length }, (_, i) => i);
    if (order.length > keep) {
      order.sort((a, c) => this.blockValues[c] - this.blockValues[a]);
      order = order.slice(0, keep);
    }
    return order.sort((a, c) => this.blockTimes[a] - this.blockTimes[c] || this.blockBins[a] - this.blockBins[c]);
  }

  private flushBlock(nextStart?: number): void {
    for (const i of this.strongestOfBlock(this.keepPerBlock)) this.append(this.blockTimes[i], this.blockBins[i]);
    this.blockTimes = [];
    this.blockBins = [];
    this.blockValues = [];
    if (nextStart !== undefined) this.blockStart = nextStart - ((nextStart - this.blockStart) % this.cfg.densityBlockFrames);
  }

  private append(t: number, f: number): void {
    if (this.outLength === this.outTimes.length) {
      const times = new Uint32Array(this.outTimes.length * 2);
      times.set(this.outTimes);
      this.outTimes = times;
      const bins = new Uint16Array(this.outBins.length * 2);
      bins.set(this.outBins);
      this.outBins = bins;
    }
    this.outTimes[this.outLength] = t;
    this.outBins[this.outLength] = f;
    this.outLength++;
  }
}

/** Whether a bin of the frame at `row`, in lo..hi, is above `v` (or equal to it, with `orEqual`). */
function outdone(ring: Float32Array, row: number, lo: number, hi: number, v: number, orEqual: boolean): boolean {
  for (let g = row + lo, end = row + hi; g <= end; g++) if (ring[g] > v || (orEqual && ring[g] === v)) return true;
  return false;
}
