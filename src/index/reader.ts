/**
 * reader: read-only access to an index directory, as its manifest pins it. Looks up the
 * postings of many hashes at once (LanceDB takeOffsets on every segment's parts: row offset =
 * hash - part.from), fetches the recordings and Quran text that answers print.
 */
import { AyahError, ExitCode, reasonOf } from '../errors.js';
import type { Placement, Recording } from '../types.js';
import { connectIndex, type Table } from './lance.js';
import { idsOf, readManifest, statsOf, type IndexedReciter, type IndexStats, type Manifest } from './manifest.js';
import { dirBytes } from './disk-usage.js';
import { unpackRow } from './postings.js';
import { hasPeaks, readPeaks, readRecordings } from './recordings-table.js';
import { unpackPeaks } from '../fingerprint/peak-list.js';
import type { Peaks } from '../fingerprint/peaks.js';
import { TextReader, type AyahInfo } from './text-table.js';
import { readHashCounts, type HashCounts } from './hash-counts.js';
import { DurationsFile } from './durations.js';
import { TimelinesFile } from './timelines.js';
import { log } from '../log.js';
import { damagedIndex, lanceDamage, readingTable } from './damage.js';
import { segmentParts, type SegmentPart } from './segment-parts.js';
import { lowerBound } from '../util/lower-bound.js';

/** Rows between two rows read by verify() (a data file holds up to 1 M rows). */
const VERIFY_STRIDE = 1 << 16;

/** Postings found for a batch of hashes: rows[i] are (recording, time) pairs of hashes[i]. */
export interface LookupResult {
  hashes: number[];
  rows: Uint32Array[];
}

export class IndexReader {
  private readonly recordingCache = new Map<number, Recording>();
  private readonly text: TextReader;
  /** 1 for recordings that must not be answered (removed, or of an inactive reciter). */
  readonly hidden: Uint8Array;
  /** Read on first use (only queries need them), then kept; null: an index without counts files. */
  private counts?: HashCounts | null;
  /** Read on first use (durations()); null: an index without a durations file. */
  private durationsFile?: DurationsFile | null;
  /** Opened on first use (placements()); null: an index without a timelines file. */
  private timelines?: TimelinesFile | null;
  /** Each reciter's id ranges, by first id (placements()). */
  private ranges?: { from: number; to: number; reciterId: string }[];
  /** Whether the recordings table keeps peaks, known on first use (peaks()); false once they could not be read. */
  private peaksKept?: boolean;

  private constructor(
    readonly dir: string,
    private readonly manifest: Manifest,
    /** Each segment's parts (segment-parts.ts), opened. */
    private readonly segments: (SegmentPart & { opened: Table })[][],
    private readonly recordingsTable: Table,
    private readonly textTable: Table,
  ) {
    this.text = new TextReader(textTable);
    this.hidden = new Uint8Array(manifest.recordingCount);
    for (const id of manifest.removed) if (id < this.hidden.length) this.hidden[id] = 1;
    for (const r of manifest.reciters) if (!r.active) for (const [from, to] of r.idRanges) this.hidden.fill(1, from, to);
  }

  /** Bitmap of recordings that may answer: not hidden, and of a reciter `keep` accepts. */
  allowed(keep: (r: IndexedReciter) => boolean = () => true): Uint8Array {
    const ok = new Uint8Array(this.manifest.recordingCount);
    // What `hidden` is made of, applied again: no pass over every recording (a cold call's
    // first query would run it before it is compiled).
    for (const r of this.manifest.reciters) if (r.active && keep(r)) for (const [from, to] of r.idRanges) ok.fill(1, from, to);
    for (const id of this.manifest.removed) if (id < ok.length) ok[id] = 0;
    return ok;
  }

  static async open(indexDir: string): Promise<IndexReader> {
    const m = readManifest(indexDir);
    if (!m || m.recordingCount === 0)
      throw new AyahError(`${indexDir}: no index here yet (add a reciter with \`ayah add-reciter DIR --name NAME\`, or set AYAH_HOME)`, ExitCode.NO_INDEX);
    try {
      const db = await connectIndex(indexDir, { forReading: true });
      const [segments, recordingsTable, textTable] = await Promise.all([
        Promise.all(m.segments.map((s) => Promise.all(segmentParts(s.table).map(async (p) => ({ ...p, opened: await db.openTable(p.table) }))))),
        db.openTable(m.recordingsTable),
        db.openTable(m.textTable),
      ]);
      await recordingsTable.checkout(m.recordingsVersion);
      return new IndexReader(indexDir, m, segments, recordingsTable, textTable);
    } catch (err) {
      throw damagedIndex(indexDir, 'tables', lanceDamage(err), err);
    }
  }

