/**
 * writer: commits new recordings into the index. Each commit writes a new immutable
 * segment table and appends recordings, then replaces the manifest atomically: a crash
 * at any point leaves the previous index intact and usable. Adding a reciter never
 * rewrites what is indexed; `compactIndex` merges segments and drops removed recordings.
 * One writer at a time: callers hold the pipeline's build lock.
 */
import { log } from '../log.js';
import type { Reciter, ReciterState, Recording } from '../types.js';
import { HASH_SPACE } from '../fingerprint/config.js';
import { connectIndex, mergeFragments, segmentArrowTable, type Connection, type Table } from './lance.js';
import { emptyManifest, idsOf, readManifest, statsOf, writeManifest, type IndexedReciter, type IndexStats, type Manifest } from './manifest.js';
import { describedByCatalog, totalsOf } from './reciter-entries.js';
import { landmarkPostings, packedPiece, unpackRow, type PostingSource, type RecordingLandmarks } from './postings.js';
import { appendRecordings, hasPeaks, openRecordingsForAppend, readDurationColumn, readPeaks, readRecordings, type RecordingToWrite } from './recordings-table.js';
import { readDurations, removeDurations, writeDurations } from './durations.js';
import { extendTimelines, removeTimelines, writeTimelines } from './timelines.js';
import type { StagedRecording } from './staging.js';
import { ensureTextTable } from './text-table.js';
import { readHashCounts, removeSegmentCounts, writeSegmentCounts } from './hash-counts.js';
import { partOf, segmentParts, splitAtParts } from './segment-parts.js';

/** Segments beyond this count are compacted after a commit. */
const MAX_SEGMENTS = 8;
/**
 * Postings per piece of a segment written (by a commit or a compaction) at most. A piece is laid out in
 * memory (8 bytes a posting) and handed to LanceDB, which copies it on the way to its file:
 * ~40 bytes a posting in all. Compacting the 1,000-hour index (318 M postings) peaked at
 * 10.4 GB RSS with pieces of 200 M postings, 4.5 GB with 50 M, and with read windows of
 * WINDOW_POSTINGS 2.7 GB with 20 M and 2.4 GB with 10 M (docs/benchmarks.md). Each piece is
 * appended as a fragment and the fragments are merged at the end, so a look-up still reads
 * one fragment.
 */
export const MAX_PIECE_POSTINGS = 10_000_000;
/**
 * Postings read from the segments at a time while compacting (planned from their counts
 * files, so the windows stay this size whatever the index's: a window of 65,536 hashes held
 * 20 M postings at 1,000 h).
 */
const WINDOW_POSTINGS = 4_000_000;

export interface CommitInput {
  reciter: Reciter;
  staged: StagedRecording[];
  /** This reciter's recordings (by relative path) to take out; a staged recording always replaces the live one of its path. */
  replaceRelPaths: string[];
  /** Whether the reciter answers queries once committed (default true). */
  active?: boolean;
  /** The catalog's reciters: their description and active flag replace the manifest's (the catalog is the authority). */
  states?: ReciterState[];
}

export interface CommitResult {
  /** The index version this commit made (or the compaction that followed it). */
  version: number;
  recordingsAdded: number;
  recordingsRemoved: number;
  postings: number;
}

