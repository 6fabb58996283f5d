/**
 * recordings-table: the LanceDB table of recordings. Append-only; the row offset of a
 * recording is its id, so a recording is fetched with takeOffsets. The manifest pins the
 * table version a reader may see. Besides each recording's metadata, a row holds its peaks
 * (fingerprint/peak-list.ts: what queries verify candidates against), read only on their own;
 * a table made before they were kept has no such column until rows are added to it.
 */
import type { Recording } from '../types.js';
import type { Connection, Table } from './lance.js';

interface RecordingRow {
  id: number;
  reciter_id: string;
  path: string;
  rel_path: string;
  content_hash: string;
  duration_s: number;
  timeline: string;
  peaks: Buffer;
  [key: string]: unknown;
}

/** A recording as written: its metadata, and its packed peaks where the fingerprint kept them. */
export type RecordingToWrite = Recording & { peaks?: Uint32Array };

/** The metadata columns (every column but the peaks). */
const METADATA = ['id', 'reciter_id', 'path', 'rel_path', 'content_hash', 'duration_s', 'timeline'];

export function toRow(r: RecordingToWrite): RecordingRow {
  return {
    peaks: r.peaks ? Buffer.from(r.peaks.buffer, r.peaks.byteOffset, r.peaks.byteLength) : Buffer.alloc(0),
    id: r.id,
    reciter_id: r.reciterId,
    path: r.path,
    rel_path: r.relPath,
    content_hash: r.contentHash,
    duration_s: r.durationS,
    timeline: JSON.stringify(r.timeline),
  };
}

export function fromRow(row: Record<string, unknown>): Recording {
  return {
    id: Number(row.id),
    reciterId: String(row.reciter_id),
    path: String(row.path),
    relPath: String(row.rel_path),
    contentHash: String(row.content_hash),
    durationS: Number(row.duration_s),
    timeline: JSON.parse(String(row.timeline)) as Recording['timeline'],
  };
}

/**
 * Opens the recordings table as the manifest pins it, for appending: rows a crashed
 * writer appended after the pinned version are discarded (restore) so ids stay offsets.
 */
export async function openRecordingsForAppend(db: Connection, name: string, pinnedVersion: number, count: number): Promise<Table | undefined> {
  const names = await db.tableNames();
  if (!names.includes(name)) return undefined;
  const table = await db.openTable(name);
  if (count === 0) {
    await db.dropTable(name);
    return undefined;
  }
  if ((await table.version()) !== pinnedVersion) {
    await table.checkout(pinnedVersion);
    await table.restore();
  }
  return table;
}

/**
 * Appends recordings; returns the table's new version. A table made before peaks were kept
 * gets the column first (its rows' peaks null: they have none), in a version of its own that
 * the manifest pins only with the rows, so that re-adding reciters or rebuilding gives an
 * older index its peaks.
 */
export async function appendRecordings(db: Connection, name: string, existing: Table | undefined, recordings: RecordingToWrite[]): Promise<number> {
  if (existing && recordings.length && !(await hasPeaks(existing))) await existing.addColumns([{ name: 'peaks', valueSql: 'CAST(NULL AS BINARY)' }]);
  const rows = recordings.map(toRow);
  if (!existing) {
    const table = await db.createTable(name, rows);
    return table.version();
  }
  if (rows.length === 0) return existing.version();
  const res = await existing.add(rows);
  return res.version;
}

/** Whether the table keeps each recording's peaks. */
export async function hasPeaks(table: Table): Promise<boolean> {
  return (await table.schema()).fields.some((f) => f.name === 'peaks');
}

export async function readRecordings(table: Table, ids?: number[]): Promise<Recording[]> {
  const q = ids ? table.takeOffsets(ids) : table.query();
  const rows = (await q.select(METADATA).toArray()) as Record<string, unknown>[];
  return rows.map(fromRow);
}

/** The packed peaks of recordings `ids`, by id (empty for a recording without them). The table must have the column (hasPeaks). */
export async function readPeaks(table: Table, ids: number[]): Promise<Map<number, Uint32Array>> {
  const out = new Map<number, Uint32Array>();
  if (ids.length === 0) return out;
  // Rows come back in the table's order, not the order asked for: each is placed by its id.
  const batch = await table.takeOffsets(ids).select(['id', 'peaks']).toArrow();
  for (const b of batch.batches) {
    const id = b.getChild('id')!;
    const col = b.getChild('peaks')!;
    for (let i = 0; i < col.length; i++) {
      const bytes = col.get(i) as Uint8Array | null;
      // Copied: a value's bytes need not start at a multiple of 4.
      out.set(Number(id.get(i)), bytes ? new Uint32Array(Uint8Array.from(bytes).buffer) : new Uint32Array(0));
    }
  }
  return out;
}

/** The duration_s column of every row, by offset (= id). */
export async function readDurationColumn(table: Table): Promise<Float64Array> {
  const rows = await table.query().select(['duration_s']).toArrow();
  const out = new Float64Array(rows.numRows);
  let at = 0;
  for (const b of rows.batches) {
    const col = b.getChild('duration_s')!;
    for (let i = 0; i < col.length; i++) out[at++] = Number(col.get(i));
  }
  return out;
}
