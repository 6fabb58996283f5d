/**
 * timelines: every recording's timeline (which ayah is where in it), by id, in a file beside
 * the index (index/timelines/<recordings table>.f64), so that placing an answer in its ayah
 * reads no LanceDB table: a take of the candidates' recordings cost ~1.7 ms however few rows,
 * 12 % of a matching clip's time at 1,000 h. Each recording's entries are read with two
 * positioned reads, so a cold call reads a few hundred bytes of it.
 *
 * Layout, all float64: the number of recordings n; n + 1 entry offsets (recording i's entries
 * are offsets[i]..offsets[i + 1]); then 4 values per entry: surah, ayah, start, end (seconds).
 * Written like the durations file (durations.ts), by each commit and compaction before the
 * manifest; a reader that finds no file, or one holding fewer recordings than the manifest
 * counts, reads the recordings table.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TimelineEntry } from '../types.js';
import { writeFileAtomic } from '../util/write-atomic.js';
import { openIfReadable } from '../util/read-typed.js';

export function timelinesPath(indexDir: string, recordingsTable: string): string {
  return path.join(indexDir, 'timelines', `${recordingsTable}.f64`);
}

type Timelines = readonly (readonly TimelineEntry[])[];

/** The layout of no recordings (offsets and entries, as heldTimelines returns them). */
const NONE = { offsets: new Float64Array(1), entries: new Float64Array(0) };

/** Writes the timelines of recordings 0..n-1 (timelines[i]: recording i's). */
export function writeTimelines(indexDir: string, recordingsTable: string, timelines: Timelines): void {
  writeFileAtomic(timelinesPath(indexDir, recordingsTable), layOut(NONE, timelines));
}

/**
 * Writes the timelines of recordings 0..base + added.length - 1: those of 0..base-1 from the
 * file as it is (or, when it holds fewer, from `older()`: an index from before the file),
 * then `added`.
 */
export async function extendTimelines(indexDir: string, recordingsTable: string, base: number, added: Timelines, older: () => Promise<Timelines>): Promise<void> {
  const held = heldTimelines(indexDir, recordingsTable, base);
  writeFileAtomic(timelinesPath(indexDir, recordingsTable), held ? layOut(held, added) : layOut(NONE, [...(await older()), ...added]));
}

/** The file's layout of `held` (the offsets and entries of the recordings before) followed by `added`. */
function layOut(held: { offsets: Float64Array; entries: Float64Array }, added: Timelines): Float64Array {
  const base = held.offsets.length - 1;
  const n = base + added.length;
  const entries = held.entries.length / 4 + added.reduce((sum, t) => sum + t.length, 0);
  const out = new Float64Array(2 + n + 4 * entries);
  out[0] = n;
  out.set(held.offsets, 1);
  out.set(held.entries, 2 + n);
  let entry = held.entries.length / 4;
  added.forEach((t, i) => {
    out[1 + base + i] = entry;
    for (const e of t) out.set([e.surah, e.ayah, e.start, e.end], 2 + n + 4 * entry++);
  });
  out[1 + n] = entry;
  return out;
}

/** Recordings 0..base-1 as the file lays them out (base + 1 offsets, their entries), or undefined when it holds fewer or is short. */
function heldTimelines(indexDir: string, recordingsTable: string, base: number): { offsets: Float64Array; entries: Float64Array } | undefined {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(timelinesPath(indexDir, recordingsTable));
  } catch {
    return undefined;
  }
  // A copy: the Buffer's memory may be a pool's, not aligned for 8-byte reads.
  const all = new Float64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length - (buf.length % 8)));
  const n = all[0];
  if (!(n >= base) || all.length < 2 + n) return undefined;
  const offsets = all.subarray(1, 2 + base);
  const end = 2 + n + 4 * offsets[base];
  return all.length >= end ? { offsets, entries: all.subarray(2 + n, end) } : undefined;
}

/** Removes the timelines file of a dropped recordings table (no error when there is none). */
export function removeTimelines(indexDir: string, recordingsTable: string): void {
  fs.rmSync(timelinesPath(indexDir, recordingsTable), { force: true });
}

/** Reads recordings' timelines from the file, a few bytes per recording. */
export class TimelinesFile {
  private readonly word = new Float64Array(2);

  private constructor(
    private readonly fd: number,
    private readonly count: number,
    /** Recordings the file holds (at least `count`). */
    private held = 0,
  ) {}

  /** The file of an index whose manifest counts `count` recordings, or undefined when it has none or one that holds fewer. */
  static open(indexDir: string, recordingsTable: string, count: number): TimelinesFile | undefined {
    const fd = openIfReadable(timelinesPath(indexDir, recordingsTable));
    if (fd === undefined) return undefined;
    const file = new TimelinesFile(fd, count);
    if (file.whole()) return file;
    file.close();
    return undefined;
  }

  /** Recording `id`'s timeline (id below the manifest's count). */
  timeline(id: number): TimelineEntry[] {
    if (!(id >= 0 && id < this.count)) throw new RangeError(`recording ${id} is not in the index`);
    const [from, to] = this.read(1 + id, 2);
    const values = to > from ? this.read(2 + this.held + 4 * from, 4 * (to - from)) : [];
    const out: TimelineEntry[] = [];
    for (let k = 0; k < values.length; k += 4) out.push({ surah: values[k], ayah: values[k + 1], start: values[k + 2], end: values[k + 3] });
    return out;
  }

  /** Whether the file holds the manifest's recordings, every entry of them in full (a file cut short is not used). */
  private whole(): boolean {
    const size = fs.fstatSync(this.fd).size;
    if (size < 16) return false;
    this.held = this.read(0, 1)[0];
    if (!(this.held >= this.count) || size < 8 * (2 + this.held)) return false;
    return size >= 8 * (2 + this.held + 4 * this.read(1 + this.held, 1)[0]);
  }

  close(): void {
    fs.closeSync(this.fd);
  }

  /** `length` float64 values from value `at` (a short read: a damaged file). */
  private read(at: number, length: number): Float64Array {
    const into = length <= 2 ? this.word : new Float64Array(length);
    const bytes = fs.readSync(this.fd, into, 0, length * 8, at * 8);
    if (bytes !== length * 8) throw new Error(`timelines file: ${bytes} of ${length * 8} bytes at ${at * 8}`);
    return length <= 2 ? into.subarray(0, length) : into;
  }
}