export async function commitRecordings(indexDir: string, input: CommitInput): Promise<CommitResult> {
  const m = readManifest(indexDir) ?? emptyManifest();
  const db = await connectIndex(indexDir);
  await ensureTextTable(db, m.textTable);
  const existing = await openRecordingsForAppend(db, m.recordingsTable, m.recordingsVersion, m.recordingCount);

  // The reciter's live recordings, and those this commit replaces.
  const gone = new Set(m.removed);
  const own = idsOf(m.reciters.find((r) => r.id === input.reciter.id)).filter((id) => !gone.has(id));
  const live = existing && own.length ? await readRecordings(existing, own) : [];
  // A new recording of a path replaces the live one: never two recordings of one file (an
  // index that has two, from before this rule, keeps the newest).
  const replace = new Set([...input.replaceRelPaths, ...input.staged.map((s) => s.relPath)]);
  const newest = new Map<string, number>();
  for (const r of live) newest.set(r.relPath, Math.max(newest.get(r.relPath) ?? -1, r.id));
  const removedSet = new Set(live.filter((r) => replace.has(r.relPath) || newest.get(r.relPath) !== r.id).map((r) => r.id));
  const removed = [...removedSet];

  const base = m.recordingCount;
  const recordings: RecordingToWrite[] = input.staged.map((s, i) => ({
    id: base + i,
    reciterId: input.reciter.id,
    path: s.path,
    relPath: s.relPath,
    contentHash: s.contentHash,
    durationS: s.durationS,
    timeline: s.timeline,
    peaks: s.peaks,
  }));
  // The durations file, extended (made from the table when an older index has none).
  const durations = new Float64Array(base + recordings.length);
  durations.set(readDurations(indexDir, m.recordingsTable, base) ?? (existing ? (await readDurationColumn(existing)).subarray(0, base) : []));
  for (const r of recordings) durations[r.id] = r.durationS;
  const recordingsVersion = await appendRecordings(db, m.recordingsTable, existing, recordings);
  writeDurations(indexDir, m.recordingsTable, durations);
  const older = async () => (existing ? (await readRecordings(existing)).filter((r) => r.id < base).sort((a, b) => a.id - b.id).map((r) => r.timeline) : []);
  await extendTimelines(indexDir, m.recordingsTable, base, recordings.map((r) => r.timeline), older);

  const next: Manifest = {
    ...m,
    version: m.version + 1,
    updatedAt: new Date().toISOString(),
    recordingsVersion,
    recordingCount: base + recordings.length,
    removed: [...m.removed, ...removed].sort((a, b) => a - b),
    reciters: describedByCatalog(upsertReciter(m.reciters, input, recordings, [...live.filter((r) => !removedSet.has(r.id)), ...recordings]), input.states ?? []),
  };
  let postings = 0;
  if (recordings.length) {
    const source = landmarkPostings(input.staged.map((s, i): RecordingLandmarks => ({ recordingId: base + i, hashes: s.hashes, times: s.times, exts: s.exts })));
    const perHash = new Float64Array(HASH_SPACE);
    source((h) => perHash[h]++);
    const table = `seg_g${m.generation}_v${next.version}`;
    const existingTables = await db.tableNames();
    for (const part of segmentParts(table)) if (existingTables.includes(part.table)) await db.dropTable(part.table); // left by a crashed writer
    postings = await writeSegment(db, indexDir, table, perHash, (lo, hi, put) =>
      source((h, rec, word) => {
        if (h >= lo && h < hi) put(h, rec, word);
      }),
    );
    next.segments = [...m.segments, { table, postings, recordings: recordings.length }];
  }
  writeManifest(indexDir, next);
  log.info({ indexDir, version: next.version, added: recordings.length, removed: removed.length, postings }, 'index commit');
  const version = next.segments.length > MAX_SEGMENTS ? (await compactIndex(indexDir)).version : next.version;
  return { version, recordingsAdded: recordings.length, recordingsRemoved: removed.length, postings };
}

function upsertReciter(list: IndexedReciter[], input: CommitInput, added: Recording[], live: Recording[]): IndexedReciter[] {
  const prev = list.find((r) => r.id === input.reciter.id);
  const entry: IndexedReciter = {
    ...input.reciter,
    active: input.active ?? prev?.active ?? true,
    ...totalsOf(live),
    addedAt: prev?.addedAt ?? new Date().toISOString(),
    idRanges: added.length ? [...(prev?.idRanges ?? []), [added[0].id, added[added.length - 1].id + 1]] : (prev?.idRanges ?? []),
  };
  // In place: the order of the entries (and of sums over them) stays as it was.
  return prev ? list.map((r) => (r === prev ? entry : r)) : [...list, entry];
}

/** Takes a reciter and all its recordings out of the index. */
export async function removeReciter(indexDir: string, reciterId: string): Promise<number> {
  const m = readManifest(indexDir);
  const reciter = m?.reciters.find((r) => r.id === reciterId);
  if (!m || !reciter) return 0;
  const ids = idsOf(reciter);
  writeManifest(indexDir, {
    ...m,
    version: m.version + 1,
    updatedAt: new Date().toISOString(),
    removed: [...new Set([...m.removed, ...ids])].sort((a, b) => a - b),
    reciters: m.reciters.filter((r) => r.id !== reciterId),
  });
  return ids.length;
}

/** Recordings copied into a compaction's table at a time, with their peaks (~4 bytes a peak, ~90 a second). */
const COPY_RECORDINGS = 10_000;

/**
 * Writes a compaction's recordings table `name`: `from`'s recordings `old` as `renumbered`,
 * with their peaks (none where `from` has none), a piece at a time so that memory does not
 * grow with the index. Returns the table's version.
 */
