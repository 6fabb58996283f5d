/**
 * redis: connecting to REDIS_URL. `connectRedis` checks the server answers (one clear
 * line, exit 5, when it does not); `bullConnection` gives the options BullMQ connects with.
 */
import { Redis } from 'ioredis';
import { connectionReason, serviceAddress, unreachable } from './unreachable.js';

const CONNECT_TIMEOUT_MS = 5000;

export function redisAddress(url: string): string {
  return serviceAddress(url, 6379);
}

/** A connected client (PING answered); throws `Redis at host:port is unreachable: ...` otherwise. */
export async function connectRedis(url: string): Promise<Redis> {
  let everConnected = false;
  const client: Redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
    // ioredis otherwise keeps a failed connection's stream (and the process) alive 2 s.
    disconnectTimeout: 200,
    // Fail fast on the first connection; once connected, reconnect as usual.
    retryStrategy: (times: number): number | null => (everConnected ? Math.min(times * 200, 2000) : null),
  });
  let lastError: unknown;
  client.on('error', (err: Error) => (lastError = err));
  try {
    await client.connect();
    await client.ping();
    everConnected = true;
    return client;
  } catch (err) {
    client.disconnect();
    throw unreachable('Redis', redisAddress(url), lastError ?? err);
  }
}

/** Connection options of BullMQ queues, workers and flow producers. */
export function bullConnection(url: string): { url: string; maxRetriesPerRequest: null; connectTimeout: number } {
  return { url, maxRetriesPerRequest: null, connectTimeout: CONNECT_TIMEOUT_MS };
}

/** How long Redis may stay unreachable during a run before the run gives up (exit 5). */
const LOST_AFTER_MS = 3000;

/** Deletes every key of Redis at `url` whose name starts with `keyPrefix` (a test's or a benchmark's own keys). */
export async function deleteKeysStartingWith(url: string, keyPrefix: string): Promise<void> {
  const redis = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export interface RedisWatch {
  /** Rejects (exit 5, one line) once Redis has been unreachable for LOST_AFTER_MS. Never resolves. */
  lost: Promise<never>;
  /**
   * For a command that failed during the watch: a command aborted because its connection
   * closed rejects as `lost` does once Redis has been unreachable for LOST_AFTER_MS, or
   * with its own error if Redis answers again first; any other error rejects at once.
   */
  settle(err: unknown): Promise<never>;
  stop(): void;
}

/** Errors of a command whose connection closed under it (ioredis). */
const CONNECTION_LOST = /Connection is closed|Command aborted due to connection close|ECONNREFUSED|ECONNRESET|EPIPE/;

/**
 * Watches REDIS_URL during a long run (waiting for a build, a worker): BullMQ's own
 * connections retry forever, so a Redis that went away would leave the run hanging with no
 * output. This client pings every second; unreachable for LOST_AFTER_MS (connection closed
 * or no answer), `lost` rejects with `Redis at host:port is unreachable: <why>`.
 */
export function watchRedis(url: string, lostAfterMs = LOST_AFTER_MS): RedisWatch {
  let lostSince: number | undefined;
  let why = 'connection lost';
  let reject!: (err: unknown) => void;
  const lost = new Promise<never>((_, r) => (reject = r));
  lost.catch(() => undefined); // handled by whoever races it
  const client = new Redis(url, {
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectTimeout: 1000,
    commandTimeout: 1000,
    retryStrategy: () => 250,
  });
  const down = (reason: string) => {
    lostSince ??= Date.now();
    why = reason;
  };
  client.on('ready', () => (lostSince = undefined));
  client.on('error', (err: Error) => down(connectionReason(err)));
  client.on('close', () => down('connection lost'));
  const timer = setInterval(() => {
    if (client.status === 'ready') client.ping().then(() => (lostSince = undefined), (err: unknown) => down(connectionReason(err)));
    if (lostSince !== undefined && Date.now() - lostSince >= lostAfterMs) {
      stop();
      reject(unreachable('Redis', redisAddress(url), `${why} (for ${Math.round((Date.now() - lostSince) / 1000)} s, during the run)`));
    }
  }, 500);
  timer.unref();
  const stop = () => {
    clearInterval(timer);
    client.disconnect();
  };
  const settle = async (err: unknown): Promise<never> => {
    if (!CONNECTION_LOST.test(connectionReason(err))) throw err;
    let wait: NodeJS.Timeout | undefined;
    try {
      await Promise.race([lost, new Promise((r) => (wait = setTimeout(r, lostAfterMs + 1500)))]);
    } finally {
      clearTimeout(wait);
    }
    throw err;
  };
  return { lost, settle, stop };
}
