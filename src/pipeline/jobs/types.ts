/**
 * The job contract of the indexing pipeline. The same handlers run in-process (embedded
 * default) or as BullMQ jobs on Redis (REDIS_URL set): one code path, two runners.
 *
 * An index build is a flow: one `fingerprint` child job per small batch of files, and a
 * parent `merge` job that runs when every child is done and commits the staged results
 * into the LanceDB index in one atomic step.
 */
import type { Reciter, RecordingSource, Riwayah } from '../../types.js';
import type { CheckedFile } from '../validate/check-file.js';
import type { FolderChecks } from '../validate/validate-folder.js';
import type { ValidationReport } from '../validate/types.js';

export const QUEUE_FINGERPRINT = 'fingerprint';
export const QUEUE_MERGE = 'merge';

/** Data of a `fingerprint` job: decode and fingerprint these files, stage the result. */
export interface FingerprintJobData {
  buildId: string;
  /** The index directory (AYAH_HOME/index), on storage shared by every worker. */
  indexDir: string;
  reciterId: string;
  /** Stable name of this batch within the build, e.g. "0007". */
  batchKey: string;
  sources: RecordingSource[];
  /** Validate the files too (add-reciter): check each one from the same decoding, against its folder and riwayah. */
  validate?: { root: string; riwayah: Riwayah };
}

/** Result of a `fingerprint` job (small: the postings themselves are in `stagingFile`). */
export interface FingerprintJobResult {
  batchKey: string;
  stagingFile: string;
  recordings: number;
  postings: number;
  audioSeconds: number;
  /** Files that could not be fingerprinted: not indexed, reported (when validating, a file that cannot be decoded is a validation error instead). */
  failed: { relPath: string; reason: string }[];
  /** With `validate`: each file's checks, in order. */
  checked?: CheckedFile[];
}

/** Data of the `merge` parent job: commit the staged batches of a build into the index. */
export interface MergeJobData {
  buildId: string;
  indexDir: string;
  reciter: Reciter;
  /** Relative paths of this reciter's recordings to take out (files gone from its folder). */
  dropRelPaths: string[];
  /** A rebuild: every staged file replaces its recording; otherwise a file indexed with the same content is left as it is. */
  reindexAll?: boolean;
  /**
   * add-reciter: the folder's checks made before decoding; the merge completes the report with
   * the fingerprint jobs' checks. A report with errors is refused (nothing committed) unless
   * `skipInvalid`, which commits the files without errors.
   */
  validation?: { folder: FolderChecks; skipInvalid: boolean };
}

/** What a commit did to a reciter, decided under the index-writer lock (relative paths). */
export interface ReciterChanges {
  added: string[];
  reindexed: string[];
  removed: string[];
  /** Files fingerprinted that the index already had with the same content (another run indexed them). */
  unchanged: number;
  /** Description changes, e.g. "riwayah: hafs → warsh". */
  described: string[];
}

export interface MergeJobResult {
  buildId: string;
  indexVersion: number;
  recordingsAdded: number;
  recordingsRemoved: number;
  postings: number;
  failed: { relPath: string; reason: string }[];
  changes?: ReciterChanges;
  /** Validation found errors (without skipInvalid): nothing was committed; the report says why. */
  refused?: ValidationReport;
  /** Files with validation errors left out (skipInvalid), with the reason. */
  invalid?: { relPath: string; reason: string }[];
}

/**
 * A `reindex` job (queued by a job scheduler, `ayah schedule reindex`): rebuild the index
 * from the catalog (fingerprint every recording again) or only compact it, then verify
 * its counts against the catalog.
 */
export const QUEUE_REINDEX = 'reindex';

export interface ReindexJobData {
  indexDir: string;
  /** Only compact the index (drop removed recordings, merge segments); no re-fingerprinting. */
  compactOnly: boolean;
}
