/**
 * peak-list: a recording's peaks as the index keeps them, one 32-bit word each: the frame
 * (24 bits: 74 hours at 62.5 frames per second) above the bin relative to the band's lowest
 * (8 bits; the band has 200). Queries verify their strongest candidates against them
 * (query/verify.ts). 4 bytes a peak, ~0.3 MB per hour of recitation.
 */
import { bandOf } from './config.js';
import type { Peaks } from './peaks.js';

const BIN_BITS = 8;
const BIN_MASK = (1 << BIN_BITS) - 1;
if (bandOf().bands > BIN_MASK + 1) throw new Error(`peak-list: ${bandOf().bands} bins do not fit in ${BIN_BITS} bits`);

/** Peaks packed one word each, in their order (by frame). */
export function packPeaks(peaks: Peaks): Uint32Array {
  const out = new Uint32Array(peaks.length);
  for (let i = 0; i < peaks.length; i++) out[i] = ((peaks.times[i] << BIN_BITS) | peaks.bins[i]) >>> 0;
  return out;
}

/** Packed peaks back as Peaks. */
export function unpackPeaks(words: Uint32Array): Peaks {
  const times = new Uint32Array(words.length);
  const bins = new Uint16Array(words.length);
  for (let i = 0; i < words.length; i++) {
    times[i] = words[i] >>> BIN_BITS;
    bins[i] = words[i] & BIN_MASK;
  }
  return { times, bins, length: words.length };
}
