/**
 * record: what the catalog learns of a build: submitted (reciter "indexing", build row),
 * merged (build "done" with its counts, the reciter's recordings as the index now has them,
 * reciter "ready"), failed (build and reciter "failed" with the reason).
 */
import type { Sql } from '../../catalog/catalog.js';
import { createBuild, failBuild, finishBuild, requeueBuild, type NewBuild } from '../../catalog/builds.js';
import { replaceReciterRecordings } from '../../catalog/recordings.js';
import { markReciterReady, setReciterActive as setReciterActiveInCatalog, setReciterStatus, upsertReciter } from '../../catalog/reciters.js';
import type { Reciter, Recording } from '../../types.js';
import type { MergeJobResult } from '../jobs/types.js';

export async function recordSubmitted(sql: Sql, reciter: Reciter, build: NewBuild): Promise<void> {
  await upsertReciter(sql, reciter);
  await setReciterStatus(sql, reciter.id, 'indexing');
  await createBuild(sql, build);
}

export async function recordMerged(sql: Sql, reciterId: string, result: MergeJobResult, recordings: Recording[], activate: boolean): Promise<void> {
  await finishBuild(sql, result.buildId, result);
  await replaceReciterRecordings(sql, reciterId, recordings, result.buildId);
  await markReciterReady(sql, reciterId, activate);
}

export async function recordFailed(sql: Sql, buildId: string, reciterId: string, reason: string): Promise<void> {
  await failBuild(sql, buildId, reason);
  await setReciterStatus(sql, reciterId, 'failed', reason);
}

/** A failed build's jobs are retried: build queued and reciter indexing again. */
export async function recordRequeued(sql: Sql, buildId: string, reciterId: string): Promise<void> {
  await requeueBuild(sql, buildId);
  await setReciterStatus(sql, reciterId, 'indexing');
}

/** A reciter the index has (an index older than the catalog, or nothing to do): the catalog takes it as it is. */
export async function recordIndexed(sql: Sql, reciter: Reciter, recordings: Recording[], active: boolean): Promise<void> {
  await upsertReciter(sql, reciter);
  await replaceReciterRecordings(sql, reciter.id, recordings, null);
  await markReciterReady(sql, reciter.id, false);
  await setReciterActiveInCatalog(sql, reciter.id, active);
}
