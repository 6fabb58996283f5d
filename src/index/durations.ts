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
import { writeFileAtomic } from '../util/write-atomic.js';

export function durationsPath(indexDir: string, recordingsTable: string): string {
  return path.join(indexDir, 'durations', `${recordingsTable}.f64`);
}

/** The durations of recordings 0..count-1, or undefined when the file is missing or holds fewer. */
export function readDurations(indexDir: string, recordingsTable: string, count: number): Float64Array | undefined {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(durationsPath(indexDir, recordingsTable));
  } catch {
    return undefined;
  }
  if (buf.length < count * 8) return undefined;
  // A copy: the Buffer's memory may be a pool's, not aligned for 8-byte reads.
  return new Float64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + count * 8));
}

export function writeDurations(indexDir: string, recordingsTable: string, durations: Float64Array): void {
  writeFileAtomic(durationsPath(indexDir, recordingsTable), durations);
}

/** Removes the durations file of a dropped recordings table (no error when there is none). */
export function removeDurations(indexDir: string, recordingsTable: string): void {
  fs.rmSync(durationsPath(indexDir, recordingsTable), { force: true });
}
