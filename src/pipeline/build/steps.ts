/**
 * steps: what both runners do around the lead's job handlers, so the in-process runner and
 * BullMQ workers behave the same: the merge step (an add-reciter folder judged first from
 * the fingerprint jobs' checks: refused with errors, or its invalid files left out with
 * --skip-invalid; then, under the index-writer lock: decide what the staged batches change
 * against the index as it is now, commit that and record it in the catalog, see
 * commitReciter) and the record of a build that failed for good.
 *
 * A merge may run twice (a worker killed after committing, the job retried): what it
 * staged is then already in the index with the same content and is not committed again.
 */
import fs from 'node:fs';
import type { CatalogAccess } from '../../catalog/access.js';
import { getBuild } from '../../catalog/builds.js';
import { indexStats, readStaging, removeStaging } from '../../index/api.js';
import { withIndexWriter } from '../../locks/locks.js';
import type { FingerprintJobResult, MergeJobData, MergeJobResult } from '../jobs/types.js';
import { commitReciter } from './commit-reciter.js';
import { recordFailed } from './record.js';
import { judgeFolder } from './validation-verdict.js';
import type { ValidationReport } from '../validate/types.js';

export interface BuildSteps {
  /** Commits a build's batches into the index and records it; `retry`: an earlier attempt may have committed. */
  merge(data: MergeJobData, children: FingerprintJobResult[], retry: boolean): Promise<MergeJobResult>;
  /** Records a build that failed for good (no retry left). */
  failed(buildId: string, reciterId: string, reason: string): Promise<void>;
}

export function buildSteps(catalog: CatalogAccess): BuildSteps {
  /** Validation found errors: nothing is committed, the build is recorded failed, the result carries the report. */
  async function refuse(data: MergeJobData, report: ValidationReport, failed: MergeJobResult['failed']): Promise<MergeJobResult> {
    const reason = `validation found ${report.counts.errors} error${report.counts.errors === 1 ? '' : 's'}; nothing was indexed`;
    await catalog.use((c) => c.tx((sql) => recordFailed(sql, data.buildId, data.reciter.id, reason)));
    removeStaging(data.indexDir, data.buildId);
    const indexVersion = indexStats(data.indexDir)?.version ?? 0;
    return { buildId: data.buildId, indexVersion, recordingsAdded: 0, recordingsRemoved: 0, postings: 0, failed, refused: report };
  }

  return {
    async merge(data, children, retry) {
      const failed = children.flatMap((c) => c.failed);
      const ordered = [...children].sort((a, b) => a.batchKey.localeCompare(b.batchKey));
      const verdict = data.validation && judgeFolder(data.validation, ordered);
      if (verdict && !verdict.report.ok && !data.validation!.skipInvalid) return refuse(data, verdict.report, failed);
      const invalid = new Set(verdict?.invalid.map((f) => f.relPath));
      // A file that failed to fingerprint again, or is invalid now, keeps its indexed recording.
      const failedPaths = new Set([...failed.map((f) => f.relPath), ...invalid]);
      return withIndexWriter(catalog.config, `merge of build ${data.buildId}`, async () => {
        // Only a merge deletes staging files, and only after its commit: a retry that finds them gone only records.
        const committed = retry && children.some((c) => !fs.existsSync(c.stagingFile));
        const kind = (await catalog.use((c) => getBuild(c, data.buildId)))?.kind ?? 'add-reciter';
        const result = await commitReciter(catalog, {
          indexDir: data.indexDir,
          reciter: data.reciter,
          staged: committed ? [] : ordered.flatMap((c) => readStaging(c.stagingFile)).filter((r) => !invalid.has(r.relPath)),
          drop: committed ? [] : data.dropRelPaths.filter((p) => !failedPaths.has(p)),
          reindexAll: data.reindexAll,
          activate: kind === 'add-reciter',
          build: { id: data.buildId, failed },
        });
        removeStaging(data.indexDir, data.buildId);
        return { buildId: data.buildId, ...result, failed, ...(verdict ? { invalid: verdict.invalid } : {}) };
      });
    },
    async failed(buildId, reciterId, reason) {
      await catalog.use((c) => c.tx((sql) => recordFailed(sql, buildId, reciterId, reason)));
    },
  };
}
