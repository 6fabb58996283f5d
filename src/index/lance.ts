/**
 * lance: opening the LanceDB database of an index, and the Arrow building blocks the
 * index tables use.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as LanceDB from '@lancedb/lancedb';
import type * as Arrow from 'apache-arrow';
import type { PackedSegment } from './postings.js';
import { ioUringUri, readsThroughIoUring } from './read-io.js';

/**
 * LanceDB and the Apache Arrow it uses (its CommonJS build: one copy, so that the tables made
 * here are LanceDB's own Arrow classes), from the one file `npm run build` bundles them into
 * (scripts/bundle.mjs): loading the packages' ~250 files one by one is most of a cold
 * `ayah identify`'s module loading.
 */
const { lancedb, arrow } = createRequire(import.meta.url)('../../vendor/lance.cjs') as { lancedb: typeof LanceDB; arrow: typeof Arrow };

export type Connection = LanceDB.Connection;
export type Table = LanceDB.Table;

export function lanceDir(indexDir: string): string {
  return path.join(indexDir, 'lance');
}

/**
 * Connects to an index's tables; `forReading`: a reader's connection (read-io.ts: through
 * io_uring where the kernel offers it). An io_uring address is opened as a directory
 * namespace, not with connect(): connect() first makes the folder the address names as a path
 * relative to the working directory ("./file+uring:/..."), and fails where it cannot.
 */
export async function connectIndex(indexDir: string, opts: { forReading?: boolean } = {}): Promise<Connection> {
  const dir = lanceDir(indexDir);
  return opts.forReading && readsThroughIoUring() ? lancedb.connectNamespace('dir', { root: ioUringUri(dir), manifestEnabled: false }) : lancedb.connect(dir);
}

/**
 * Field metadata of the postings column: stored uncompressed. A look-up takes single rows
 * at random, and LanceDB decompresses a whole block for each (measured on the 1,000-hour
 * index: 28-35 µs per row taken with its default compression, 9-13 µs without, for 17 %
 * more bytes: postings are dense integers that compress poorly).
 */
const POSTINGS_FIELD_METADATA = new Map([['lance-encoding:compression', 'none']]);

/**
 * Merges a table's fragments into LanceDB's own (up to 2^20 rows each: two for a segment
 * table, whose rows are the hash values: its exact hashes, then its speed keys), then
 * deletes the files the merge replaced. Only
 * for a table nobody else reads yet (the merge drops its earlier versions).
 */
export async function mergeFragments(table: Table): Promise<void> {
  await table.optimize({ cleanupOlderThan: new Date() });
}

/** An Arrow table of a packed segment (or piece): one row per hash value from seg.firstHash; in a whole segment, row offset = hash. */
export function segmentArrowTable(seg: PackedSegment): Arrow.Table {
  const rows = seg.offsets.length - 1;
  const fields = [new arrow.Field('h', new arrow.Int32(), false), new arrow.Field('p', new arrow.Binary(), false, POSTINGS_FIELD_METADATA)];
  const h = new Int32Array(rows);
  for (let i = 0; i < rows; i++) h[i] = seg.firstHash + i;
  const children = [
    arrow.makeData({ type: new arrow.Int32(), length: rows, nullCount: 0, data: h }),
    arrow.makeData({ type: new arrow.Binary(), length: rows, nullCount: 0, valueOffsets: seg.offsets, data: seg.data }),
  ];
  const schema = new arrow.Schema(fields);
  return new arrow.Table(schema, [new arrow.RecordBatch(schema, arrow.makeData({ type: new arrow.Struct(fields), length: rows, nullCount: 0, children }))]);
}
