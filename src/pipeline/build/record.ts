/**
 * record: what the catalog learns of a build besides its merge (see commitReciter):
 * submitted (a new reciter inserted, status "indexing", build row), failed (build and
 * reciter "failed" with the reason), retried. An existing reciter's description changes
 * only with its merge, so catalog and index change it together.
 */
import type { Sql } from '../../catalog/catalog.js';
import { createBuild, failBuild, requeueBuild, type NewBuild } from '../../catalog/builds.js';
import { insertReciterIfNew, setReciterStatus } from '../../catalog/reciters.js';
import type { Reciter } from '../../types.js';

export async function recordSubmitted(sql: Sql, reciter: Reciter, build: NewBuild): Promise<void> {
  await insertReciterIfNew(sql, reciter);
  await setReciterStatus(sql, reciter.id, 'indexing');
  await createBuild(sql, build);
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
