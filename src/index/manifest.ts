/**
 * manifest: the index's commit point. manifest.json names the LanceDB tables (and their
 * versions) that make up the current index; it is replaced atomically (write + rename), so
 * a reader sees either the previous complete index or the new complete one, never a
 * half-written one, and a crashed writer leaves the previous index in place.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AyahError, ExitCode } from '../errors.js';
import { abortSignal, noteCommit } from '../signals.js';
import { writeFileAtomic } from '../util/write-atomic.js';
import { damagedIndex, outdatedIndex } from './damage.js';
import { FINGERPRINT, HASH_BITS } from '../fingerprint/config.js';
import type { Reciter } from '../types.js';

export interface SegmentInfo {
  /** LanceDB table holding one row per hash value (row offset = hash). */
  table: string;
  postings: number;
  recordings: number;
}

export interface IndexedReciter extends Reciter {
  active: boolean;
  recordings: number;
  audioSeconds: number;
  addedAt: string;
  /** Recording ids of this reciter, as [from, to) ranges (ids are appended per commit). */
  idRanges: [number, number][];
}

export interface Manifest {
  format: 1;
  fingerprintVersion: number;
  hashBits: number;
  /** Incremented on every commit. */
  version: number;
  /** Generation: bumped by a full rebuild/compaction, which writes fresh tables. */
  generation: number;
  updatedAt: string;
  /** Table of recordings (row offset = recording id) and its pinned version. */
  recordingsTable: string;
  recordingsVersion: number;
  /** Number of recording ids handed out (rows in the pinned recordings table). */
  recordingCount: number;
  /** Table with the Quran text the index prints. */
  textTable: string;
  segments: SegmentInfo[];
  reciters: IndexedReciter[];
  /** Recording ids taken out of the index (re-indexed or removed), until the next compaction. */
  removed: number[];
}

export const MANIFEST_FILE = 'manifest.json';

/** What an index holds, as its manifest says (no table is read). */
export interface IndexStats {
  /** Commit counter: every commit bumps it (a number for metrics and results). */
  version: number;
  /** Bumped by each compaction, which writes fresh tables. */
  generation: number;
  /** "<generation>.<version>": changes with every commit; what a server reloads on and its answers' cache keys name. */
  versionKey: string;
  /** Recordings in the index: removed ones left out, those of an inactive reciter counted. */
  recordings: number;
  reciters: number;
  activeReciters: number;
  /** Seconds of audio of every reciter's recordings, and of the active reciters' alone. */
  audioSeconds: number;
  activeAudioSeconds: number;
  postings: number;
  segments: number;
}

export function statsOf(m: Manifest): IndexStats {
  const active = m.reciters.filter((r) => r.active);
  return {
    version: m.version,
    generation: m.generation,
    versionKey: `${m.generation}.${m.version}`,
    recordings: m.recordingCount - m.removed.length,
    reciters: m.reciters.length,
    activeReciters: active.length,
    audioSeconds: m.reciters.reduce((s, r) => s + r.audioSeconds, 0),
    activeAudioSeconds: active.reduce((s, r) => s + r.audioSeconds, 0),
    postings: m.segments.reduce((s, x) => s + x.postings, 0),
    segments: m.segments.length,
  };
}

/** Every recording id a reciter was given (removed ones included). */
export function idsOf(reciter: IndexedReciter | undefined): number[] {
  const ids: number[] = [];
  for (const [from, to] of reciter?.idRanges ?? []) for (let id = from; id < to; id++) ids.push(id);
  return ids;
}

export function manifestPath(indexDir: string): string {
  return path.join(indexDir, MANIFEST_FILE);
}

export function emptyManifest(): Manifest {
  return {
    format: 1,
    fingerprintVersion: FINGERPRINT.version,
    hashBits: HASH_BITS,
    version: 0,
    generation: 0,
    updatedAt: new Date().toISOString(),
    recordingsTable: 'recordings_g0',
    recordingsVersion: 0,
    recordingCount: 0,
    textTable: 'quran_text',
    segments: [],
    reciters: [],
    removed: [],
  };
}

/** Reads the manifest; undefined when there is no index yet. Throws on a damaged one. */
export function readManifest(indexDir: string): Manifest | undefined {
  let raw: string;
  try {
    raw = fs.readFileSync(manifestPath(indexDir), 'utf8');
  } catch {
    return undefined;
  }
  let m: Manifest;
  try {
    m = JSON.parse(raw) as Manifest;
  } catch {
    throw damagedIndex(indexDir, MANIFEST_FILE, 'not JSON');
  }
  const missing = manifestGaps(m);
  if (missing) throw damagedIndex(indexDir, MANIFEST_FILE, missing);
  if (m.format !== 1) throw new AyahError(`${indexDir}: index format ${String(m.format)} is not supported by this version`, ExitCode.NO_INDEX);
  if (m.fingerprintVersion !== FINGERPRINT.version || m.hashBits !== HASH_BITS) throw outdatedIndex(indexDir, m.fingerprintVersion);
  return m;
}

/** What a parsed manifest lacks (undefined when it has every field readers use). */
function manifestGaps(m: unknown): string | undefined {
  if (m === null || typeof m !== 'object' || Array.isArray(m)) return `not an object (${m === null ? 'null' : typeof m})`;
  const x = m as Record<string, unknown>;
  const fields: [string, string][] = [
    ['format', 'number'], ['fingerprintVersion', 'number'], ['hashBits', 'number'], ['version', 'number'], ['recordingsTable', 'string'],
    ['recordingsVersion', 'number'], ['recordingCount', 'number'], ['textTable', 'string'],
  ];
  const bad = fields.filter(([k, t]) => typeof x[k] !== t).map(([k]) => k);
  for (const k of ['segments', 'reciters', 'removed']) if (!Array.isArray(x[k])) bad.push(k);
  return bad.length ? `${bad.join(', ')} missing` : undefined;
}

/**
 * Atomically replaces the manifest (write-atomic.ts: a temporary file, fsync, rename): the index's
 * commit point. After a SIGINT or SIGTERM nothing is committed (signals.ts): a commit that
 * was still on its way is refused here, and from this check to the rename nothing yields to
 * the event loop, so a signal cannot land half-way. A signal after it says that this run
 * committed (noteCommit).
 */
export function writeManifest(indexDir: string, m: Manifest): void {
  if (abortSignal.aborted) throw new AyahError(`${indexDir}: interrupted before the commit; the index is as it was`, ExitCode.CANNOT_WRITE);
  writeFileAtomic(manifestPath(indexDir), JSON.stringify(m, null, 1));
  noteCommit(`${indexDir} version ${m.version}`);
}
