/**
 * hash-counts: how many postings each hash value has, per segment, in a small file beside
 * the segment's table (index/counts/<table>.u16, saturating at 65,535). Queries read them
 * to look up their rarest hashes first and to skip hashes the index does not have, so a
 * look-up's cost stays bounded as the index grows. Written before the manifest that names
 * the segment, like the segment itself.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readTypedArray } from '../util/read-typed.js';
import { writeFileAtomic } from '../util/write-atomic.js';
import { HASH_SPACE } from '../fingerprint/config.js';

const SATURATED = 0xffff;

export function countsPath(indexDir: string, table: string): string {
  return path.join(indexDir, 'counts', `${table}.u16`);
}

/** Writes a segment's postings per hash (saturating at 65,535). */
export function writeSegmentCounts(indexDir: string, table: string, perHash: ArrayLike<number>): void {
  const counts = new Uint16Array(HASH_SPACE);
  for (let h = 0; h < HASH_SPACE; h++) counts[h] = perHash[h] > SATURATED ? SATURATED : perHash[h];
  writeFileAtomic(countsPath(indexDir, table), counts);
}

/** Postings per hash of an index: one segment's own counts, or the sums over several. */
export type HashCounts = Uint16Array | Uint32Array;

/**
 * Postings per hash over the given segments; undefined when a segment has no counts file, or
 * one of another size (an older index). One segment (every index after a compaction) is its file as it
 * is: a cold `ayah identify` would spend ~20 ms making and filling a wider array of a million
 * sums.
 */
export function readHashCounts(indexDir: string, tables: string[]): HashCounts | undefined {
  const files = tables.map((table) => readTypedArray(countsPath(indexDir, table), Uint16Array, HASH_SPACE, { exact: true }));
  if (files.some((f) => f === undefined)) return undefined;
  if (files.length === 1) return files[0];
  const total = new Uint32Array(HASH_SPACE);
  for (const counts of files as Uint16Array[]) for (let h = 0; h < HASH_SPACE; h++) total[h] += counts[h];
  return total;
}

/** Removes the counts file of a dropped segment table (no error when there is none). */
export function removeSegmentCounts(indexDir: string, table: string): void {
  fs.rmSync(countsPath(indexDir, table), { force: true });
}
