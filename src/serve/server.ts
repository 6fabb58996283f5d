/**
 * server: starts `ayah serve` (index, cache, metrics, app, listening socket) and stops it
 * gracefully: stop accepting, let the requests in flight finish (at most drainMs), close
 * the index and the cache.
 */
import type { FastifyInstance } from 'fastify';
import { startFfmpegHelper } from '../fingerprint/ffmpeg-process.js';
import { log } from '../log.js';
import { openResultCache } from './cache.js';
import type { ServeConfig } from './config.js';
import type { ServeContext } from './context.js';
import { IndexHolder } from './index-holder.js';
import { ConcurrencyGate } from './limits.js';
import { ServeMetrics } from './metrics.js';
import { buildApp } from './app.js';

export interface RunningServer {
  url: string;
  app: FastifyInstance;
  ctx: ServeContext;
  /** Drains and closes; resolves true when every request in flight finished in time. */
  close(): Promise<boolean>;
}

export async function startServer(config: ServeConfig): Promise<RunningServer> {
  // Each request's ffmpeg is started from a helper process, started now while this one is small (ffmpeg-process.ts).
  startFfmpegHelper();
  const holder = await IndexHolder.open(config.home, config.reloadMs);
  const metrics = new ServeMetrics();
  metrics.setIndex(holder.facts());
  holder.onSwap((facts) => metrics.setIndex(facts));
  const cache = openResultCache({ enabled: config.cache, redisUrl: config.redisUrl, prefix: config.cachePrefix, ttlS: config.cacheTtlS, entries: config.cacheEntries });
  const ctx: ServeContext = { config, holder, cache, metrics, gate: new ConcurrencyGate(Math.max(1, config.maxConcurrent)), closing: false };
  const app = await buildApp(ctx);
  let address: string;
  try {
    address = await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    holder.close();
    await cache.close();
    throw err;
  }
  log.info({ url: address, version: holder.facts().version, cache: cache.kind, maxConcurrent: ctx.gate.max }, 'ayah serve listening');
  let closing: Promise<boolean> | undefined;
  const close = () =>
    (closing ??= (async () => {
      ctx.closing = true;
      let timer: NodeJS.Timeout | undefined;
      const drained = await Promise.race([
        app.close().then(() => true),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), config.drainMs))),
      ]);
      clearTimeout(timer);
      holder.close();
      await cache.close();
      return drained;
    })());
  return { url: address, app, ctx, close };
}
