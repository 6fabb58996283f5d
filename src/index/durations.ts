/**
 * durations: every recording's duration in seconds, by id, in a file beside the index
 * (index/durations/<recordings table>.f64). The chance model of every pass needs the
 * duration of each candidate recording: read from this file, a query no longer takes the
 * candidates' rows from the recordings table (a LanceDB take costs ~1 ms however few rows,
 * and a clip that matches nothing made four). Rewritten by each commit before the manifest
 * that counts the new recordings: entries past the manifest's count are a crashed writer's
 * and are ignored. A reader that finds no file (an index from before it), or a short one,
 * reads the recordings table as before.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openIfReadable, readTypedArray } from '../util/read-typed.js';
import { writeFileAtomic } from '../util/write-atomic.js';

export function durationsPath(indexDir: string, recordingsTable: string): string {
  return path.join(indexDir, 'durations', `${recordingsTable}.f64`);
}

/** The durations of recordings 0..count-1, or undefined when the file is missing or holds fewer. */
export function readDurations(indexDir: string, recordingsTable: string, count: number): Float64Array | undefined {
  return readTypedArray(durationsPath(indexDir, recordingsTable), Float64Array, count);
}

/**
 * The durations file read a recording at a time: a query needs the durations of the few
 * candidates that can be a match (a handful per clip), not the whole file (5.6 MB at 1,000
 * hours: ~17 ms of every cold `ayah identify` on a 2-core machine, most of it faulting in the
 * memory it is read into).
 */
export class DurationsFile {
  private readonly value = new Float64Array(1);

  private constructor(
    private readonly fd: number,
    private readonly count: number,
  ) {}

  /** The file of an index whose manifest counts `count` recordings; undefined when it has none, or one that holds fewer. */
  static open(indexDir: string, recordingsTable: string, count: number): DurationsFile | undefined {
    const fd = openIfReadable(durationsPath(indexDir, recordingsTable));
    if (fd === undefined) return undefined;
    if (fs.fstatSync(fd).size >= count * 8) return new DurationsFile(fd, count);
    fs.closeSync(fd);
    return undefined;
  }

  /** Recording `id`'s duration, seconds (undefined for an id the manifest does not count). */
  duration(id: number): number | undefined {
    if (!(id >= 0 && id < this.count)) return undefined;
    const bytes = fs.readSync(this.fd, this.value, 0, 8, id * 8);
    if (bytes !== 8) throw new Error(`durations file: ${bytes} of 8 bytes at ${id * 8}`);
    return this.value[0];
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

export function writeDurations(indexDir: string, recordingsTable: string, durations: Float64Array): void {
  writeFileAtomic(durationsPath(indexDir, recordingsTable), durations);
}

/** Removes the durations file of a dropped recordings table (no error when there is none). */
export function removeDurations(indexDir: string, recordingsTable: string): void {
  fs.rmSync(durationsPath(indexDir, recordingsTable), { force: true });
}
