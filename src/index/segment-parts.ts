/**
 * segment-parts: the LanceDB tables a segment's rows are kept in. A segment has one row per
 * hash value (row = hash), HASH_SPACE rows: more than the 2^20 rows LanceDB writes to one data
 * file, and its compaction, which merges a segment's pieces, does not keep several files in
 * row order. So a segment is kept in parts of at most 2^20 rows, each its own table, each
 * merged into one file: part 0 holds the exact hashes and is named as the segment; part k
 * (the speed keys) is `<segment>_p<k>`. A hash's row in its part is hash - part.from.
 */
import { HASH_SPACE } from '../fingerprint/config.js';

/** Rows of a part at most: one LanceDB data file. */
export const PART_ROWS = 1 << 20;

/** One table of a segment: rows for hashes [from, to). */
export interface SegmentPart {
  table: string;
  from: number;
  to: number;
}

/** The parts of segment `segment`, in hash order. */
export function segmentParts(segment: string): SegmentPart[] {
  const parts: SegmentPart[] = [];
  for (let k = 0; k * PART_ROWS < HASH_SPACE; k++) parts.push({ table: k === 0 ? segment : `${segment}_p${k}`, from: k * PART_ROWS, to: Math.min(HASH_SPACE, (k + 1) * PART_ROWS) });
  return parts;
}

/** Every table of the segments named `segments`. */
export function partTables(segments: readonly string[]): string[] {
  return segments.flatMap((s) => segmentParts(s).map((p) => p.table));
}

/** Hash ranges [lo, hi) split where a part ends, so that each lies in one part. */
export function splitAtParts(ranges: readonly [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const [lo, hi] of ranges)
    for (let from = lo; from < hi; ) {
      const to = Math.min(hi, (Math.floor(from / PART_ROWS) + 1) * PART_ROWS);
      out.push([from, to]);
      from = to;
    }
  return out;
}

/** The part of a segment's `parts` holding hash `h`. */
export function partOf<T extends { from: number; to: number }>(parts: readonly T[], h: number): T {
  return parts[Math.floor(h / PART_ROWS)];
}
