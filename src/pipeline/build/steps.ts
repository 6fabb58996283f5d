/**
 * steps: what both runners do around the lead's job handlers, so the in-process runner and
 * BullMQ workers behave the same: the merge step (under the index-writer lock: decide what
 * the staged batches change against the index as it is now, commit that and record it in
 * the catalog, see commitReciter) and the record of a build that failed for good.
 *
 * A merge may run twice (a worker killed after committing, the job retried): what it
 * staged is then already in the index with the same content and is not committed again.
 */
import fs from 'node:fs';
import type { CatalogAccess } from '../../catalog/access.js';
import { getBuild } from '../../catalog/builds.js';
import { readStaging, stagingDir } from '../../index/api.js';
import { withIndexWriter } from '../../locks/locks.js';
import type { FingerprintJobResult, MergeJobData, MergeJobResult } from '../jobs/types.js';
import { commitReciter } from './commit-reciter.js';
import { recordFailed } from './record.js';

export interface BuildSteps {
  /** Commits a build's batches into the index and records it; `retry`: an earlier attempt may have committed. */
  merge(data: MergeJobData, children: FingerprintJobResult[], retry: boolean): Promise<MergeJobResult>;
  /** Records a build that failed for good (no retry left). */
  failed(buildId: string, reciterId: string, reason: string): Promise<void>;
}

export function buildSteps(catalog: CatalogAccess): BuildSteps {
  return {
    async merge(data, children, retry) {
      const failed = children.flatMap((c) => c.failed);
      // A file that failed to fingerprint again keeps its indexed recording.
      const failedPaths = new Set(failed.map((f) => f.relPath));
      return withIndexWriter(catalog.config, `merge of build ${data.buildId}`, async () => {
        // Only a merge deletes staging files, and only after its commit: a retry that finds them gone only records.
        const committed = retry && children.some((c) => !fs.existsSync(c.stagingFile));
        const ordered = [...children].sort((a, b) => a.batchKey.localeCompare(b.batchKey));
        const kind = (await catalog.use((c) => getBuild(c, data.buildId)))?.kind ?? 'add-reciter';
        const result = await commitReciter(catalog, {
          indexDir: data.indexDir,
          reciter: data.reciter,
          staged: committed ? [] : ordered.flatMap((c) => readStaging(c.stagingFile)),
          drop: committed ? [] : data.dropRelPaths.filter((p) => !failedPaths.has(p)),
          reindexAll: data.reindexAll,
          activate: kind === 'add-reciter',
          build: { id: data.buildId, failed },
        });
        fs.rmSync(stagingDir(data.indexDir, data.buildId), { recursive: true, force: true });
        return { buildId: data.buildId, ...result, failed };
      });
    },
    async failed(buildId, reciterId, reason) {
      await catalog.use((c) => c.tx((sql) => recordFailed(sql, buildId, reciterId, reason)));
    },
  };
}
