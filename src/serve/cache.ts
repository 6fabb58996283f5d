/**
 * cache: recent recognition results, keyed by what decides the answer: the decoded audio,
 * the request's options and the index version (a new version misses every older entry).
 * With REDIS_URL: Redis, `<prefix>recognition:<hash>` with a TTL, shared by every server
 * process; without it: an in-process LRU. A cache that fails is a miss, never a failed
 * request.
 */
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { reasonOf } from '../errors.js';
import { log } from '../log.js';
import { redisAddress } from '../services/redis.js';
import { unreachable } from '../services/unreachable.js';

export interface ResultCache {
  readonly kind: 'redis' | 'memory' | 'off';
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  /** Throws, with the reason, when the cache cannot be used (readyz). */
  check(): Promise<string>;
  close(): Promise<void>;
}

/** The cache key of a recognition: sha256 of the PCM, the normalised options and the index version. */
export function cacheKey(pcm: Float32Array, options: unknown, indexVersion: string): string {
  const h = createHash('sha256');
  h.update(new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength));
  h.update(JSON.stringify(options));
  h.update(indexVersion);
  return `recognition:${h.digest('hex')}`;
}

const CHECK_TIMEOUT_MS = 1000;

class RedisCache implements ResultCache {
  readonly kind = 'redis';
  private readonly client: Redis;
  private lastError?: unknown;
  private warned = false;

  constructor(
    private readonly url: string,
    prefix: string,
    private readonly ttlS: number,
  ) {
    this.client = new Redis(url, {
      keyPrefix: prefix,
      // Commands fail at once while Redis is away (the request goes on without the cache).
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      retryStrategy: (times: number) => Math.min(times * 200, 2000),
    });
    this.client.on('error', (err: Error) => {
      this.lastError = err;
      if (!this.warned) log.warn({ err: reasonOf(err) }, `result cache: Redis at ${redisAddress(url)} is unreachable; answering without the cache`);
      this.warned = true;
    });
    this.client.on('ready', () => {
      this.warned = false;
      this.lastError = undefined;
    });
  }

  async get(key: string): Promise<string | undefined> {
    try {
      return (await this.client.get(key)) ?? undefined;
    } catch {
      return undefined;
    }
  }

  async set(key: string, value: string): Promise<void> {
    try {
      await this.client.set(key, value, 'EX', Math.max(1, Math.round(this.ttlS)));
    } catch {
      /* a miss next time */
    }
  }

  async check(): Promise<string> {
    const address = redisAddress(this.url);
    if (this.client.status !== 'ready') throw unreachable('Redis', address, this.lastError ?? new Error(`connection ${this.client.status}`));
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.client.ping(),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS))),
      ]);
    } catch (err) {
      throw unreachable('Redis', address, err);
    } finally {
      clearTimeout(timer);
    }
    return `Redis at ${address}`;
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }
}

class MemoryCache implements ResultCache {
  readonly kind = 'memory';
  private readonly lru: LRUCache<string, string>;

  constructor(entries: number, ttlS: number) {
    this.lru = new LRUCache({ max: Math.max(1, entries), ttl: Math.max(1, ttlS) * 1000 });
  }

  async get(key: string): Promise<string | undefined> {
    return this.lru.get(key);
  }

  async set(key: string, value: string): Promise<void> {
    this.lru.set(key, value);
  }

  async check(): Promise<string> {
    return `in-process LRU (${this.lru.size} entries)`;
  }

  async close(): Promise<void> {
    this.lru.clear();
  }
}

class NoCache implements ResultCache {
  readonly kind = 'off';
  async get(): Promise<undefined> {
    return undefined;
  }
  async set(): Promise<void> {}
  async check(): Promise<string> {
    return 'off';
  }
  async close(): Promise<void> {}
}

export function openResultCache(opts: { enabled: boolean; redisUrl?: string; prefix: string; ttlS: number; entries: number }): ResultCache {
  if (!opts.enabled || opts.ttlS <= 0) return new NoCache();
  if (opts.redisUrl) return new RedisCache(opts.redisUrl, opts.prefix, opts.ttlS);
  return new MemoryCache(opts.entries, opts.ttlS);
}
