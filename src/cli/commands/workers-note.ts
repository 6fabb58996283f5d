/**
 * workers-note: a command that waits for BullMQ workers says so when none is connected,
 * instead of waiting silently.
 */
import type { PipelineContext } from '../../pipeline/build/context.js';
import { BullMqRunner } from '../../pipeline/runner/bullmq.js';
import { redisAddress } from '../../services/redis.js';

export async function warnIfNoWorkers(ctx: PipelineContext): Promise<void> {
  if (!(ctx.runner instanceof BullMqRunner) || (await ctx.runner.workers()) > 0) return;
  process.stderr.write(`ayah: no worker is connected to Redis at ${redisAddress(ctx.runner.queues.redisUrl)}: the build waits until one starts (\`ayah worker\`)\n`);
}
