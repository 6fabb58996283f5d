/**
 * steps: what both runners do around the lead's job handlers, so the in-process runner and
 * BullMQ workers behave the same: the merge step (under the index-writer lock: commit the
 * staged batches, activate the reciter for add-reciter, record the build in the catalog)
 * and the record of a build that failed for good.
 *
 * A merge may run twice (a worker killed after committing, the job retried): a retried
 * merge first checks whether its batches are already in the index and then only records.
 */
import fs from 'node:fs';
import type { CatalogAccess } from '../../catalog/access.js';
import { getBuild } from '../../catalog/builds.js';
import { readManifest } from '../../index/manifest.js';
import { indexedRecordings } from '../../index/reader.js';
import { readStaging, stagingDir } from '../../index/staging.js';
import { setReciterActive } from '../../index/writer.js';
import { withIndexWriter } from '../../locks/locks.js';
import { runMergeJob } from '../jobs/handlers.js';
import type { FingerprintJobResult, MergeJobData, MergeJobResult } from '../jobs/types.js';
import { recordFailed, recordMerged } from './record.js';

export interface BuildSteps {
  /** Commits a build's batches into the index and records it; `retry`: an earlier attempt may have committed. */
  merge(data: MergeJobData, children: FingerprintJobResult[], retry: boolean): Promise<MergeJobResult>;
  /** Records a build that failed for good (no retry left). */
  failed(buildId: string, reciterId: string, reason: string): Promise<void>;
}


/** The result of a merge whose commit already happened (retried after a crash), or undefined. */
async function alreadyCommitted(data: MergeJobData, children: FingerprintJobResult[]): Promise<MergeJobResult | undefined> {
  if (!readManifest(data.indexDir)?.reciters.some((r) => r.id === data.reciter.id)) return undefined;
  // Only a merge deletes staging files, and only after its commit.
  const cleaned = children.some((c) => !fs.existsSync(c.stagingFile));
  if (!cleaned) {
    const indexed = new Map((await indexedRecordings(data.indexDir, data.reciter.id)).map((r) => [r.relPath, r.contentHash]));
    const staged = children.flatMap((c) => readStaging(c.stagingFile));
    if (staged.length === 0 || !staged.every((s) => indexed.get(s.relPath) === s.contentHash)) return undefined;
  }
  fs.rmSync(stagingDir(data.indexDir, data.buildId), { recursive: true, force: true });
  return {
    buildId: data.buildId,
    indexVersion: readManifest(data.indexDir)!.version,
    recordingsAdded: children.reduce((n, c) => n + c.recordings, 0),
    recordingsRemoved: data.replaceRelPaths.length,
    postings: children.reduce((n, c) => n + c.postings, 0),
    failed: children.flatMap((c) => c.failed),
  };
}

export function buildSteps(catalog: CatalogAccess): BuildSteps {
  return {
    async merge(data, children, retry) {
      // A file that failed to fingerprint again keeps its indexed recording.
      const failed = new Set(children.flatMap((c) => c.failed.map((f) => f.relPath)));
      const mergeData = { ...data, replaceRelPaths: data.replaceRelPaths.filter((p) => !failed.has(p)) };
      return withIndexWriter(catalog.config, `merge of build ${data.buildId}`, async () => {
        const result = (retry ? await alreadyCommitted(mergeData, children) : undefined) ?? (await runMergeJob(mergeData, children));
        await catalog.use(async (c) => {
          const activate = ((await getBuild(c, data.buildId))?.kind ?? 'add-reciter') === 'add-reciter';
          if (activate && readManifest(data.indexDir)?.reciters.find((r) => r.id === data.reciter.id)?.active === false)
            await setReciterActive(data.indexDir, data.reciter.id, true);
          const recordings = await indexedRecordings(data.indexDir, data.reciter.id);
          await c.tx((sql) => recordMerged(sql, data.reciter.id, result, recordings, activate));
        });
        return result;
      });
    },
    async failed(buildId, reciterId, reason) {
      await catalog.use((c) => c.tx((sql) => recordFailed(sql, buildId, reciterId, reason)));
    },
  };
}