async function copyRecordings(db: Connection, name: string, from: Table, old: Recording[], renumbered: Recording[]): Promise<number> {
  const peaksKept = await hasPeaks(from);
  let table: Table | undefined;
  let version = 0;
  for (let i = 0; i === 0 || i < renumbered.length; i += COPY_RECORDINGS) {
    const piece = renumbered.slice(i, i + COPY_RECORDINGS);
    const oldIds = old.slice(i, i + COPY_RECORDINGS).map((r) => r.id);
    const peaks = peaksKept ? await readPeaks(from, oldIds) : new Map<number, Uint32Array>();
    version = await appendRecordings(db, name, table, piece.map((r, k) => ({ ...r, peaks: peaks.get(oldIds[k]) })));
    table ??= await db.openTable(name);
  }
  return version;
}

/**
 * Rewrites the index as one segment in a new generation, without removed recordings
 * (ids renumbered densely), written in pieces of at most `maxPiecePostings` postings.
 * Readers of the previous generation keep working until they reopen; generations older
 * than the previous one are dropped.
 */
export async function compactIndex(indexDir: string, maxPiecePostings = MAX_PIECE_POSTINGS): Promise<IndexStats> {
  const m = readManifest(indexDir);
  if (!m) throw new Error(`${indexDir}: no index to compact`);
  const db = await connectIndex(indexDir);
  const recTable = await db.openTable(m.recordingsTable);
  await recTable.checkout(m.recordingsVersion);
  const removed = new Set(m.removed);
  const all = (await readRecordings(recTable)).filter((r) => !removed.has(r.id)).sort((a, b) => a.id - b.id);
  const newId = new Int32Array(m.recordingCount).fill(-1);
  all.forEach((r, i) => (newId[r.id] = i));

  const generation = m.generation + 1;
  const recordingsTable = `recordings_g${generation}`;
  for (const name of await db.tableNames()) if (name.endsWith(`_g${generation}`) || name.startsWith(`seg_g${generation}_`)) await db.dropTable(name);
  const renumbered = all.map((r, i) => ({ ...r, id: i }));
  const recordingsVersion = await copyRecordings(db, recordingsTable, recTable, all, renumbered);
  writeDurations(indexDir, recordingsTable, Float64Array.from(renumbered, (r) => r.durationS));
  writeTimelines(indexDir, recordingsTable, renumbered.map((r) => r.timeline));
  const version = m.version + 1;
  const table = `seg_g${generation}_v${version}`;
  const postings = await writeMergedSegment(db, table, indexDir, m.segments.map((x) => x.table), newId, maxPiecePostings);
  const segments: Manifest['segments'] = [{ table, postings, recordings: renumbered.length }];
  const next: Manifest = {
    ...m,
    version,
    generation,
    updatedAt: new Date().toISOString(),
    recordingsTable,
    recordingsVersion,
    recordingCount: renumbered.length,
    segments,
    removed: [],
    reciters: m.reciters.map((r) => ({ ...r, idRanges: rangesOf(renumbered.filter((x) => x.reciterId === r.id).map((x) => x.id)) })),
  };
  writeManifest(indexDir, next);
  // Drop generations older than the previous one (readers may still hold the previous).
  for (const name of await db.tableNames()) {
    const g = /_g(\d+)(_|$)/.exec(name);
    if (g && Number(g[1]) < generation - 1) {
      await db.dropTable(name);
      removeSegmentCounts(indexDir, name);
      removeDurations(indexDir, name);
      removeTimelines(indexDir, name);
    }
  }
  log.info({ indexDir, generation, recordings: renumbered.length, segments: segments.length, postings: segments.reduce((n, x) => n + x.postings, 0) }, 'index compacted');
  return statsOf(next);
}

/** Contiguous [from, to) ranges of sorted ids. */
function rangesOf(ids: number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const id of ids) {
    const last = out[out.length - 1];
    if (last && last[1] === id) last[1] = id + 1;
    else out.push([id, id + 1]);
  }
  return out;
}

/** The rows of a segment table: hash, and the byte range of its postings in `values`. */
interface SegmentRows {
  hashes: Int32Array;
  offsets: Int32Array;
  values: Uint8Array;
}

/**
 * Consecutive hash ranges [lo, hi) covering [from, to), each of at most `max` postings by
 * `count` (or one hash, when that hash alone has more).
 */
function hashRanges(count: (h: number) => number, from: number, to: number, max: number): [number, number][] {
  const ranges: [number, number][] = [];
  let start = from;
  let size = 0;
  for (let h = from; h < to; h++) {
    if (h > start && size + count(h) > max) {
      ranges.push([start, h]);
      start = h;
      size = 0;
    }
    size += count(h);
  }
  ranges.push([start, to]);
  return ranges;
}

