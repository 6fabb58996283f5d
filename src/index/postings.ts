/**
 * postings: the packed form of the inverted index. A posting is (recording id, frame),
 * two little-endian uint32. A segment holds, for each hash value, the packed postings of
 * every landmark with that hash, built with a counting sort (no per-posting allocation).
 */
import { HASH_SPACE } from '../fingerprint/config.js';

/** Landmarks of one recording, ready for the index. */
export interface RecordingLandmarks {
  recordingId: number;
  hashes: Uint32Array;
  times: Uint32Array;
}

/** The postings of a segment, grouped by hash: rows[h] = bytes offsets[h]..offsets[h+1]. */
export interface PackedSegment {
  /** Byte offsets into `data`, HASH_SPACE + 1 entries. */
  offsets: Int32Array;
  data: Uint8Array;
  postings: number;
}

export function packSegment(recordings: Iterable<RecordingLandmarks>): PackedSegment {
  const list = [...recordings];
  const counts = new Int32Array(HASH_SPACE + 1);
  let total = 0;
  for (const r of list) {
    for (let i = 0; i < r.hashes.length; i++) counts[r.hashes[i] + 1]++;
    total += r.hashes.length;
  }
  if (total * 8 > 0x7fffffff) throw new Error('segment too large: split the build');
  // Prefix sums → start index (in postings) of each hash row.
  for (let h = 0; h < HASH_SPACE; h++) counts[h + 1] += counts[h];
  const cursor = counts.slice(0, HASH_SPACE);
  const words = new Uint32Array(total * 2);
  for (const r of list) {
    for (let i = 0; i < r.hashes.length; i++) {
      const p = cursor[r.hashes[i]]++;
      words[2 * p] = r.recordingId;
      words[2 * p + 1] = r.times[i];
    }
  }
  const offsets = new Int32Array(HASH_SPACE + 1);
  for (let h = 0; h <= HASH_SPACE; h++) offsets[h] = counts[h] * 8;
  return { offsets, data: new Uint8Array(words.buffer), postings: total };
}

/** Reads the postings of one row (bytes) as a Uint32Array of (recording, time) pairs. */
export function unpackRow(bytes: Uint8Array): Uint32Array {
  if (bytes.byteOffset % 4 === 0) return new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  return new Uint32Array(bytes.slice().buffer);
}
