/**
 * `ayah serve`: the recognition service over HTTP (see README "ayah serve").
 */
import type { Command } from 'commander';
import { AyahError, ExitCode } from '../../errors.js';
import { defaultLogLevel, log } from '../../log.js';
import { serveDefaults, type ServeConfig } from '../../serve/config.js';
import { startServer } from '../../serve/server.js';
import { action } from '../run.js';
import { gracefulStop } from '../../signals.js';

interface Options {
  port: number;
  host: string;
  maxBodyBytes: number;
  maxAudioSeconds: number;
  timeoutMs: number;
  maxConcurrent: number;
  cache: boolean;
  cacheTtl: number;
  reloadMs: number;
}

function nonNegative(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new AyahError(`expected a number ≥ 0, got "${v}"`, ExitCode.USAGE);
  return n;
}

export function register(program: Command): void {
  const d = serveDefaults();
  program
    .command('serve')
    .description('serve identifications over HTTP (POST /v1/identify, GET /v1/ayahs/:surah/:ayah, /healthz, /readyz, /metrics)')
    .option('--port <n>', 'port (0: any free port)', nonNegative, d.port)
    .option('--host <addr>', 'address to listen on', d.host)
    .option('--max-body-bytes <n>', 'largest request body (413 beyond)', nonNegative, d.maxBodyBytes)
    .option('--max-audio-seconds <s>', 'longest audio accepted (413 beyond); the first 32 s are analysed', nonNegative, d.maxAudioSeconds)
    .option('--timeout-ms <ms>', 'time one identification may take (503 beyond)', nonNegative, d.timeoutMs)
    .option('--max-concurrent <n>', 'identifications at once (503 with Retry-After beyond)', nonNegative, d.maxConcurrent)
    .option('--cache-ttl <s>', 'seconds a result stays in the cache (Redis with REDIS_URL, else in-process)', nonNegative, d.cacheTtlS)
    .option('--no-cache', 'do not cache results')
    .option('--reload-ms <ms>', 'how often to check the index for a new version (0: never)', nonNegative, d.reloadMs)
    .action(action(async (opts: Options) => serve({ ...d, ...opts, cache: opts.cache && d.cache, cacheTtlS: opts.cacheTtl })));
}

async function serve(config: ServeConfig): Promise<number> {
  defaultLogLevel('info');
  const server = await startServer(config);
  process.stdout.write(`ayah serve: listening on ${server.url} (index version ${server.ctx.holder.facts().version}, cache ${server.ctx.cache.kind})\n`);
  // The first signal drains (src/signals.ts: one handler for every command); a second exits at once.
  const signal = await new Promise<NodeJS.Signals>((resolve) => gracefulStop(resolve));
  log.info({ signal }, 'draining: no new connections; finishing the requests in flight');
  const drained = await server.close();
  if (!drained) log.warn({ drainMs: config.drainMs }, 'requests still in flight after the drain time; exiting');
  log.info('ayah serve stopped');
  return drained ? ExitCode.OK : ExitCode.SERVICE_UNAVAILABLE;
}
