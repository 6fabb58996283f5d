/**
 * context: what a pipeline command works with: the service configuration, the catalog,
 * and the runner that REDIS_URL selects (BullMQ) or the in-process one (embedded default).
 * Redis and PostgreSQL are checked here, before the catalog is written to.
 */
import { CatalogAccess } from '../../catalog/access.js';
import { assertHomeWritable, type ServiceConfig } from '../../services/config.js';
import { BullMqRunner } from '../runner/bullmq.js';
import { InProcessRunner } from '../runner/in-process.js';
import type { JobRunner } from '../runner/types.js';
import { buildSteps } from './steps.js';

export interface PipelineContext {
  config: ServiceConfig;
  catalog: CatalogAccess;
  runner: JobRunner;
  close(): Promise<void>;
}

/** Opens the pipeline; configured services are checked now (exit 5 with one line), before any work. */
export async function openPipeline(config: ServiceConfig, what: string): Promise<PipelineContext> {
  assertHomeWritable(config);
  const catalog = new CatalogAccess(config, what);
  const runner: JobRunner = config.redisUrl
    ? await BullMqRunner.connect(config)
    : new InProcessRunner(buildSteps(catalog));
  try {
    if (config.databaseUrl) await catalog.use(async () => undefined);
  } catch (err) {
    await runner.close();
    throw err;
  }
  return {
    config,
    catalog,
    runner,
    close: async () => void (await Promise.all([runner.close(), catalog.close()])),
  };
}