/** The rows of hashes [lo, hi) of a segment's part (row = hash - part.from in every part). */
async function readSegmentRows(part: { opened: Table; from: number }, lo: number, hi: number): Promise<SegmentRows[]> {
  const table = part.opened;
  const rows = await table.query().select(['h', 'p']).offset(lo - part.from).limit(hi - lo).toArrow();
  if (rows.numRows !== hi - lo || rows.getChild('h')?.get(0) !== lo) throw new Error(`${table.name}: rows ${lo - part.from}..${hi - part.from} are not hashes ${lo}..${hi} (not a segment table?)`);
  return rows.batches.map((b) => {
    const h = b.getChild('h')!.data[0];
    const p = b.getChild('p')!.data[0];
    return {
      hashes: (h.values as Int32Array).subarray(h.offset, h.offset + h.length),
      offsets: (p.valueOffsets as Int32Array).subarray(p.offset, p.offset + p.length + 1),
      values: p.values as Uint8Array,
    };
  });
}

/** Visits the postings of `rows` whose recording has a new id (newId[old] >= 0), under that id. */
function keptPostings(rows: SegmentRows[], newId: Int32Array): PostingSource {
  return (visit) => {
    for (const r of rows)
      for (let i = 0; i < r.hashes.length; i++) {
        const from = r.offsets[i];
        const to = r.offsets[i + 1];
        if (to === from) continue;
        const words = unpackRow(r.values.subarray(from, to));
        for (let k = 0; k < words.length; k += 2) {
          const id = newId[words[k]];
          if (id >= 0) visit(r.hashes[i], id, words[k + 1]);
        }
      }
  };
}

/**
 * Merges segments into one table `table`, keeping the postings of recordings with a new id
 * (newId[old] >= 0) under that id. The segments are read a window of WINDOW_POSTINGS at a
 * time: once to count, then once more as each piece is filled. Memory is bounded by the
 * piece and window sizes, not by the index's. Returns the segment's postings.
 */
async function writeMergedSegment(db: Connection, table: string, indexDir: string, tables: string[], newId: Int32Array, maxPiecePostings: number): Promise<number> {
  const sources = await Promise.all(tables.map((t) => Promise.all(segmentParts(t).map(async (p) => ({ ...p, opened: await db.openTable(p.table) })))));
  // Each window lies in one part (hashRanges below are split at the parts).
  const readRange = async ([lo, hi]: [number, number]) => (await Promise.all(sources.map((parts) => readSegmentRows(partOf(parts, lo), lo, hi)))).flat();
  // The segments' postings per hash, removed recordings included (a file per segment; an
  // index without them is read in windows of 65,536 hashes).
  const stored = readHashCounts(indexDir, tables);
  const storedCount = stored ? (h: number) => stored[h] : () => WINDOW_POSTINGS / 65_536;
  const perHash = new Float64Array(HASH_SPACE);
  for (const w of splitAtParts(hashRanges(storedCount, 0, HASH_SPACE, WINDOW_POSTINGS))) keptPostings(await readRange(w), newId)((h) => perHash[h]++);
  const postings = await writeSegment(
    db,
    indexDir,
    table,
    perHash,
    async (lo, hi, put) => {
      for (const w of splitAtParts(hashRanges(storedCount, lo, hi, WINDOW_POSTINGS))) keptPostings(await readRange(w), newId)(put);
    },
    maxPiecePostings,
  );
  for (const parts of sources) for (const p of parts) p.opened.close();
  return postings;
}

/**
 * Writes segment `table` (its parts: segment-parts.ts): `perHash[h]` postings of each hash,
 * which `fill(lo, hi, put)` puts, each posting of hashes [lo, hi) once. Written in pieces of
 * consecutive hashes of at most `maxPiecePostings` postings, each appended to its part as a
 * fragment in hash order (row = hash - part.from), then each part's fragments merged into one:
 * memory holds one piece, whatever the segment's size. Writes the segment's counts; returns
 * its postings.
 */
async function writeSegment(
  db: Connection,
  indexDir: string,
  table: string,
  perHash: Float64Array,
  fill: (lo: number, hi: number, put: (h: number, rec: number, word: number) => void) => unknown,
  maxPiecePostings = MAX_PIECE_POSTINGS,
): Promise<number> {
  let postings = 0;
  for (const part of segmentParts(table)) {
    let written: Table | undefined;
    const pieces = hashRanges((h) => perHash[h], part.from, part.to, maxPiecePostings);
    for (const [lo, hi] of pieces) {
      const { piece, put } = packedPiece(lo, hi, (h) => perHash[h]);
      await fill(lo, hi, put);
      const data = segmentArrowTable(piece);
      if (written) await written.add(data);
      else written = await db.createTable(part.table, data);
      postings += piece.postings;
    }
    if (written && pieces.length > 1) await mergeFragments(written);
    written?.close();
  }
  writeSegmentCounts(indexDir, table, perHash);
  return postings;
}