  /** Postings per hash value over every segment (undefined for an index without counts files, which says so once). */
  get hashCounts(): HashCounts | undefined {
    if (this.counts === undefined) {
      this.counts = readHashCounts(this.dir, this.manifest.segments.map((s) => s.table)) ?? null;
      if (!this.counts)
        log.warn({ indexDir: this.dir }, `${this.dir}: this index keeps no postings per hash (built by an older ayah): look-ups are not budgeted; \`ayah index rebuild --compact\` adds them`);
    }
    return this.counts ?? undefined;
  }

  reciters(): IndexedReciter[] {
    return this.manifest.reciters;
  }

  reciter(id: string): IndexedReciter | undefined {
    return this.manifest.reciters.find((r) => r.id === id);
  }

  /**
   * Postings of `hashes` across every segment. The hashes are looked up sorted and
   * distinct, and only the postings column is read: LanceDB returns taken rows in offset
   * order, so row i is the i-th hash (checked by count; reading the hash column too would
   * double the cost of a look-up).
   */
  async lookup(hashes: number[]): Promise<LookupResult> {
    const out: LookupResult = { hashes: [], rows: [] };
    if (hashes.length === 0) return out;
    const sorted = Int32Array.from(new Set(hashes)).sort();
    // Each part's share of the sorted hashes, as offsets in that part.
    const takes = this.segments.flatMap((parts) =>
      parts.flatMap((part) => {
        const first = lowerBound(sorted, part.from);
        const end = lowerBound(sorted, part.to);
        return end > first ? [{ part, first, end }] : [];
      }),
    );
    const results = await Promise.all(
      takes.map(({ part, first, end }) => readingTable(this.dir, part.table, () => part.opened.takeOffsets(Array.from(sorted.subarray(first, end), (h) => h - part.from)).select(['p']).toArrow())),
    );
    results.forEach((res, k) => {
      const { first, end } = takes[k];
      if (res.numRows !== end - first) throw new AyahError(`${this.dir}: damaged index: a segment returned ${res.numRows} rows for ${end - first} hashes`, ExitCode.NO_INDEX);
      const col = res.getChild('p')!;
      for (let i = 0; i < res.numRows; i++) {
        const bytes = col.get(i) as Uint8Array | null;
        if (!bytes || bytes.length === 0) continue;
        out.hashes.push(sorted[first + i]);
        out.rows.push(unpackRow(bytes));
      }
    });
    return out;
  }

  /**
   * The duration (seconds) of each of `ids`: from the durations file, a recording at a time,
   * or from the recordings table for an index without one.
   */
  async durations(ids: number[]): Promise<(id: number) => number | undefined> {
    if (this.durationsFile === undefined) this.durationsFile = DurationsFile.open(this.dir, this.manifest.recordingsTable, this.manifest.recordingCount) ?? null;
    const file = this.durationsFile;
    if (file) {
      const read = new Map(ids.map((id) => [id, file.duration(id)]));
      return (id) => read.get(id);
    }
    const recs = await this.recordings(ids);
    return (id) => recs.get(id)?.durationS;
  }

  /**
   * What placing an answer needs of each of `ids`: its reciter (from the manifest) and its
   * timeline (from the timelines file: no LanceDB take), or the recordings themselves for an
   * index without that file.
   */
  async placements(ids: number[]): Promise<Map<number, Placement>> {
    if (this.timelines === undefined) this.timelines = TimelinesFile.open(this.dir, this.manifest.recordingsTable, this.manifest.recordingCount) ?? null;
    const file = this.timelines;
    if (!file) return this.recordings(ids);
    const out = new Map<number, Placement>();
    try {
      for (const id of ids) {
        const reciterId = this.reciterIdOf(id);
        if (reciterId !== undefined && !out.has(id)) out.set(id, { id, reciterId, timeline: file.timeline(id) });
      }
    } catch (err) {
      // A file changed under a reader (only a writer that broke the rules does that): the table from now on.
      log.warn({ indexDir: this.dir, err: reasonOf(err) }, `${this.dir}: the timelines file cannot be read (${reasonOf(err)}); reading the recordings table`);
      file.close();
      this.timelines = null;
      return this.recordings(ids);
    }
    return out;
  }

