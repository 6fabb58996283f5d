/**
 * postings: the packed form of the inverted index. A posting is (recording id, frame |
 * extension << FRAME_BITS), two little-endian uint32 (the extension: the landmark's third
 * peak, fingerprint/config.ts EXT_BITS). A segment holds, for each hash value, the packed postings of
 * every landmark with that hash, laid out from counts per hash (no per-posting allocation),
 * in recording order (a segment's recordings are added, and segments compacted, in id order;
 * query/pair-check.ts bisects a row by recording).
 */
import { FRAME_BITS, MAX_FRAMES } from '../fingerprint/config.js';

/** Landmarks of one recording, ready for the index. */
export interface RecordingLandmarks {
  recordingId: number;
  hashes: Uint32Array;
  times: Uint32Array;
  exts: Uint16Array;
}

/** A posting's second word: frame and extension. */
export function postingWord(frame: number, ext: number): number {
  return (frame | (ext << FRAME_BITS)) >>> 0;
}

/** The frame of a posting's second word. */
export function frameOf(word: number): number {
  return word & (MAX_FRAMES - 1);
}

/** The extension of a posting's second word. */
export function extOf(word: number): number {
  return word >>> FRAME_BITS;
}

/** The postings of a segment (or of a piece of one: the hashes firstHash.. ), grouped by hash: row h = bytes offsets[h - firstHash]..offsets[h - firstHash + 1]. */
export interface PackedSegment {
  firstHash: number;
  /** Byte offsets into `data`, one per hash of the piece + 1. */
  offsets: Int32Array;
  data: Uint8Array;
  postings: number;
}

/** Visits every posting of a source: `visit(hash, recordingId, word)` (word: postingWord), the same postings in the same order on every call. */
export type PostingSource = (visit: (hash: number, recordingId: number, word: number) => void) => void;

/**
 * The piece of hashes [lo, hi) laid out for `count(h)` postings of each hash, and `put`,
 * which fills it: each hash's postings in the order they are put. Every counted posting
 * must be put once.
 */
export function packedPiece(lo: number, hi: number, count: (h: number) => number): { piece: PackedSegment; put: (h: number, rec: number, word: number) => void } {
  const rows = hi - lo;
  const starts = new Int32Array(rows + 1);
  for (let h = 0; h < rows; h++) starts[h + 1] = starts[h] + count(lo + h);
  const total = starts[rows];
  if (total * 8 > 0x7fffffff) throw new Error('segment piece too large: split it by hash range');
  const cursor = starts.slice(0, rows);
  const words = new Uint32Array(total * 2);
  const offsets = new Int32Array(rows + 1);
  for (let h = 0; h <= rows; h++) offsets[h] = starts[h] * 8;
  const put = (h: number, rec: number, word: number) => {
    const p = cursor[h - lo]++;
    words[2 * p] = rec;
    words[2 * p + 1] = word;
  };
  return { piece: { firstHash: lo, offsets, data: new Uint8Array(words.buffer), postings: total }, put };
}

/** The postings of recordings' landmarks, in order; landmarks at or after MAX_FRAMES (4.6 hours into a recording) are left out. */
export function landmarkPostings(recordings: readonly RecordingLandmarks[]): PostingSource {
  return (visit) => {
    for (const r of recordings) for (let i = 0; i < r.hashes.length; i++) if (r.times[i] < MAX_FRAMES) visit(r.hashes[i], r.recordingId, postingWord(r.times[i], r.exts[i]));
  };
}

/** Reads the postings of one row (bytes) as a Uint32Array of (recording, time) pairs. */
export function unpackRow(bytes: Uint8Array): Uint32Array {
  if (bytes.byteOffset % 4 === 0) return new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  return new Uint32Array(bytes.slice().buffer);
}
