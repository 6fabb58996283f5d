/**
 * start: submitting a build: the catalog learns of it (reciter "indexing", a build row)
 * and the runner makes it durable, in one transaction: when the submission fails (Redis
 * gone), no catalog row is left behind.
 */
import type { CatalogAccess } from '../../catalog/access.js';
import type { BuildKind } from '../../catalog/builds.js';
import type { BuildFlow, JobRunner } from '../runner/types.js';
import { filesOf } from './flow.js';
import { recordSubmitted } from './record.js';

export async function startBuild(catalog: CatalogAccess, runner: JobRunner, flow: BuildFlow, kind: BuildKind): Promise<void> {
  const reciter = flow.merge.reciter;
  await catalog.use((c) =>
    c.tx(async (sql) => {
      await recordSubmitted(sql, reciter, { id: flow.buildId, kind, reciterId: reciter.id, runner: runner.kind, files: filesOf(flow), batches: flow.children.length });
      await runner.submit(flow);
    }),
  );
}
