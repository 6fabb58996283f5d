/**
 * api: the index's interface, the one module of src/index that code outside it imports.
 * How the index is stored (manifest.json, its LanceDB tables, counts files) stays inside
 * src/index; callers see these operations:
 *
 * - without opening a table (the manifest alone, cheap): whether there is an index
 *   (`indexExists`), what it holds (`indexStats`: version, recordings, hours, postings,
 *   segments), its reciters (`indexedReciters`), bytes on disk (`currentIndexBytes`);
 * - open it for queries (`IndexReader.open`): look up postings (a posting's frame and
 *   extension: `frameOf`, `extOf`), read recordings and the
 *   Quran text, which recordings may answer (`allowed`, `hidden`), `stats()` of the version
 *   opened, `verify()` every table, `close()`;
 * - write it, holding the index-writer lock: stage a fingerprint job's output
 *   (`writeStaging`), commit a reciter's recordings as a new segment (`commitRecordings`),
 *   describe reciters as the catalog does (`syncReciterEntries`), remove a reciter
 *   (`removeReciter`), compact (`compactIndex`), drop what crashed writers left
 *   (`dropOrphanTables`), find and set aside a damaged index (`indexDamage`, `setAside`).
 *
 * Every write replaces the manifest atomically: readers see one complete version or the next.
 */
import { readManifest, statsOf, type IndexedReciter, type IndexStats } from './manifest.js';

export type { IndexedReciter, IndexStats } from './manifest.js';
export { IndexReader, indexedRecordings, type LookupResult } from './reader.js';
/** A looked-up posting's second word: its frame and the landmark's extension (third peak). */
export { extOf, frameOf } from './postings.js';
export type { HashCounts } from './hash-counts.js';
export { currentIndexBytes } from './disk-usage.js';
export { commitRecordings, compactIndex, removeReciter, MAX_PIECE_POSTINGS, type CommitInput, type CommitResult } from './writer.js';
export { differences, reciterOfEntry, syncReciterEntries } from './reciter-entries.js';
export { readStaging, removeStaging, stagingDir, writeStaging, type StagedRecording } from './staging.js';
export { dropOrphanTables } from './orphans.js';
export { indexDamage, setAside } from './verify.js';

/** Whether `indexDir` holds an index (throws the one-line error of a damaged manifest or an index of another fingerprint version). */
export function indexExists(indexDir: string): boolean {
  return readManifest(indexDir) !== undefined;
}

/** What the index at `indexDir` holds now; undefined when there is none. */
export function indexStats(indexDir: string): IndexStats | undefined {
  const m = readManifest(indexDir);
  return m && statsOf(m);
}

/** The reciters of the index at `indexDir`, in the order they were added (none when there is no index). */
export function indexedReciters(indexDir: string): IndexedReciter[] {
  return readManifest(indexDir)?.reciters ?? [];
}
