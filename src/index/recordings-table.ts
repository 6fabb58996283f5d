/**
 * recordings-table: the LanceDB table of recordings. Append-only; the row offset of a
 * recording is its id, so a recording is fetched with takeOffsets. The manifest pins the
 * table version a reader may see.
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
  [key: string]: unknown;
}

export function toRow(r: Recording): RecordingRow {
  return {
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

export async function appendRecordings(db: Connection, name: string, existing: Table | undefined, recordings: Recording[]): Promise<number> {
  const rows = recordings.map(toRow);
  if (!existing) {
    const table = await db.createTable(name, rows);
    return table.version();
  }
  if (rows.length === 0) return existing.version();
  const res = await existing.add(rows);
  return res.version;
}

export async function readRecordings(table: Table, ids?: number[]): Promise<Recording[]> {
  const q = ids ? table.takeOffsets(ids) : table.query();
  const rows = (await q.toArray()) as Record<string, unknown>[];
  return rows.map(fromRow);
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
