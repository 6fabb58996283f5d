/**
 * peak-window: the recent peaks of a stream, for fingerprinting overlapping windows of a
 * long input without fingerprinting it twice. Peaks come in once (Fingerprinter.drainPeaks);
 * a window's landmarks are made from the peaks inside it, with times relative to its start,
 * exactly as for a clip cut there. Peaks older than the windows still to come are dropped,
 * so memory is bounded by the window length, whatever the input length.
 */
import { FINGERPRINT, type FingerprintConfig } from './config.js';
import { landmarksOf, type Landmarks } from './landmarks.js';
import type { Peaks } from './peaks.js';

export class PeakWindow {
  private times = new Uint32Array(4096);
  private bins = new Uint16Array(4096);
  private from = 0;
  private to = 0;

  constructor(private readonly cfg: FingerprintConfig = FINGERPRINT) {}

  /** Appends peaks (absolute frame times, in order). */
  add(peaks: Peaks): void {
    if (this.to + peaks.length > this.times.length) {
      // Compact first; grow only if the live peaks do not fit.
      const live = this.to - this.from;
      const size = Math.max(this.times.length, 2 ** Math.ceil(Math.log2(live + peaks.length + 1)));
      const times = size === this.times.length ? this.times : new Uint32Array(size);
      const bins = size === this.bins.length ? this.bins : new Uint16Array(size);
      times.set(this.times.subarray(this.from, this.to));
      bins.set(this.bins.subarray(this.from, this.to));
      this.times = times;
      this.bins = bins;
      this.from = 0;
      this.to = live;
    }
    this.times.set(peaks.times.subarray(0, peaks.length), this.to);
    this.bins.set(peaks.bins.subarray(0, peaks.length), this.to);
    this.to += peaks.length;
  }

  /** Forgets peaks before `frame`. */
  dropBefore(frame: number): void {
    while (this.from < this.to && this.times[this.from] < frame) this.from++;
  }

  /**
   * Landmarks of the peaks in frames [startFrame, endFrame), times relative to startFrame,
   * `extsPer` extensions each; `pending`: peaks after the ones added (not final yet: a live
   * input's newest audio), used too.
   */
  landmarks(startFrame: number, endFrame: number, extsPer: number, pending?: Peaks): Landmarks {
    let a = this.from;
    while (a < this.to && this.times[a] < startFrame) a++;
    let b = a;
    while (b < this.to && this.times[b] < endFrame) b++;
    let p0 = 0;
    while (pending && p0 < pending.length && pending.times[p0] < startFrame) p0++;
    let extra = 0;
    while (pending && p0 + extra < pending.length && pending.times[p0 + extra] < endFrame) extra++;
    const times = new Uint32Array(b - a + extra);
    const bins = new Uint16Array(b - a + extra);
    for (let i = a; i < b; i++) times[i - a] = this.times[i] - startFrame;
    bins.set(this.bins.subarray(a, b));
    for (let i = 0; i < extra; i++) {
      times[b - a + i] = pending!.times[p0 + i] - startFrame;
      bins[b - a + i] = pending!.bins[p0 + i];
    }
    return landmarksOf({ times, bins, length: times.length }, this.cfg, extsPer);
  }
}
