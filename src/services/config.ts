/**
 * config: which services this process uses, from the environment. Nothing set: the
 * embedded default (PGlite catalog in AYAH_HOME, jobs in-process). DATABASE_URL: the
 * catalog on PostgreSQL (DATABASE_READ_URL for reads). REDIS_URL: jobs on BullMQ, keys
 * under AYAH_QUEUE_PREFIX (default "ayah").
 */
import { AyahError, ExitCode } from '../errors.js';
import { assertWritable } from '../fs-errors.js';
import { ayahHome, catalogDir, indexDir } from '../home.js';

export interface ServiceConfig {
  home: string;
  databaseUrl?: string;
  databaseReadUrl?: string;
  redisUrl?: string;
  queuePrefix: string;
}

export function serviceConfig(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  return {
    home: ayahHome(env),
    databaseUrl: env.DATABASE_URL || undefined,
    databaseReadUrl: env.DATABASE_READ_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    queuePrefix: env.AYAH_QUEUE_PREFIX || 'ayah',
  };
}

/** A positive integer from the environment, or the default. */
export function envInt(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env[name]);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** REDIS_URL, or a usage error saying `what` needs it. */
export function requireRedis(config: ServiceConfig, what: string): string {
  if (!config.redisUrl) throw new AyahError(`${what} needs REDIS_URL (without it, jobs run inside each command: nothing is queued)`, ExitCode.USAGE);
  return config.redisUrl;
}

/** Before a command writes: AYAH_HOME, its index and (embedded) catalog folders can be written, else exit 7 naming the one that cannot. */
export function assertHomeWritable(config: ServiceConfig): void {
  assertWritable([config.home, indexDir(config.home), ...(config.databaseUrl ? [] : [catalogDir(config.home)])]);
}
