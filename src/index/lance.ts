/**
 * lance: opening the LanceDB database of an index, and the Arrow building blocks the
 * index tables use.
 */
import path from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import * as arrow from 'apache-arrow';
import type { PackedSegment } from './postings.js';

export type Connection = lancedb.Connection;
export type Table = lancedb.Table;

export function lanceDir(indexDir: string): string {
  return path.join(indexDir, 'lance');
}

export async function connectIndex(indexDir: string): Promise<Connection> {
  return lancedb.connect(lanceDir(indexDir));
}

/** An Arrow table of a packed segment (or piece): one row per hash value from seg.firstHash; in a whole segment, row offset = hash. */
export function segmentArrowTable(seg: PackedSegment): arrow.Table {
  const rows = seg.offsets.length - 1;
  const data = arrow.makeData({ type: new arrow.Binary(), length: rows, nullCount: 0, valueOffsets: seg.offsets, data: seg.data });
  const h = new Int32Array(rows);
  for (let i = 0; i < rows; i++) h[i] = seg.firstHash + i;
  return new arrow.Table({ h: arrow.makeVector(h), p: arrow.makeVector(data) });
}