  /** The reciter whose id ranges hold recording `id`. */
  private reciterIdOf(id: number): string | undefined {
    this.ranges ??= this.manifest.reciters.flatMap((r) => r.idRanges.map(([from, to]) => ({ from, to, reciterId: r.id }))).sort((a, b) => a.from - b.from);
    let lo = 0;
    let hi = this.ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = this.ranges[mid];
      if (id < r.from) hi = mid - 1;
      else if (id >= r.to) lo = mid + 1;
      else return r.reciterId;
    }
    return undefined;
  }

  async recordings(ids: number[]): Promise<Map<number, Recording>> {
    const missing = ids.filter((id) => !this.recordingCache.has(id));
    if (missing.length)
      for (const r of await readingTable(this.dir, this.manifest.recordingsTable, () => readRecordings(this.recordingsTable, missing))) this.recordingCache.set(r.id, r);
    return new Map(ids.map((id) => [id, this.recordingCache.get(id)!] as const).filter(([, r]) => r));
  }

  /**
   * The files beside the tables that queries read instead of them which this index lacks or
   * holds short (an index made before them, or files lost): postings per hash (look-ups are
   * then not budgeted), durations and timelines (the recordings table is read instead).
   */
  missingFiles(): ('postings per hash' | 'durations' | 'timelines')[] {
    const m = this.manifest;
    const out: ReturnType<IndexReader['missingFiles']> = [];
    if (!readHashCounts(this.dir, m.segments.map((s) => s.table))) out.push('postings per hash');
    const durations = DurationsFile.open(this.dir, m.recordingsTable, m.recordingCount);
    if (durations) durations.close();
    else out.push('durations');
    const timelines = TimelinesFile.open(this.dir, m.recordingsTable, m.recordingCount);
    if (timelines) timelines.close();
    else out.push('timelines');
    return out;
  }

  /** Whether the index keeps its recordings' peaks (an index made before they were does not). */
  async keepsPeaks(): Promise<boolean> {
    this.peaksKept ??= await hasPeaks(this.recordingsTable);
    return this.peaksKept;
  }

  /**
   * The peaks of recordings `ids` (fingerprint/peak-list.ts), that queries verify candidates
   * against. None for an index made before they were kept, nor once they could not be read:
   * verification is an extra look, answers go on without it (the failure is logged once).
   */
  async peaks(ids: number[]): Promise<Map<number, Peaks>> {
    const out = new Map<number, Peaks>();
    if (ids.length === 0 || this.peaksKept === false) return out;
    try {
      if (!(await this.keepsPeaks())) return out;
      const packed = await readingTable(this.dir, this.manifest.recordingsTable, () => readPeaks(this.recordingsTable, ids));
      for (const [id, words] of packed) out.set(id, unpackPeaks(words));
    } catch (err) {
      this.peaksKept = false;
      log.warn({ indexDir: this.dir, err: reasonOf(err) }, `${reasonOf(err)}; answering without verifying candidates against their peaks`);
    }
    return out;
  }

  /** A reciter's recordings in the index, active or not (removed ones left out), by id. */
  async reciterRecordings(reciterId: string): Promise<Recording[]> {
    const removed = new Set(this.manifest.removed);
    const ids = idsOf(this.reciter(reciterId)).filter((id) => !removed.has(id));
    return [...(await this.recordings(ids)).values()].sort((a, b) => a.id - b.id);
  }

  /** Every recording that may answer (not removed, reciter active). */
  async allRecordings(): Promise<Recording[]> {
    const all = await readingTable(this.dir, this.manifest.recordingsTable, () => readRecordings(this.recordingsTable));
    return all.filter((r) => !this.hidden[r.id]).sort((a, b) => a.id - b.id);
  }

  async ayah(surah: number, ayah: number): Promise<AyahInfo | undefined> {
    return readingTable(this.dir, this.manifest.textTable, () => this.text.ayah(surah, ayah));
  }

  /** Size of the index directory on disk, bytes. */
  bytesOnDisk(): number {
    return dirBytes(this.dir);
  }

  /**
   * Reads a little of every table the manifest names (rows spread over each table, every
   * column), so that a missing or truncated data file is found: `ayah doctor`.
   */
  async verify(): Promise<void> {
    const tables: [string, Table][] = [
      ...this.segments.flat().map((p): [string, Table] => [p.table, p.opened]),
      [this.manifest.recordingsTable, this.recordingsTable],
      [this.manifest.textTable, this.textTable],
    ];
    for (const [name, table] of tables)
      await readingTable(this.dir, name, async () => {
        const rows = await table.countRows();
        const offsets = new Set<number>();
        for (let o = 0; o < rows; o += VERIFY_STRIDE) offsets.add(o);
        if (rows > 0) offsets.add(rows - 1);
        await table.takeOffsets([...offsets]).toArrow();
      });
  }

  /** What the index holds, as of the version this reader opened. */
  stats(): IndexStats {
    return statsOf(this.manifest);
  }

  /** Closes the tables; the reader must not be used after. */
  close(): void {
    this.timelines?.close();
    this.timelines = null;
    this.durationsFile?.close();
    this.durationsFile = null;
    for (const t of [...this.segments.flat().map((p) => p.opened), this.recordingsTable, this.textTable]) if (t.isOpen()) t.close();
  }
}

/** The recordings a reciter has in the index at `indexDir` (none when it has no index or no such reciter). */
export async function indexedRecordings(indexDir: string, reciterId: string): Promise<Recording[]> {
  if (!readManifest(indexDir)?.reciters.some((r) => r.id === reciterId)) return [];
  return (await IndexReader.open(indexDir)).reciterRecordings(reciterId);
}
