/**
 * staging: the output of a fingerprint job, written next to the index (shared storage) and
 * read by the merge job. One binary file per batch: "AYST", u32 header length, a JSON header
 * describing the recordings, then each recording's hashes and times as uint32 arrays and its
 * landmark extensions as uint16 (padded to 4 bytes).
 * Written to a temporary name and renamed, so a half-written file is never read.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../util/write-atomic.js';
import type { TimelineEntry } from '../types.js';

export interface StagedRecordingMeta {
  relPath: string;
  path: string;
  contentHash: string;
  durationS: number;
  timeline: TimelineEntry[];
}

export interface StagedRecording extends StagedRecordingMeta {
  hashes: Uint32Array;
  times: Uint32Array;
  /** One extension per landmark (fingerprint/landmarks.ts). */
  exts: Uint16Array;
  /** The recording's peaks, packed (fingerprint/peak-list.ts): what queries verify candidates against. */
  peaks: Uint32Array;
}

/** "AYS3": with extensions (fingerprint version 2) and peaks. */
const MAGIC = 'AYS3';

export function stagingDir(indexDir: string, buildId: string): string {
  return path.join(indexDir, 'staging', buildId);
}

/**
 * Deletes a build's staging files, then the staging folder and the index folder when that
 * leaves them empty: a refused first build leaves no index folder behind.
 */
export function removeStaging(indexDir: string, buildId: string): void {
  fs.rmSync(stagingDir(indexDir, buildId), { recursive: true, force: true });
  for (const dir of [path.join(indexDir, 'staging'), indexDir]) {
    try {
      fs.rmdirSync(dir);
    } catch {
      return; // not empty (another build's files, or an index): kept
    }
  }
}

export function writeStaging(file: string, recordings: StagedRecording[]): void {
  const header = Buffer.from(
    JSON.stringify(recordings.map(({ hashes, times: _t, exts: _e, peaks, ...meta }) => ({ ...meta, n: hashes.length, peaks: peaks.length }))),
    'utf8',
  );
  const head = Buffer.alloc(8);
  head.write(MAGIC, 0, 'latin1');
  head.writeUInt32LE(header.length, 4);
  const parts: Buffer[] = [head, header];
  for (const r of recordings) {
    parts.push(Buffer.from(r.hashes.buffer, r.hashes.byteOffset, r.hashes.byteLength));
    parts.push(Buffer.from(r.times.buffer, r.times.byteOffset, r.times.byteLength));
    parts.push(Buffer.from(r.exts.buffer, r.exts.byteOffset, r.exts.byteLength), Buffer.alloc(padding(r.exts.byteLength)));
    parts.push(Buffer.from(r.peaks.buffer, r.peaks.byteOffset, r.peaks.byteLength));
  }
  writeFileAtomic(file, Buffer.concat(parts));
}

export function readStaging(file: string): StagedRecording[] {
  const buf = fs.readFileSync(file);
  if (buf.toString('latin1', 0, 4) !== MAGIC) throw new Error(`${file}: not a staging file`);
  const headerLength = buf.readUInt32LE(4);
  const metas = JSON.parse(buf.toString('utf8', 8, 8 + headerLength)) as (StagedRecordingMeta & { n: number; peaks: number })[];
  let offset = 8 + headerLength;
  const bytes = (length: number): ArrayBuffer => {
    const out = new Uint8Array(length);
    out.set(buf.subarray(offset, offset + length));
    offset += length + padding(length);
    return out.buffer;
  };
  return metas.map(({ n, peaks: p, ...meta }) => {
    const hashes = new Uint32Array(bytes(n * 4));
    const times = new Uint32Array(bytes(n * 4));
    const exts = new Uint16Array(bytes(n * 2));
    const peaks = new Uint32Array(bytes(p * 4));
    return { ...meta, hashes, times, exts, peaks };
  });
}

/** Bytes that bring `length` to a multiple of 4. */
function padding(length: number): number {
  return (4 - (length % 4)) % 4;
}
