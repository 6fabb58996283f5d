/**
 * config: what `ayah serve` runs with. Every limit has a default here, an option of the
 * command and (for deployments) an environment variable; README "ayah serve" lists them.
 */
import { MAX_QUERY_SECONDS } from '../query/input-decoding.js';
import { serviceConfig } from '../services/config.js';

export interface ServeConfig {
  /** AYAH_HOME: the index served is its index/ directory. */
  home: string;
  host: string;
  /** 0: any free port. */
  port: number;
  /** Largest request body accepted, bytes (beyond it: 413). */
  maxBodyBytes: number;
  /** Longest audio accepted, seconds (beyond it: 413 "too long"). */
  maxAudioSeconds: number;
  /** Seconds of a clip analysed (at most the engine's MAX_QUERY_SECONDS). */
  analyseSeconds: number;
  /** Time an identification may take, decoding included (beyond it: 503). */
  timeoutMs: number;
  /** Identifications running at once; beyond it requests get 503 with Retry-After (never a queue). */
  maxConcurrent: number;
  /** Result cache: false turns it off (load tests of the engine itself). */
  cache: boolean;
  /** Seconds a cached result lives. */
  cacheTtlS: number;
  /** Results kept by the in-process cache (used without REDIS_URL). */
  cacheEntries: number;
  /** REDIS_URL: the cache shared by every server process. */
  redisUrl?: string;
  /** Prefix of the cache's Redis keys (AYAH_CACHE_PREFIX; keys are `<prefix>recognition:<hash>`). */
  cachePrefix: string;
  /** DATABASE_URL: readyz checks the catalog when set. */
  databaseUrl?: string;
  /** How often the index manifest is checked for a new version, ms. */
  reloadMs: number;
  /** How long SIGTERM waits for requests in flight before exiting anyway, ms. */
  drainMs: number;
}

const num = (v: string | undefined, fallback: number): number => {
  const n = Number(v);
  return v !== undefined && v !== '' && Number.isFinite(n) && n >= 0 ? n : fallback;
};

/** Defaults, with the environment's values where set. */
export function serveDefaults(env: NodeJS.ProcessEnv = process.env): ServeConfig {
  const services = serviceConfig(env);
  return {
    home: services.home,
    host: env.AYAH_SERVE_HOST || '127.0.0.1',
    port: num(env.AYAH_SERVE_PORT, 8080),
    maxBodyBytes: num(env.AYAH_SERVE_MAX_BODY_BYTES, 10 * 1024 * 1024),
    maxAudioSeconds: num(env.AYAH_SERVE_MAX_AUDIO_SECONDS, 60),
    analyseSeconds: Math.min(num(env.AYAH_SERVE_ANALYSE_SECONDS, MAX_QUERY_SECONDS), MAX_QUERY_SECONDS),
    timeoutMs: num(env.AYAH_SERVE_TIMEOUT_MS, 10_000),
    maxConcurrent: num(env.AYAH_SERVE_MAX_CONCURRENT, 4),
    cache: env.AYAH_CACHE !== 'off',
    cacheTtlS: num(env.AYAH_CACHE_TTL_S, 300),
    cacheEntries: num(env.AYAH_CACHE_ENTRIES, 10_000),
    redisUrl: services.redisUrl,
    cachePrefix: env.AYAH_CACHE_PREFIX ?? '',
    databaseUrl: services.databaseUrl,
    reloadMs: num(env.AYAH_SERVE_RELOAD_MS, 1000),
    drainMs: num(env.AYAH_SERVE_DRAIN_MS, 30_000),
  };
}
